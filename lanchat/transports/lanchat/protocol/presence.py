"""Presence datagrams (docs/protocol.md §2) and what presence knows of a contact (the table is in presence_table.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

from lanchat.transports.lanchat.protocol import strictjson
from lanchat.transports.lanchat.protocol.fields import is_hex64, is_int

APP = "lanchat"
VERSION = 1
MAX_DATAGRAM = 1400
EXPIRY_SECONDS = 15.0


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
    if kind != Kind.ANNOUNCE:
        return Datagram(Kind(kind), str(peer_id), name, int(seq))
    port, status = value.get("port"), value.get("status")
    group, avatar = value.get("group"), value.get("avatar")
    if not is_int(port) or not 1 <= int(port) <= 65535 or not _is_member(status, Status):
        return None
    if group is not None and not (isinstance(group, str) and len(group) <= 64):
        return None
    if avatar is not None and not is_hex64(avatar):
        return None
    return Datagram(Kind.ANNOUNCE, str(peer_id), name, int(seq), int(port), Status(status), group, avatar)


_MEMBERS: dict[type[StrEnum], frozenset[str]] = {}


def _is_member(value: Any, enum: type[StrEnum]) -> TypeGuard[str]:
    """Whether `value` is a string naming a member of `enum` (lists, dicts: no)."""
    members = _MEMBERS.get(enum)
    if members is None:
        members = _MEMBERS[enum] = frozenset(member.value for member in enum)
    return isinstance(value, str) and value in members


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
