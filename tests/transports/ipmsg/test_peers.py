"""The IP Messenger peer table: online from any packet, offline on BR_EXIT or 10 silent minutes, 4096 at most."""

from __future__ import annotations

from lanchat.transports.ipmsg.peers import MAX_PEERS, SILENCE_SECONDS, PeerTable
from lanchat.transports.ipmsg.protocol.entry import Entry

ENTRY = Entry("小红", "三班", reads_utf8=True, writes_utf8=True, away=False, lanchat_id=None, iptux=True)


def test_an_entry_then_a_rename_then_bye():
    table = PeerTable()
    peer, changed = table.entry("10.0.0.7", ENTRY, "1_iptux 0.8.3", 0.0)
    assert changed and peer.online and peer.nickname == "小红"
    assert table.entry("10.0.0.7", ENTRY, "1_iptux 0.8.3", 5.0) == (table.get("10.0.0.7"), False)
    renamed = Entry("小红2", "三班", True, True, False, None, True)
    assert table.entry("10.0.0.7", renamed, "1_iptux 0.8.3", 6.0)[1]
    left = table.left("10.0.0.7")
    assert left is not None and not left.online
    assert table.left("10.0.0.7") is None


def test_a_stranger_who_writes_first_is_named_after_its_user():
    table = PeerTable()
    peer, changed = table.heard("10.0.0.9", "1", 0.0, "alice")
    assert changed and peer.nickname == "alice" and peer.online


def test_ten_silent_minutes_make_a_peer_offline():
    table = PeerTable()
    table.entry("10.0.0.1", ENTRY, "1", 0.0)
    table.entry("10.0.0.2", ENTRY, "1", 100.0)
    assert table.expire(SILENCE_SECONDS) == []
    gone = table.expire(SILENCE_SECONDS + 1)
    assert [p.address for p in gone] == ["10.0.0.1"]
    assert table.get("10.0.0.2").online


def test_at_the_cap_the_oldest_offline_peer_goes_and_online_ones_stay():
    table = PeerTable()
    for i in range(MAX_PEERS):
        table.entry(f"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}", ENTRY, "1", float(i))
    assert table.entry("192.168.0.1", ENTRY, "1", 1e6) is None  # all online: no room
    table.left("10.0.0.5")
    table.left("10.0.0.3")
    assert table.entry("192.168.0.1", ENTRY, "1", 1e6) is not None
    assert table.get("10.0.0.5") is None and table.get("10.0.0.3") is not None
    assert len(table) == MAX_PEERS
