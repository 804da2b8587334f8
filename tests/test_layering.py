"""The one-way arrows of the layers: app → ui → core → net → protocol."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lanchat"

# For each layer, module-name prefixes it must not import.
FORBIDDEN = {
    "protocol": [
        "socket", "ssl", "threading", "selectors", "asyncio", "PySide6", "sqlite3",
        "lanchat.net", "lanchat.core", "lanchat.ui", "lanchat.app", "lanchat.identity",
    ],
    "net": ["PySide6.QtWidgets", "PySide6.QtGui", "lanchat.core", "lanchat.ui", "lanchat.app"],
    "core": ["PySide6.QtWidgets", "lanchat.ui", "lanchat.app", "socket", "ssl"],
    "ui": ["socket", "ssl", "lanchat.net", "lanchat.app"],
}


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def layer_modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer):
    modules = layer_modules(layer)
    assert modules, f"lanchat/{layer} has no modules"
    offences = []
    for path in modules:
        for name in imports_of(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offences, "\n".join(offences)


def test_identity_is_a_leaf():
    names = imports_of(PACKAGE / "identity.py")
    inner = [n for n in names if n.startswith("lanchat.")]
    assert not [n for n in inner if not n.startswith("lanchat.protocol")]


def test_checker_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import socket\nfrom lanchat.ui import x\n")
    assert imports_of(bad) == ["socket", "lanchat.ui", "lanchat.ui.x"]
