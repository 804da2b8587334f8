"""Every frame type of docs/protocol.md §3 as a frozen dataclass, with its checks.

Each frame class knows its wire type `T`, how to check and build itself
from a decoded header (`from_header`, raising `FieldError`) and how to turn
itself back into a header (`to_header`). Bodies (of `data` and `avatar`)
are not part of the dataclass; the header's `body` field gives their size.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from lanchat.transports.lanchat.protocol.errors import ErrorCode
from lanchat.transports.lanchat.protocol.fields import (
    MAX_SAFE_INT,
    FieldError,
    b64decode,
    b64encode,
    bool_field,
    get,
    hex32_field,
    hex64_field,
    int_field,
    is_hex32,
    is_hex64,
    is_int,
    label_field,
    str_field,
)

PROTOCOL_VERSION = 1
MAX_TEXT_BYTES = 32768
MAX_ROOM_MEMBERS = 256
MAX_READ_MIDS = 1000
MAX_AVATAR_BYTES = 256 * 1024
MAX_ALBUM = 1000


class Purpose(StrEnum):
    CHAT = "chat"
    TRANSFER = "transfer"


class OfferKind(StrEnum):
    IMAGE = "image"
    FILES = "files"


class RejectReason(StrEnum):
    DECLINED = "declined"
    BAD_PATH = "bad-path"
    TOO_LARGE = "too-large"
    BAD_OFFER = "bad-offer"
    BUSY = "busy"
    NO_SPACE = "no-space"


class DoneReason(StrEnum):
    HASH_MISMATCH = "hash-mismatch"
    NO_SPACE = "no-space"
    IO_ERROR = "io-error"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Frame:
    """Base of all frames."""

    T: ClassVar[str] = ""
    #: Whether frames of this type are followed by a body.
    HAS_BODY: ClassVar[bool] = False

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Frame:
        return cls()

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T}


#: (1.1) The Everyone room: the first 32 hex of SHA-256("lanchat everyone room v1"); a receiver
#: recognises it by this id alone and also accepts it with `members: []` (docs/protocol.md §3.3).
EVERYONE_ROOM_ID = "a436a0f070bf5aa6ab419cde4ad28674"


@dataclass(frozen=True)
class Room:
    """The `room` of a group message or offer."""

    id: str
    name: str
    members: tuple[str, ...]

    @classmethod
    def from_value(cls, value: Any) -> Room:
        if not isinstance(value, dict):
            raise FieldError("'room' must be an object")
        room_id = hex32_field(value, "id")
        name = label_field(value, "name")
        members = get(value, "members")
        if not isinstance(members, list) or (not members and room_id != EVERYONE_ROOM_ID):
            raise FieldError("'members' must be a non-empty list")
        if len(members) > MAX_ROOM_MEMBERS:
            raise FieldError(f"a room has at most {MAX_ROOM_MEMBERS} members", ErrorCode.TOO_LARGE)
        if not all(is_hex64(m) for m in members):
            raise FieldError("room members must be ids (64 lowercase hex)")
        return cls(room_id, name, tuple(members))

    def to_value(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "members": list(self.members)}


def _optional_room(header: dict[str, Any]) -> Room | None:
    value = header.get("room")
    return None if value is None else Room.from_value(value)


def _with_room(header: dict[str, Any], room: Room | None) -> dict[str, Any]:
    if room is not None:
        header["room"] = room.to_value()
    return header


# --- handshake ---------------------------------------------------------------


@dataclass(frozen=True)
class ServerHello(Frame):
    T: ClassVar[str] = "hello"
    id: str
    name: str
    nonce: str
    v: int = PROTOCOL_VERSION

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> ServerHello:
        _check_version(header)
        return cls(
            id=hex64_field(header, "id"),
            name=label_field(header, "name"),
            nonce=hex64_field(header, "nonce"),
        )

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "v": self.v, "id": self.id, "name": self.name, "nonce": self.nonce}


@dataclass(frozen=True)
class ClientHello(Frame):
    T: ClassVar[str] = "hello"
    id: str
    name: str
    port: int
    purpose: Purpose
    cert: bytes
    sig: bytes
    v: int = PROTOCOL_VERSION

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> ClientHello:
        # Order matters (§3.2 step 3): version, then purpose/port/name, then auth.
        _check_version(header)
        purpose = str_field(header, "purpose")
        if purpose not in set(Purpose):
            raise FieldError("'purpose' must be 'chat' or 'transfer'")
        port = int_field(header, "port", 1, 65535)
        name = label_field(header, "name")
        # Everything about who the client is fails as `auth-failed`, even a
        # missing or mistyped field: the id, cert or signature does not verify.
        peer_id = hex64_field(header, "id", ErrorCode.AUTH_FAILED)
        cert, sig = _auth_bytes(header, "cert"), _auth_bytes(header, "sig")
        return cls(id=peer_id, name=name, port=port, purpose=Purpose(purpose), cert=cert, sig=sig)

    def to_header(self) -> dict[str, Any]:
        return {
            "t": self.T,
            "v": self.v,
            "id": self.id,
            "name": self.name,
            "port": self.port,
            "purpose": self.purpose.value,
            "cert": b64encode(self.cert),
            "sig": b64encode(self.sig),
        }


def _auth_bytes(header: dict[str, Any], key: str) -> bytes:
    """The base64 field `key` of a client hello; any fault is `auth-failed`."""
    value = header.get(key)
    if not isinstance(value, str):
        raise FieldError(f"{key!r} must be a base64 string", ErrorCode.AUTH_FAILED)
    try:
        return b64decode(value)
    except FieldError:
        raise FieldError(f"{key!r} is not valid base64", ErrorCode.AUTH_FAILED) from None


def _check_version(header: dict[str, Any]) -> None:
    version = header.get("v")
    if not is_int(version) or version != PROTOCOL_VERSION:
        raise FieldError(f"unsupported protocol version {version!r}", ErrorCode.BAD_VERSION)


@dataclass(frozen=True)
class Welcome(Frame):
    T: ClassVar[str] = "welcome"


# --- chat requests -----------------------------------------------------------


@dataclass(frozen=True)
class Msg(Frame):
    T: ClassVar[str] = "msg"
    mid: str
    ts: int
    text: str
    room: Room | None = None

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Msg:
        mid = hex32_field(header, "mid")
        ts = int_field(header, "ts")
        text = str_field(header, "text")
        size = len(text.encode("utf-8"))
        if size == 0:
            raise FieldError("'text' is empty")
        if size > MAX_TEXT_BYTES:
            raise FieldError(f"text over {MAX_TEXT_BYTES} bytes", ErrorCode.TOO_LARGE)
        return cls(mid, ts, text, _optional_room(header))

    def to_header(self) -> dict[str, Any]:
        header = {"t": self.T, "mid": self.mid, "ts": self.ts, "text": self.text}
        return _with_room(header, self.room)


@dataclass(frozen=True)
class FileEntry:
    """One file of an offer: its relative path and size."""

    path: str
    size: int


@dataclass(frozen=True)
class Album:
    """(1.1) `{"id": 32 hex, "n": 1..1000}`: image offers sent together."""

    id: str
    n: int

    @classmethod
    def from_value(cls, value: Any) -> Album:
        if not isinstance(value, dict):
            raise FieldError("'album' must be an object")
        return cls(hex32_field(value, "id"), int_field(value, "n", 1, MAX_ALBUM))

    def to_value(self) -> dict[str, Any]:
        return {"id": self.id, "n": self.n}


@dataclass(frozen=True)
class Offer(Frame):
    """An offer as it came: well-formed, but paths and limits still unchecked.

    `lanchat.transports.lanchat.protocol.offers.offer_problem` says whether to reject it.
    """

    T: ClassVar[str] = "offer"
    tid: str
    kind: OfferKind
    files: tuple[FileEntry, ...]
    thumb: bytes | None = None
    room: Room | None = None
    album: Album | None = None

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Offer:
        tid = hex32_field(header, "tid")
        kind = str_field(header, "kind")
        if kind not in set(OfferKind):
            raise FieldError("'kind' must be 'image' or 'files'")
        files = get(header, "files")
        if not isinstance(files, list) or not files:
            raise FieldError("'files' must be a non-empty list")
        entries = tuple(_file_entry(item) for item in files)
        thumb_value = header.get("thumb")
        thumb = None
        if thumb_value is not None:
            if not isinstance(thumb_value, str):
                raise FieldError("'thumb' must be a base64 string")
            thumb = b64decode(thumb_value)
        album_value = header.get("album")
        album = Album.from_value(album_value) if album_value is not None else None
        return cls(tid, OfferKind(kind), entries, thumb, _optional_room(header), album)

    def to_header(self) -> dict[str, Any]:
        header: dict[str, Any] = {
            "t": self.T,
            "tid": self.tid,
            "kind": self.kind.value,
            "files": [{"path": f.path, "size": f.size} for f in self.files],
        }
        if self.thumb is not None:
            header["thumb"] = b64encode(self.thumb)
        if self.album is not None:
            header["album"] = self.album.to_value()
        return _with_room(header, self.room)

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


def _file_entry(item: Any) -> FileEntry:
    if not isinstance(item, dict):
        raise FieldError("each file must be an object")
    return FileEntry(str_field(item, "path"), int_field(item, "size"))


@dataclass(frozen=True)
class Cancel(Frame):
    T: ClassVar[str] = "cancel"
    tid: str

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Cancel:
        return cls(hex32_field(header, "tid"))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "tid": self.tid}


@dataclass(frozen=True)
class Read(Frame):
    T: ClassVar[str] = "read"
    mids: tuple[str, ...]

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Read:
        mids = get(header, "mids")
        if not isinstance(mids, list) or len(mids) > MAX_READ_MIDS:
            raise FieldError(f"'mids' must be a list of at most {MAX_READ_MIDS}")
        if not all(is_hex32(m) for m in mids):
            raise FieldError("'mids' must hold 32-hex mids")
        return cls(tuple(mids))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "mids": list(self.mids)}


@dataclass(frozen=True)
class Typing(Frame):
    T: ClassVar[str] = "typing"
    active: bool
    room: Room | None = None

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Typing:
        return cls(bool_field(header, "active"), _optional_room(header))

    def to_header(self) -> dict[str, Any]:
        return _with_room({"t": self.T, "active": self.active}, self.room)


@dataclass(frozen=True)
class AvatarGet(Frame):
    T: ClassVar[str] = "avatar-get"
    sha256: str

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> AvatarGet:
        return cls(hex64_field(header, "sha256"))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "sha256": self.sha256}


@dataclass(frozen=True)
class Ping(Frame):
    T: ClassVar[str] = "ping"


# --- chat answers ------------------------------------------------------------


@dataclass(frozen=True)
class Ack(Frame):
    T: ClassVar[str] = "ack"
    mid: str

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Ack:
        return cls(hex32_field(header, "mid"))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "mid": self.mid}


@dataclass(frozen=True)
class Accept(Frame):
    T: ClassVar[str] = "accept"
    tid: str
    have: tuple[int, ...]

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Accept:
        tid = hex32_field(header, "tid")
        have = get(header, "have")
        if not isinstance(have, list) or not all(
            is_int(n) and 0 <= n < MAX_SAFE_INT for n in have
        ):
            raise FieldError("'have' must be a list of byte counts")
        return cls(tid, tuple(have))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "tid": self.tid, "have": list(self.have)}


@dataclass(frozen=True)
class Reject(Frame):
    T: ClassVar[str] = "reject"
    tid: str
    reason: str

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Reject:
        return cls(hex32_field(header, "tid"), str_field(header, "reason"))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "tid": self.tid, "reason": self.reason}


@dataclass(frozen=True)
class Avatar(Frame):
    """An avatar image; `size` bytes of body follow the header."""

    T: ClassVar[str] = "avatar"
    HAS_BODY: ClassVar[bool] = True
    sha256: str
    size: int

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Avatar:
        sha = hex64_field(header, "sha256")
        size = int_field(header, "body")
        if size > MAX_AVATAR_BYTES:
            raise FieldError(f"avatar over {MAX_AVATAR_BYTES} bytes", ErrorCode.TOO_LARGE)
        return cls(sha, size)

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "sha256": self.sha256, "body": self.size}


@dataclass(frozen=True)
class Pong(Frame):
    T: ClassVar[str] = "pong"


@dataclass(frozen=True)
class Error(Frame):
    T: ClassVar[str] = "error"
    code: str
    message: str = ""
    mid: str | None = None
    tid: str | None = None

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Error:
        code = str_field(header, "code")
        message = header.get("message", "")
        if not isinstance(message, str):
            raise FieldError("'message' must be a string")
        mid = header.get("mid")
        tid = header.get("tid")
        return cls(
            code,
            message,
            mid if is_hex32(mid) else None,
            tid if is_hex32(tid) else None,
        )

    def to_header(self) -> dict[str, Any]:
        header: dict[str, Any] = {"t": self.T, "code": self.code, "message": self.message}
        if self.mid is not None:
            header["mid"] = self.mid
        if self.tid is not None:
            header["tid"] = self.tid
        return header


# --- transfer connection -----------------------------------------------------


@dataclass(frozen=True)
class Data(Frame):
    """Bytes `offset`..`offset+size` of file `i`; `size` bytes of body follow."""

    T: ClassVar[str] = "data"
    HAS_BODY: ClassVar[bool] = True
    tid: str
    i: int
    offset: int
    size: int

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Data:
        return cls(
            hex32_field(header, "tid"),
            int_field(header, "i"),
            int_field(header, "offset"),
            int_field(header, "body"),
        )

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "tid": self.tid, "i": self.i, "offset": self.offset, "body": self.size}


@dataclass(frozen=True)
class End(Frame):
    T: ClassVar[str] = "end"
    tid: str
    i: int
    sha256: str

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> End:
        return cls(hex32_field(header, "tid"), int_field(header, "i"), hex64_field(header, "sha256"))

    def to_header(self) -> dict[str, Any]:
        return {"t": self.T, "tid": self.tid, "i": self.i, "sha256": self.sha256}


@dataclass(frozen=True)
class Done(Frame):
    T: ClassVar[str] = "done"
    tid: str
    i: int
    ok: bool
    reason: str | None = None

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> Done:
        reason = header.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise FieldError("'reason' must be a string")
        return cls(hex32_field(header, "tid"), int_field(header, "i"), bool_field(header, "ok"), reason)

    def to_header(self) -> dict[str, Any]:
        header: dict[str, Any] = {"t": self.T, "tid": self.tid, "i": self.i, "ok": self.ok}
        if self.reason is not None:
            header["reason"] = self.reason
        return header


# --- direction tables ----------------------------------------------------------

#: What the connecting side (client) may send, by wire type.
REQUESTS: dict[str, type[Frame]] = {
    cls.T: cls
    for cls in (ClientHello, Msg, Offer, Cancel, Read, Typing, AvatarGet, Ping, Data, End, Error)
}
#: What the accepting side (server) may send, by wire type.
ANSWERS: dict[str, type[Frame]] = {
    cls.T: cls for cls in (ServerHello, Welcome, Ack, Accept, Reject, Avatar, Pong, Done, Error)
}
KNOWN_TYPES = frozenset(REQUESTS) | frozenset(ANSWERS)

#: Frames allowed after the handshake, by purpose (either direction).
CHAT_TYPES = frozenset(
    {"msg", "offer", "cancel", "read", "typing", "avatar-get", "ping",
     "ack", "accept", "reject", "avatar", "pong", "error"}
)
TRANSFER_TYPES = frozenset({"data", "end", "ping", "done", "pong", "error"})
