"""Entry packets: names, encodings, away, and lanchat's own version field."""

from __future__ import annotations

from lanchat.transports.ipmsg.protocol.entry import entry_extra, lanchat_id_of, lanchat_version, parse_entry
from lanchat.transports.ipmsg.protocol.packet import Mode, Opt, Packet, parse_packet
from lanchat.transports.ipmsg.protocol.text import Legacy

LEGACY = Legacy.GB18030


def entry(data: bytes):
    packet = parse_packet(data)
    assert packet is not None
    return parse_entry(packet, LEGACY)


def test_iptux_says_utf8_in_its_fourth_field_and_absence_means_nothing():
    e = entry(b"1_iptux 0.8.3:1:root:vm:257:\xe7\x94\xb2 alice\0\xe7\xbb\x84G\0icon-tux.png\0utf-8\0")
    assert (e.nickname, e.group, e.reads_utf8, e.writes_utf8, e.away, e.iptux) == ("甲 alice", "组G", True, True,
                                                                                  False, True)


def test_feiq_nickname_in_gbk():
    e = entry("1_lbt6_0#128#001122334455#0#0#0#4001#9:1700000000:u:H:3:小红\0".encode("gbk"))
    assert e.nickname == "小红" and not e.reads_utf8 and not e.writes_utf8


def test_ip_messenger_utf8_names_after_the_group():
    data = "1:1700000000:u:h:16777473:abc\0grp\0\nUN:u\nHN:h\nNN:山田\nGN:開発\n\0".encode()
    e = entry(data)
    assert (e.nickname, e.group, e.reads_utf8, e.away) == ("山田", "開発", True, True)


def test_no_nickname_falls_back_to_the_user():
    assert entry(b"1:1:alice:host:1:\0").nickname == "alice"


def test_lanchat_version():
    own = "ab" * 32
    assert lanchat_id_of(lanchat_version(own)) == own
    assert lanchat_id_of("1_lanchat#" + "AB" * 32) is None
    assert lanchat_id_of("1_iptux 0.8.3") is None
    e = entry(f"{lanchat_version(own)}:1:u:h:{Mode.BR_ENTRY | Opt.CAPUTF8}:me\0\0".encode())
    assert e.lanchat_id == own and e.reads_utf8


def test_our_extra_for_iptux_and_for_feiq():
    assert entry_extra("小明", "三班", True, LEGACY) == "小明\0三班\0\0utf-8\0".encode()
    assert entry_extra("小明", "", False, LEGACY) == "小明".encode("gb18030") + b"\0\0"
    packet = Packet("1", 1, b"u", b"h", Mode.ANSENTRY, entry_extra("小明", "三班", True, LEGACY))
    assert parse_entry(packet, LEGACY).nickname == "小明"
