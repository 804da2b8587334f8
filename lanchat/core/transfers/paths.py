"""Path rules of docs/protocol.md §3.3 (every network): which offered paths are safe, how to name a copy."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

MAX_COMPONENTS = 8
#: The folder inside the download folder that holds files still arriving: no offered path may start with it.
PARTIAL_DIR = ".lanchat-partial"
MAX_COMPONENT_BYTES = 255

_BIDI_OVERRIDES = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{i}" for dev in ("COM", "LPT") for i in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]]
)
_WINDOWS_BAD_CHARS = re.compile(r'[<>"|?*\x00-\x1f]')


def path_problem(path: str) -> str | None:
    """Why one offered path is unsafe, or None when it is fine."""
    if path.startswith("/"):
        return "absolute path"
    if ":" in path or "\\" in path:
        return "':' or '\\' in path"
    for char in path:
        category = unicodedata.category(char)
        if category == "Cc":
            return "control character in path"
        if category == "Cs":  # a lone surrogate (JSON can carry one): not a character, no file name
            return "unpaired surrogate in path"
        if char in _BIDI_OVERRIDES:
            return "bidirectional override in path"
    parts = path.split("/")
    if fold(parts[0]) == fold(PARTIAL_DIR):
        return f"{PARTIAL_DIR} is where lanchat keeps files still arriving"
    if len(parts) > MAX_COMPONENTS:
        return f"more than {MAX_COMPONENTS} components"
    for part in parts:
        if part in ("", ".", ".."):
            return f"component {part!r} not allowed"
        if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
            return f"component over {MAX_COMPONENT_BYTES} bytes"
    return None


def paths_problem(paths: Iterable[str]) -> str | None:
    """Why a set of offered paths is unsafe, or None when all are fine.

    Besides each path's own rules: no two paths may be equal after NFC
    normalisation and case folding, and no path may be a leading folder of
    another.
    """
    seen: set[str] = set()
    folders: set[str] = set()
    for path in paths:
        problem = path_problem(path)
        if problem is not None:
            return f"{path!r}: {problem}"
        key = fold(path)
        if key in seen:
            return f"{path!r} appears twice"
        seen.add(key)
        parts = key.split("/")
        folders.update("/".join(parts[:n]) for n in range(1, len(parts)))
    clash = seen & folders
    if clash:
        return f"{sorted(clash)[0]!r} is both a file and a folder"
    return None


def fold(path: str) -> str:
    """The form in which two paths count as the same: NFC, then case folded."""
    return unicodedata.normalize("NFC", path).casefold()


def safe_component(name: str, *, windows: bool) -> str:
    """A variant of `name` that the local file system can hold.

    On POSIX every checked component is already fine. On Windows, reserved
    device names get a leading `_`, the characters `<>"|?*` become `_`, and
    trailing dots and spaces are dropped.
    """
    if not windows:
        return name
    name = _WINDOWS_BAD_CHARS.sub("_", name).rstrip(". ") or "_"
    # Windows ignores the extension and trailing spaces: `con.txt`, `NUL .tar.gz`.
    if name.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return name


def numbered_name(name: str, n: int) -> str:
    """`name` with ` (n)` before its last extension: `a (1).txt`, `.bashrc (1)`.

    The result stays within 255 bytes: a long stem is shortened to fit.
    """
    stem, dot, ext = name.rpartition(".")
    if dot and stem.strip("."):
        tail = f" ({n}).{ext}"
    else:  # no extension, or a dot file like ".bashrc"
        stem, tail = name, f" ({n})"
    if len(tail.encode("utf-8")) >= MAX_COMPONENT_BYTES:  # an absurd extension: keep it in the stem
        stem, tail = name, f" ({n})"
    budget = MAX_COMPONENT_BYTES - len(tail.encode("utf-8"))
    return _cut_utf8(stem, budget) + tail


def _cut_utf8(text: str, size: int) -> str:
    """The longest prefix of `text` of at most `size` UTF-8 bytes."""
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def free_name(name: str, exists: Callable[[str], bool]) -> str:
    """`name`, or the first numbered variant of it for which `exists` is False."""
    candidate, n = name, 0
    while exists(candidate):
        n += 1
        candidate = numbered_name(name, n)
    return candidate
