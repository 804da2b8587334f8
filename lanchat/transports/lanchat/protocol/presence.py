"""Presence datagrams (docs/protocol.md §2), the presence table and the rate limit."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeGuard

from lanchat.transports.lanchat.protocol import strictjson
from lanchat.transports.lanchat.protocol.fields import is_hex64, is_int

APP = "lanchat"
VERSION = 1
MAX_DATAGRAM = 1400
EXPIRY_SECONDS = 15.0
MAX_CONTACTS = 1024


class Kind(StrEnum):
    ANNOUNCE = "announce"
    QUERY = "query"
    LEAVE = "leave"


class Status(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    BUSY = "busy"


@dataclass(frozen=True)
class Datagram:
    """One presence datagram; `port` and `status` are set on announces only."""

    kind: Kind
    id: str
    name: str
    seq: int
    port: int | None = None
    status: Status | None = None
    group: str | None = None
    avatar: str | None = None


def encode_datagram(datagram: Datagram) -> bytes:
    """The bytes of a datagram.

    Raises:
        ValueError: the datagram breaks a rule of §2 (e.g. over 1400 bytes).
    """
    value: dict[str, Any] = {
        "app": APP,
        "v": VERSION,
        "kind": datagram.kind.value,
        "id": datagram.id,
        "name": datagram.name,
        "seq": datagram.seq,
    }
    if datagram.kind is Kind.ANNOUNCE:
        value["port"] = datagram.port
        value["status"] = datagram.status.value if datagram.status else None
        if datagram.group is not None:
            value["group"] = datagram.group
        if datagram.avatar is not None:
            value["avatar"] = datagram.avatar
    data = strictjson.dumps(value)
    if parse_datagram(data) is None:
        raise ValueError(f"not a valid presence datagram: {value!r}")
    return data


def parse_datagram(data: bytes) -> Datagram | None:
    """The datagram in `data`, or None when it is to be dropped silently."""
    if len(data) > MAX_DATAGRAM:
        return None
    try:
        value = strictjson.loads(data)
    except strictjson.JSONRuleError:
        return None
    if not isinstance(value, dict):
        return None
    if value.get("app") != APP or not is_int(value.get("v")) or value["v"] != VERSION:
        return None
    kind, peer_id, name, seq = (value.get(k) for k in ("kind", "id", "name", "seq"))
    if not _is_member(kind, Kind) or not is_hex64(peer_id) or not is_int(seq):
        return None
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        return None
    datagram = Datagram(Kind(kind), str(peer_id), name, int(seq))
    if datagram.kind is not Kind.ANNOUNCE:
        return datagram
    port, status = value.get("port"), value.get("status")
    group, avatar = value.get("group"), value.get("avatar")
    if not is_int(port) or not 1 <= int(port) <= 65535 or not _is_member(status, Status):
        return None
    if group is not None and not (isinstance(group, str) and len(group) <= 64):
        return None
    if avatar is not None and not is_hex64(avatar):
        return None
    return replace(datagram, port=int(port), status=Status(status), group=group, avatar=avatar)


def _is_member(value: Any, enum: type[StrEnum]) -> TypeGuard[str]:
    """Whether `value` is a string naming a member of `enum` (lists, dicts: no)."""
    return isinstance(value, str) and value in {member.value for member in enum}


@dataclass(frozen=True)
class PeerState:
    """What presence knows of one contact."""

    id: str
    name: str
    address: str  # the source IP of its datagrams
    port: int  # its TCP port (0 when it has never announced)
    status: Status | None  # None when offline
    group: str | None = None
    avatar: str | None = None

    @property
    def online(self) -> bool:
        return self.status is not None


@dataclass
class _Entry:
    state: PeerState
    source: tuple[str, int]
    last_seq: int
    last_accepted: float
    last_announce: float


class PresenceTable:
    """Contacts seen by presence: seq filtering, expiry, the 1024 cap.

    Pure: the caller passes the time in, and gets back the peers whose
    visible state changed (appeared, renamed, moved, changed status, left).
    """

    def __init__(self, own_id: str) -> None:
        self._own_id = own_id
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, peer_id: str) -> PeerState | None:
        entry = self._entries.get(peer_id)
        return entry.state if entry else None

    def peers(self) -> list[PeerState]:
        return [e.state for e in self._entries.values()]

    def sources(self) -> list[tuple[str, int]]:
        """The source (IP, port) of the last datagram of every contact."""
        return [e.source for e in self._entries.values()]

    def remember(self, state: PeerState, source: tuple[str, int]) -> None:
        """Add a contact known from earlier runs (offline), to unicast to it."""
        if state.id == self._own_id or state.id in self._entries:
            return
        if self._make_room():
            offline = replace(state, status=None)
            self._entries[state.id] = _Entry(offline, source, -1, float("-inf"), float("-inf"))

    def receive(
        self, datagram: Datagram, source: tuple[str, int], now: float
    ) -> PeerState | None:
        """Take in one datagram; return the peer's new state if it changed."""
        if datagram.id == self._own_id:
            return None
        entry = self._entries.get(datagram.id)
        if entry is not None:
            fresh = now - entry.last_accepted <= EXPIRY_SECONDS
            if datagram.seq <= entry.last_seq and fresh:
                return None
        elif datagram.kind is not Kind.ANNOUNCE:
            return None  # query and leave from unknown ids create no contact
        if entry is None:
            if not self._make_room():
                return None
            entry = _Entry(
                PeerState(datagram.id, datagram.name, source[0], 0, None),
                source, datagram.seq, now, now,
            )
            self._entries[datagram.id] = entry
        entry.last_seq, entry.last_accepted, entry.source = datagram.seq, now, source
        self._entries.move_to_end(datagram.id)
        old = entry.state
        if datagram.kind is Kind.ANNOUNCE:
            assert datagram.port is not None
            entry.last_announce = now
            new = PeerState(
                datagram.id, datagram.name, source[0], datagram.port,
                datagram.status, datagram.group, datagram.avatar,
            )
        elif datagram.kind is Kind.LEAVE:
            new = replace(old, name=datagram.name, status=None)
        else:
            new = replace(old, name=datagram.name)
        entry.state = new
        return new if new != old else None

    def expire(self, now: float) -> list[PeerState]:
        """Mark offline every contact silent for 15 s; return those."""
        gone = []
        for entry in self._entries.values():
            if entry.state.online and now - entry.last_announce > EXPIRY_SECONDS:
                entry.state = replace(entry.state, status=None)
                gone.append(entry.state)
        return gone

    def _make_room(self) -> bool:
        """Drop the oldest offline contact if the table is full; False if none."""
        if len(self._entries) < MAX_CONTACTS:
            return True
        for peer_id, entry in self._entries.items():  # oldest first
            if not entry.state.online:
                del self._entries[peer_id]
                return True
        return False
