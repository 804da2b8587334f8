"""Which fetch may take which offered file: the address it went to, the packet, the file id hex or decimal."""

from __future__ import annotations

from lanchat.transports.ipmsg.protocol.attachments import parse_request
from lanchat.transports.ipmsg.shares import SharedFile, SharedMember, Shares

ITEM = SharedFile("t" * 32, "10.0.0.7", 400, 10, False, (SharedMember(0, (b"a.txt",), "/tmp/a.txt", 3, 0),))


def test_lookup_by_hex_then_decimal_and_only_for_the_peer_it_went_to():
    shares = Shares()
    shares.add([ITEM])
    hex_request = parse_request(b"190:a:0:", with_offset=True)  # 400 and 10 in hex
    decimal_request = parse_request(b"190:10:0:", with_offset=True)  # iptux may write the id in decimal
    assert hex_request is not None and decimal_request is not None
    assert shares.find("10.0.0.7", hex_request, folder=False) == ITEM
    assert shares.find("10.0.0.7", decimal_request, folder=False) == ITEM
    assert shares.find("10.0.0.8", hex_request, folder=False) is None
    assert shares.find("10.0.0.7", hex_request, folder=True) is None
    shares.remove(ITEM.tid)
    assert shares.find("10.0.0.7", hex_request, folder=False) is None


def test_bytes_served_add_up():
    shares = Shares()
    assert shares.count_sent("x", 5) == 5 and shares.count_sent("x", 7) == 12
