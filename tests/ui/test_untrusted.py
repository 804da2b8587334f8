"""Text from the network is shown literally and made safe."""

from __future__ import annotations

from lanchat.ui.untrusted import Span, clean_file_name, clean_name, initials, only_emoji, split_links


def test_bidi_overrides_and_ansi_escapes_are_removed_from_file_names():
    assert clean_file_name("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_file_name("\x1b[31mred\x1b[0m.txt") == "red.txt"
    assert clean_file_name("a\x07b") == "a\ufffdb"


def test_names_stay_literal_on_one_line():
    assert clean_name("<b>x</b>") == "<b>x</b>"
    assert clean_name("Ana\nLima\u2066") == "Ana Lima"
    assert clean_name("") == "?"


def test_links_are_found_by_us():
    spans = split_links("see https://example.org/a_(b), and www.x.cn.")
    assert spans == [
        Span("see "), Span("https://example.org/a_(b)", "https://example.org/a_(b)"), Span(", and "),
        Span("www.x.cn", "http://www.x.cn"), Span("."),
    ]
    assert split_links("<a href='javascript:x'>hi</a>") == [Span("<a href='javascript:x'>hi</a>")]


def test_initials_and_emoji():
    assert initials("Ana Lima") == "AL"
    assert initials("ben") == "B"
    assert initials("王小明") == "王"
    assert only_emoji("👍🎉")
    assert not only_emoji("ok 👍")
