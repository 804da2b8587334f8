"""Group chats: a room is an id, a name and its members; Everyone is the room of all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

#: The room every lanchat shares for "Everyone": the same id on every peer,
#: so everybody's Everyone messages land in one chat (docs/protocol.md §3.3).
EVERYONE_ROOM_ID = hashlib.sha256(b"lanchat everyone room v1").hexdigest()[:32]
#: The most members a named group has (docs/protocol.md §5).
MAX_ROOM_MEMBERS = 256


@dataclass(frozen=True)
class Room:
    """A group chat: `members` are contact ids (ours included)."""

    id: str
    name: str
    members: tuple[str, ...]

    @property
    def is_everyone(self) -> bool:
        return self.id == EVERYONE_ROOM_ID
