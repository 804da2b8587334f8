"""The frozen records the history store takes and gives back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lanchat.core.transfers.state import TransferState


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageState(StrEnum):
    """`pending`/`delivered`/`read`/`failed` for outgoing, `received`/`read` for incoming."""

    PENDING = "pending"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    RECEIVED = "received"


class EntryKind(StrEnum):
    """What a history entry is: a text message, or a transfer (a picture or files)."""

    TEXT = "text"
    IMAGE = "image"
    FILES = "files"


@dataclass(frozen=True)
class FileRecord:
    """One file of a transfer.

    `path` is the relative path of the offer, `have` the bytes held so far,
    `saved_as` the absolute final path (incoming, once done), `ok` None until
    the file's `done`, `partial` the partial file being written (incoming),
    `source` the local file being sent (outgoing).
    """

    path: str
    size: int
    have: int = 0
    saved_as: str | None = None
    sha256: str | None = None
    ok: bool | None = None
    partial: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class MessageRecord:
    """One entry of a chat: a message, or a transfer shown as an entry (`files` set).

    `chat` is the peer id of a 1:1 chat or the room id of a room (then `room`
    equals it). `sender` is the author's id (our own id for outgoing). `ts` is
    milliseconds since the epoch as sent. For a transfer entry `mid` is the tid,
    `state` the transfer's state and `kind` `image` or `files`. `row_id` is
    set on records the store gives back; it orders a chat (arrival order) and is
    the `before` cursor of `HistoryStore.page`.
    """

    mid: str
    chat: str
    sender: str
    direction: str
    ts: int
    text: str
    state: str
    room: str | None = None
    files: tuple[FileRecord, ...] = ()
    row_id: int | None = None
    kind: str = EntryKind.TEXT
    album: str | None = None  # (1.1) a picture's album: the window shows an album's pictures as one entry


@dataclass(frozen=True)
class ContactRecord:
    """A person we have seen; times are milliseconds since the epoch."""

    id: str
    name: str
    address: str | None = None
    port: int | None = None
    group: str = ""
    avatar_hash: str | None = None
    verified: bool = False
    first_seen: int = 0
    last_seen: int = 0


@dataclass(frozen=True)
class RoomRecord:
    id: str
    name: str
    members: tuple[str, ...]
    updated_at: int = 0


@dataclass(frozen=True)
class TransferRecord:
    """An offer, sent or received, and the state of its files.

    `peer` is the other side; `created_at`/`updated_at` are milliseconds (0 =
    now, filled in by the store). `thumb` is the offer's JPEG thumbnail.
    """

    tid: str
    peer: str
    direction: str
    kind: str
    files: tuple[FileRecord, ...]
    state: str = TransferState.OFFERED
    room: str | None = None
    created_at: int = 0
    updated_at: int = 0
    reason: str | None = None
    thumb: bytes | None = None
    album: str | None = None  # (1.1) the album id of a picture sent with others
    album_n: int | None = None

    @property
    def chat(self) -> str:
        return self.room if self.room is not None else self.peer


@dataclass(frozen=True)
class IncomingSaved:
    """Payload of `incoming_saved`: the message is committed (new) or was known."""

    sender: str
    mid: str
    new: bool


@dataclass(frozen=True)
class MessageChanged:
    """Payload of `message_changed`: an entry's state moved."""

    row_id: int
    mid: str
    chat: str
    state: str
