"""Who is on the IP Messenger network: one peer per IPv4 address (the family has no other identity).

Pure bookkeeping (the caller passes the time): a peer is online from any
packet until its BR_EXIT, or 10 minutes without a packet (the family has no
periodic announce). At most 4096 peers; at the cap the offline peer heard
from longest ago goes first, found in O(1).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

from lanchat.transports.ipmsg.protocol.entry import Entry

SILENCE_SECONDS = 10 * 60.0
MAX_PEERS = 4096


@dataclass(frozen=True)
class Peer:
    address: str
    nickname: str
    group: str
    online: bool
    away: bool
    reads_utf8: bool  # we write UTF-8 to it
    writes_utf8: bool  # its text is UTF-8 even without UTF8OPT (iptux)
    lanchat_id: str | None
    version: str
    last_heard: float


class PeerTable:
    def __init__(self) -> None:
        self._online: OrderedDict[str, Peer] = OrderedDict()  # least recently heard first
        self._offline: OrderedDict[str, Peer] = OrderedDict()  # went offline longest ago first

    def __len__(self) -> int:
        return len(self._online) + len(self._offline)

    def get(self, address: str) -> Peer | None:
        return self._online.get(address) or self._offline.get(address)

    def online(self) -> list[Peer]:
        return list(self._online.values())

    def entry(self, address: str, entry: Entry, version: str, now: float) -> tuple[Peer, bool] | None:
        """An entry packet from `address`; the peer and whether what we show of it changed.

        None when the table is full of online peers.
        """
        old = self.get(address)
        peer = Peer(
            address, entry.nickname, entry.group, True, entry.away, entry.reads_utf8, entry.writes_utf8,
            entry.lanchat_id, version, now,
        )
        if not self._put(peer, old):
            return None
        return peer, old is None or _shown(old) != _shown(peer)

    def heard(self, address: str, version: str, now: float, fallback_name: str) -> tuple[Peer, bool] | None:
        """Any other packet from `address`: it is online; a stranger gets a peer named after its user or host."""
        old = self.get(address)
        if old is None:
            peer = Peer(address, fallback_name, "", True, False, False, False, None, version, now)
        else:
            peer = replace(old, online=True, last_heard=now)
        if not self._put(peer, old):
            return None
        return peer, old is None or not old.online

    def left(self, address: str) -> Peer | None:
        """BR_EXIT: the peer, now offline, if it was online."""
        peer = self._online.pop(address, None)
        if peer is None:
            return None
        peer = replace(peer, online=False)
        self._offline[address] = peer
        return peer

    def expire(self, now: float) -> list[Peer]:
        """Peers silent for 10 minutes go offline; returns them."""
        gone = []
        while self._online:
            address, peer = next(iter(self._online.items()))
            if now - peer.last_heard <= SILENCE_SECONDS:
                break
            gone.append(self.left(address))
        return [p for p in gone if p is not None]

    def _put(self, peer: Peer, old: Peer | None) -> bool:
        self._offline.pop(peer.address, None)
        self._online.pop(peer.address, None)
        if old is None and len(self) >= MAX_PEERS:
            if not self._offline:
                return False
            self._offline.popitem(last=False)
        self._online[peer.address] = peer
        return True


def _shown(peer: Peer) -> tuple[str, str, bool, bool]:
    return peer.nickname, peer.group, peer.online, peer.away
