"""IP Messenger packets: the header split on the first five ':', the version never read as a number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanchat.transports.ipmsg.protocol.packet import Mode, Opt, Packet, encode_packet, parse_packet

FEIQ_ANSENTRY = "1_lbt4_41#128#24F5AAD7C96A#0#0#0#311c#9:1767153479:t0250254:DESKTOP-IOHG15K:6291459:陈俞辛".encode(
    "gb18030")


def test_iptux_entry_as_captured():
    packet = parse_packet(b"1_iptux 0.8.3:1:root:vm:257:\xe7\x94\xb2 alice\0\xe7\xbb\x84G\0icon-tux.png\0utf-8\0")
    assert packet is not None
    assert (packet.version, packet.number, packet.user, packet.host) == ("1_iptux 0.8.3", 1, b"root", b"vm")
    assert packet.mode == Mode.BR_ENTRY and packet.has(Opt.ABSENCE)
    assert packet.fields == ["甲 alice".encode(), "组G".encode(), b"icon-tux.png", b"utf-8"]


def test_feiq_version_with_hashes_and_a_time_as_packet_number():
    packet = parse_packet(FEIQ_ANSENTRY)
    assert packet is not None
    assert packet.version.startswith("1_lbt4_41#128#")
    assert packet.number == 1767153479
    assert packet.mode == Mode.ANSENTRY and packet.has(Opt.FILEATTACH) and packet.has(Opt.ENCRYPT)


def test_the_extra_keeps_its_colons():
    packet = parse_packet(b"1:7:u:h:288:a:b:c\0")
    assert packet is not None and packet.extra == b"a:b:c\0" and packet.fields == [b"a:b:c"]


def test_no_extra_at_all():
    packet = parse_packet(b"1:5:u:h:2")
    assert packet is not None and packet.mode == Mode.BR_EXIT and packet.extra == b""


@pytest.mark.parametrize("data", [
    b"", b"hello", b"1:2:3:4", b"1:x:u:h:1:", b"1:1:u:h:x:", b"1:-1:u:h:1:", b"1:1:u:h:99999999999:",
    b"1:" + b"9" * 21 + b":u:h:1:", b"1\0:1:u:h:1:", b"v" * 600 + b":1:u:h:1:", b"1:1:u:h:4294967296:",
    bytes(range(256)), b"\xff\xfe:1:u:h:1:",
], ids=lambda d: repr(d)[:30])
def test_junk_is_dropped(data):
    assert parse_packet(data) is None or parse_packet(data).version  # never raises
    if data in (b"", b"hello", b"1:2:3:4", b"1:x:u:h:1:", b"1:1:u:h:x:", b"1:1:u:h:4294967296:"):
        assert parse_packet(data) is None


def test_encode_ends_with_nul_and_round_trips():
    packet = Packet("1_lanchat#" + "a" * 64, 1764000000, b"me", b"box", Mode.SENDMSG | Opt.SENDCHECK, b"hi")
    data = encode_packet(packet)
    assert data == b"1_lanchat#" + b"a" * 64 + b":1764000000:me:box:288:hi\0"
    again = parse_packet(data)
    assert again is not None and again.fields == [b"hi"] and again.command == 288


def test_a_colon_in_the_header_is_refused():
    with pytest.raises(ValueError):
        encode_packet(Packet("1", 1, b"a:b", b"h", 1))


@given(st.binary(max_size=300))
def test_any_bytes_parse_or_drop_without_raising(data):
    packet = parse_packet(data)
    if packet is not None:
        assert 0 <= packet.command <= 0xFFFFFFFF and packet.number >= 0


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1),
       st.binary(max_size=60).filter(lambda b: b":" not in b and b"\0" not in b), st.binary(max_size=200))
def test_round_trip(number, command, label, extra):
    packet = parse_packet(encode_packet(Packet("1", number, label, label, command, extra)))
    assert packet is not None
    assert (packet.number, packet.command, packet.user) == (number, command, label)
    assert packet.extra == (extra if extra.endswith(b"\0") else extra + b"\0")
