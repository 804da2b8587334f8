"""Path rules of docs/protocol.md §3.3: unsafe offered paths, safe names, numbered copies.

These take strings, not byte streams; offers fed to the decoder three ways
are in test_codec.py's table.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanchat.core.transfers.paths import (
    MAX_COMPONENT_BYTES,
    fold,
    free_name,
    numbered_name,
    path_problem,
    paths_problem,
    safe_component,
)

UNSAFE = [
    pytest.param("", id="empty"),
    pytest.param(".", id="dot"),
    pytest.param("..", id="dotdot"),
    pytest.param("../x", id="leading-dotdot"),
    pytest.param("a/../b", id="inner-dotdot"),
    pytest.param("a/..", id="trailing-dotdot"),
    pytest.param("./a", id="leading-dot"),
    pytest.param("a/./b", id="inner-dot"),
    pytest.param("/etc/passwd", id="absolute"),
    pytest.param("//server/share", id="unc-like"),
    pytest.param("a//b", id="empty-component"),
    pytest.param("a/", id="trailing-slash"),
    pytest.param("a\\b", id="backslash"),
    pytest.param("..\\x", id="backslash-dotdot"),
    pytest.param("C:x", id="drive"),
    pytest.param("a:b", id="colon"),
    pytest.param("file.txt:stream", id="ads"),
    pytest.param("a\x00b", id="NUL"),
    pytest.param("a\x1bb", id="ESC"),
    pytest.param("a\x7fb", id="DEL"),
    pytest.param("a\tb", id="TAB"),
    pytest.param("a\x9bb", id="C1-CSI"),
    pytest.param("a\udc80b", id="lone-surrogate"),
    *[pytest.param(f"x{chr(c)}y", id=f"U+{c:04X}") for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]],
    pytest.param("/".join("abcdefghi"), id="9-components"),
    pytest.param("x" * 256, id="256-bytes"),
    pytest.param("é" * 128, id="256-bytes-2-byte-chars"),
    pytest.param("a/" + "日" * 85 + "x", id="256-bytes-3-byte-chars"),
    pytest.param("😀" * 64, id="256-bytes-emoji"),
    pytest.param(".lanchat-partial/x", id="partial-folder"),
    pytest.param(".LANCHAT-PARTIAL/x/y", id="partial-folder-any-case"),
    pytest.param(".lanchat-partial", id="partial-folder-itself"),
]

SAFE = [
    pytest.param("a", id="one"),
    pytest.param("a.txt", id="ext"),
    pytest.param(".bashrc", id="dotfile"),
    pytest.param("...", id="three-dots"),
    pytest.param("..a", id="dotdot-prefix"),
    pytest.param("a..", id="dotdot-suffix"),
    pytest.param("a b/c d.txt", id="spaces"),
    pytest.param(" lead", id="leading-space"),
    pytest.param("/".join("abcdefgh"), id="8-components"),
    pytest.param("x" * 255, id="255-bytes"),
    pytest.param("é" * 127 + "x", id="255-bytes-2-byte-chars"),
    pytest.param("日" * 85, id="255-bytes-3-byte-chars"),
    pytest.param("😀" * 63 + "abc", id="255-bytes-emoji"),
    pytest.param("NUL", id="windows-reserved-is-saved-safely-not-rejected"),
    pytest.param('a<>"|?*', id="windows-bad-chars-too"),
    pytest.param("trailing. ", id="trailing-dot-space"),
    pytest.param("a\u200fb", id="rlm-is-no-override"),
    pytest.param("ﬁle", id="ligature"),
    pytest.param("a/.lanchat-partial", id="partial-name-below-the-top-is-just-a-name"),
]


@pytest.mark.parametrize("path", UNSAFE)
def test_unsafe_path(path: str) -> None:
    assert path_problem(path) is not None
    assert paths_problem(["ok.txt", path]) is not None


@pytest.mark.parametrize("path", SAFE)
def test_safe_path(path: str) -> None:
    assert path_problem(path) is None
    assert paths_problem([path]) is None


@pytest.mark.parametrize(
    "paths",
    [
        pytest.param(["A.txt", "a.txt"], id="case"),
        pytest.param(["\u00e9.txt", "e\u0301.txt"], id="nfc"),
        pytest.param(["\u00c9.txt", "e\u0301.TXT"], id="nfc-and-case"),
        pytest.param(["Stra\u00dfe", "STRASSE"], id="casefold"),
        pytest.param(["\u212b", "\u00e5"], id="angstrom-sign"),
        pytest.param(["d/x", "D/X"], id="in-folder"),
        pytest.param(["a", "a/b"], id="file-is-folder"),
        pytest.param(["a/b/c", "a"], id="file-is-folder-reversed"),
        pytest.param(["a/b/c", "a/b"], id="file-is-inner-folder"),
        pytest.param(["A", "a/b"], id="file-is-folder-case"),
        pytest.param(["\u00e9", "e\u0301/b"], id="file-is-folder-nfc"),
        pytest.param(["x", "y", "x"], id="same"),
    ],
)
def test_clashing_paths(paths: list[str]) -> None:
    assert paths_problem(paths) is not None


@pytest.mark.parametrize(
    "paths",
    [
        pytest.param(["a/b", "a/c", "a/d/e"], id="shared-folders"),
        pytest.param(["ab", "a/b"], id="prefix-is-not-folder"),
        pytest.param(["a.txt", "a.txt.bak", "a"], id="prefix-names"),
        pytest.param([f"f{i}" for i in range(1000)], id="1000"),
    ],
)
def test_distinct_paths(paths: list[str]) -> None:
    assert paths_problem(paths) is None


def test_fold_is_nfc_then_casefold() -> None:
    assert fold("E\u0301/ẞ") == fold("\u00e9/ss") == "\u00e9/ss"


@pytest.mark.parametrize(
    ("name", "numbered"),
    [
        ("a.txt", "a (1).txt"),
        (".bashrc", ".bashrc (1)"),
        (".bashrc.bak", ".bashrc (1).bak"),
        ("archive.tar.gz", "archive.tar (1).gz"),
        ("noext", "noext (1)"),
        ("..hidden", "..hidden (1)"),
        ("a.", "a (1)."),
        ("日本.テキスト", "日本 (1).テキスト"),
    ],
)
def test_numbered_name(name: str, numbered: str) -> None:
    assert numbered_name(name, 1) == numbered
    assert numbered_name(name, 12) == numbered.replace("(1)", "(12)")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("x" * 255, id="ascii"),
        pytest.param("é" * 127 + "x", id="2-byte-chars"),
        pytest.param("😀" * 63 + "abc", id="emoji"),
        pytest.param("x" * 250 + ".txt", id="with-ext"),
        pytest.param("a." + "e" * 253, id="long-ext"),
        pytest.param("😀" * 62 + ".jpeg", id="emoji-with-ext"),
    ],
)
def test_numbered_name_stays_within_255_bytes(name: str) -> None:
    for n in (1, 99, 12345):
        numbered = numbered_name(name, n)
        assert len(numbered.encode("utf-8")) <= MAX_COMPONENT_BYTES
        assert f" ({n})" in numbered
        assert path_problem(numbered) is None
    if name.endswith(".txt"):
        assert numbered_name(name, 1).endswith(" (1).txt")


def test_free_name() -> None:
    taken = {"a.txt", "a (1).txt", "a (2).txt", ".bashrc"}
    assert free_name("a.txt", taken.__contains__) == "a (3).txt"
    assert free_name(".bashrc", taken.__contains__) == ".bashrc (1)"
    assert free_name("b.txt", taken.__contains__) == "b.txt"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("NUL", "_NUL"),
        ("nul", "_nul"),
        ("con.txt", "_con.txt"),
        ("Com1.tar.gz", "_Com1.tar.gz"),
        ("LPT9", "_LPT9"),
        ("aux .txt", "_aux .txt"),
        ("CONIN$", "_CONIN$"),
        ("COM\u00b9", "_COM\u00b9"),
        ("prn.", "_prn"),
        ("COM0", "COM0"),
        ("CONSOLE", "CONSOLE"),
        ("nullish.txt", "nullish.txt"),
        ("file. . ", "file"),
        ("dots...", "dots"),
        ("...", "_"),
        ("  ", "_"),
        ('a<b>c"d|e?f*g', "a_b_c_d_e_f_g"),
        ("what?.txt", "what_.txt"),
        ("plain.txt", "plain.txt"),
        (".bashrc", ".bashrc"),
    ],
)
def test_safe_component_on_windows(name: str, safe: str) -> None:
    assert safe_component(name, windows=True) == safe


@pytest.mark.parametrize("name", ["NUL", "con.txt", "trailing. ", 'a<>"|?*', "...", "plain"])
def test_safe_component_elsewhere_is_unchanged(name: str) -> None:
    assert safe_component(name, windows=False) == name


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/\\:"), min_size=1,
               max_size=40))
def test_safe_component_on_windows_is_always_holdable(name: str) -> None:
    safe = safe_component(name, windows=True)
    assert safe and not safe.endswith((".", " "))
    assert not set('<>"|?*') & set(safe)
    assert safe.split(".")[0].rstrip(" ").upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert len(safe.encode("utf-8")) <= len(name.encode("utf-8")) + 1
    assert safe_component(safe, windows=True) == safe  # already safe: unchanged
