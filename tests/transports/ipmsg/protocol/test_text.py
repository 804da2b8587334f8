"""Text in the IP Messenger family: UTF-8 where said or valid, GB18030 (or CP932) otherwise."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lanchat.transports.ipmsg.protocol.text import Legacy, clean, decode, encode


def test_utf8_without_the_flag_is_read_as_utf8():  # iptux 0.8.3 never sets UTF8OPT
    assert decode("收到 ✅".encode(), utf8=False) == "收到 ✅"


def test_gbk_is_read_as_gb18030():
    assert decode("你好，世界".encode("gbk"), utf8=False) == "你好，世界"


def test_cp932_when_set():
    assert decode("こんにちは".encode("cp932"), utf8=False, legacy=Legacy.CP932) == "こんにちは"


def test_flagged_utf8_with_bad_bytes_gets_replacement_characters():
    assert decode(b"ok\xff", utf8=True) == "ok\ufffd"


def test_writing_legacy_replaces_what_it_lacks():
    assert encode("中文 😀", utf8=False) == "中文 ".encode("gb18030") + "😀".encode("gb18030")  # GB18030 has all
    assert encode("中文 😀", utf8=False, legacy=Legacy.CP932) == "中文 ".encode("cp932") + b"?"


def test_clean_names():
    assert clean("a\x00b\x07c\n" + "x" * 100) == "abc" + "x" * 61


@given(st.binary(max_size=200), st.booleans(), st.sampled_from(list(Legacy)))
def test_decoding_never_raises(raw, utf8, legacy):
    assert isinstance(decode(raw, utf8, legacy), str)


@given(st.text(max_size=100))
def test_utf8_round_trip(value):
    assert decode(encode(value, utf8=True), utf8=True) == value
