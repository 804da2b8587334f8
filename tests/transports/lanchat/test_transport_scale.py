"""LanchatTransport at scale and under forgery (issue 13), with real runtimes, TLS and UDP on loopback.

- a forged announce (a contact's id, another address, a huge seq) moves nothing: messages keep flowing;
- an address proven by one TLS connection moves the contact;
- Everyone reaches every online contact however many, through at most 32 links being opened at a time,
  and contacts that went offline are not retried.
"""

from __future__ import annotations

import json
import socket
import struct
import time

from peers import LOOPBACK_BROADCAST

from lanchat.core.rooms import EVERYONE_ROOM_ID
from lanchat.transports.lanchat import links as links_module

IP_PKTINFO = 8


_SENDER: socket.socket | None = None


def announce(port: int, peer_id: str, source: str, tcp_port: int, seq: int, kind: str = "announce") -> None:
    """One presence datagram from `source` (a loopback address), broadcast on loopback.

    Every datagram leaves from one socket (one UDP port), so a simulated peer keeps its source address.
    """
    global _SENDER
    if _SENDER is None:
        _SENDER = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        _SENDER.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    value: dict[str, object] = {"app": "lanchat", "v": 1, "kind": kind, "id": peer_id, "name": "someone", "seq": seq}
    if kind == "announce":
        value.update(port=tcp_port, status="online")
    info = struct.pack("=I4s4s", 0, socket.inet_aton(source), bytes(4))
    _SENDER.sendmsg([json.dumps(value).encode()], [(socket.IPPROTO_IP, IP_PKTINFO, info)], 0,
                    (LOOPBACK_BROADCAST, port))


def test_a_forged_announce_moves_nothing(make_runtime, presence_port, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    qtbot.waitUntil(lambda: (c := ana.contacts.get(ben.identity.id)) is not None and c.online, timeout=10_000)
    assert ana.contacts.get(ben.identity.id).address == "127.0.0.1"
    delivered: list[str] = []
    ana.messaging.delivered.connect(lambda d: delivered.append(d.mid))
    # the forger: ben's id, another address, a huge seq, again and again; nothing listens at its port
    for n in range(5):
        announce(presence_port, ben.identity.id, "127.66.0.1", 9, 2**53 - n)
        mid = ana.messaging.send_text(ben.identity.id, f"still you? {n}")
        qtbot.waitUntil(lambda m=mid: m in delivered, timeout=10_000)
        assert ana.contacts.get(ben.identity.id).address == "127.0.0.1"
    # a candidate is probed at most once per 30 s per contact: ben's real move waits for that (see below)


def test_an_address_proven_by_tls_moves_the_contact(make_runtime, presence_port, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    qtbot.waitUntil(lambda: (c := ana.contacts.get(ben.identity.id)) is not None and c.online, timeout=10_000)
    delivered: list[str] = []
    ana.messaging.delivered.connect(lambda d: delivered.append(d.mid))
    # ben's own listener answers on 127.0.0.2 too: an announce from there is proven by TLS and moves him
    announce(presence_port, ben.identity.id, "127.0.0.2", ben.port, 2**53)
    qtbot.waitUntil(lambda: ana.contacts.get(ben.identity.id).address == "127.0.0.2", timeout=10_000)
    mid = ana.messaging.send_text(ben.identity.id, "moved")
    qtbot.waitUntil(lambda: mid in delivered, timeout=10_000)


def test_everyone_reaches_every_online_contact_through_a_bounded_fan_out(make_runtime, presence_port, qtbot,
                                                                        monkeypatch):
    opening_at_open: list[int] = []
    original = links_module.PeerLinks._open

    def counting_open(self, peer_id, address):  # type: ignore[no-untyped-def]
        opening_at_open.append(self.counts()[1])
        original(self, peer_id, address)

    monkeypatch.setattr(links_module.PeerLinks, "_open", counting_open)
    ana, ben = make_runtime("ana"), make_runtime("ben")
    received: list[str] = []
    ben.messaging.message_received.connect(lambda m: received.append(m.text))
    # 300 peers that announce but whose TCP port refuses, as peers that just died
    simulated = [f"51{i:062x}" for i in range(300)]
    seq = int(time.time() * 1000)
    for i, peer in enumerate(simulated):
        announce(presence_port, peer, f"127.1.{i // 250}.{i % 250 + 1}", 9, seq)
    qtbot.waitUntil(lambda: len(ana.contacts.online(ana.identity.id)) == 301, timeout=10_000)
    everyone = ana.messaging.rooms()[EVERYONE_ROOM_ID]
    assert len(everyone.members) == 302  # us, ben and 300 others: no cap of 256 for Everyone
    ana.messaging.send_room_text(everyone, "hello everyone")
    qtbot.waitUntil(lambda: received == ["hello everyone"], timeout=15_000)
    assert max(opening_at_open) < links_module.MAX_OPENING  # at most 32 being opened at once
    # the dead peers leave: after that nobody tries to reach them again
    for i, peer in enumerate(simulated):
        announce(presence_port, peer, f"127.1.{i // 250}.{i % 250 + 1}", 9, seq + 1, kind="leave")
    qtbot.waitUntil(lambda: len(ana.contacts.online(ana.identity.id)) == 1, timeout=10_000)
    assert ana.lanchat is not None
    links = ana.lanchat.links
    # nothing is left to open a link to them: no retry timer, nobody waiting for a slot, no link
    dead = set(simulated)
    qtbot.waitUntil(lambda: not dead & {p for p, t in links._retry_timers.items() if t.isActive()}
                    and links.counts()[2] == 0 and not dead & set(links._links), timeout=10_000)
    assert received == ["hello everyone"]  # once
