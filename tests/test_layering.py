"""The one-way arrows of the layers, and no import cycle anywhere in the package.

    app → ui → core          app → transports → core          cli → app
    inside a transport: net → protocol; protocol is pure

Every `import` counts, also those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lanchat"

WIRE = ["lanchat.transports"]
PURE = ["socket", "ssl", "threading", "selectors", "asyncio", "PySide6", "sqlite3", "select"]
TOP = ["lanchat.app", "lanchat.cli", "lanchat.control_socket", "lanchat.ui"]

# For each part of the package (a folder glob), module-name prefixes it must not import.
FORBIDDEN: dict[str, list[str]] = {
    "core": ["PySide6.QtWidgets", "socket", "ssl", *WIRE, *TOP],
    "transports": ["PySide6.QtWidgets", *TOP],
    "transports/*/protocol": [*PURE, "lanchat.identity", "lanchat.core", *TOP,
                              "lanchat.transports.lanchat.net", "lanchat.transports.ipmsg.net",
                              "lanchat.transports.localsend.net"],
    "ui": ["socket", "ssl", *WIRE, "lanchat.app", "lanchat.cli", "lanchat.control_socket", "lanchat.identity"],
    "app.py": ["lanchat.cli", "lanchat.control_socket", "lanchat.ui"],
    "control_socket.py": ["lanchat"],
    "identity.py": ["lanchat"],
    "clock.py": ["lanchat"],
}


def imports_of(path: Path) -> list[str]:
    """Every module `path` imports, wherever the import stands; `from x import y` gives x and x.y."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_under(pattern: str) -> list[Path]:
    if pattern.endswith(".py"):
        return [PACKAGE / pattern]
    found: list[Path] = []
    for folder in PACKAGE.glob(pattern):
        found += folder.rglob("*.py")
    return sorted(found)


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(part):
    modules = modules_under(part)
    assert modules, f"lanchat/{part} has no modules"
    offences = []
    for path in modules:
        for name in imports_of(path):
            for banned in FORBIDDEN[part]:
                if name == banned or name.startswith(banned + "."):
                    offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offences, "\n".join(offences)


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (a `from pkg import name` counts for pkg.name when it is one)."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets = set()
        for imported in imports_of(path):
            if imported in paths and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_anywhere():
    """A package's __init__ importing its own modules would be a cycle too: ours stay empty."""
    graph = import_graph()
    for name in list(graph):  # a module's package __init__ runs first, but is no import of the module
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycle = find_cycle(graph)
    assert cycle is None, " → ".join(cycle or [])


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_checker_sees_imports_inside_functions(tmp_path):
    bad = PACKAGE / "core" / "_probe_for_layering_test.py"
    bad.write_text("def f():\n    import socket\n    from lanchat.ui import x\n")
    try:
        assert imports_of(bad) == ["socket", "lanchat.ui", "lanchat.ui.x"]
    finally:
        bad.unlink()
