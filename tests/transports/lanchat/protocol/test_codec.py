"""The frame codec against docs/protocol.md §3.1–3.4: `encode` and `FrameDecoder`.

Every decoder test feeds its input three ways through the `feeder` fixture
(tests/protocol/conftest.py): whole, one byte at a time, and followed by
the start of a next frame.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanchat.core.transfers.offers import offer_problem
from lanchat.transports.lanchat.convert import offer_from_wire
from lanchat.transports.lanchat.protocol.codec import (
    MAX_HEADER,
    NEED_DATA,
    BodyChunk,
    BodyEnd,
    ConnectionClosed,
    FrameDecoder,
    Role,
    UnknownFrame,
    encode,
    encode_error,
)
from lanchat.transports.lanchat.protocol.errors import ErrorCode, LocalProtocolError, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import (
    KNOWN_TYPES,
    Accept,
    Ack,
    Avatar,
    AvatarGet,
    Cancel,
    ClientHello,
    Data,
    Done,
    End,
    Error,
    FileEntry,
    Frame,
    Msg,
    Offer,
    OfferKind,
    Ping,
    Pong,
    Purpose,
    Read,
    Reject,
    RejectReason,
    Room,
    ServerHello,
    Typing,
    Welcome,
)
from lanchat.transports.lanchat.protocol.presence import parse_datagram

MID = "0123456789abcdef" * 2
TID = "fedcba9876543210" * 2
ID = "ab" * 32
SHA = "cd" * 32
TS = 1_700_000_000_000
CERT = base64.b64encode(b"\x30\x82 not really a certificate").decode()
SIG = base64.b64encode(b"\x30\x45 not really a signature").decode()

S, C = Role.SERVER, Role.CLIENT
MISSING: Any = object()  # as a field value: leave the field out


def frame(header: dict[str, Any] | bytes, body: bytes = b"") -> bytes:
    """A raw frame: length, header (a dict as compact JSON, or raw bytes), body."""
    raw = header if isinstance(header, bytes) else _json(header)
    return struct.pack(">I", len(raw)) + raw + body


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fields(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **changes}
    return {k: v for k, v in merged.items() if v is not MISSING}


def msg(**changes: Any) -> dict[str, Any]:
    return _fields({"t": "msg", "mid": MID, "ts": TS, "text": "hi"}, changes)


def room(**changes: Any) -> dict[str, Any]:
    return _fields({"id": TID, "name": "class 4b", "members": [ID]}, changes)


def files(*paths: str, size: int = 1) -> list[dict[str, Any]]:
    return [{"path": p, "size": size} for p in paths]


def offer(**changes: Any) -> dict[str, Any]:
    return _fields({"t": "offer", "tid": TID, "kind": "files", "files": files("a.txt")}, changes)


def hello(**changes: Any) -> dict[str, Any]:
    """A client hello (what a server receives)."""
    base = {"t": "hello", "v": 1, "id": ID, "name": "Ann", "port": 48484,
            "purpose": "chat", "cert": CERT, "sig": SIG}
    return _fields(base, changes)


def server_hello(**changes: Any) -> dict[str, Any]:
    return _fields({"t": "hello", "v": 1, "id": ID, "name": "Bob", "nonce": SHA}, changes)


def datagram(**changes: Any) -> bytes:
    base = {"app": "lanchat", "v": 1, "kind": "announce", "id": ID, "name": "Ann",
            "seq": TS, "port": 48484, "status": "online"}
    return _json(_fields(base, changes))


def nested(depth: int) -> Any:
    """`depth` nested arrays."""
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


# --- the table of bad inputs --------------------------------------------------------


@dataclass(frozen=True)
class Err:
    """The decoder raises RemoteProtocolError with this code (and mid/tid echoed)."""

    code: ErrorCode
    mid: str | None = None
    tid: str | None = None


@dataclass(frozen=True)
class Rej:
    """The frame decodes to an Offer that `offer_problem` rejects with this reason."""

    reason: RejectReason


@dataclass(frozen=True)
class Drop:
    """`parse_datagram` drops the presence datagram (returns None)."""


BAD_FRAME, TOO_LARGE = Err(ErrorCode.BAD_FRAME), Err(ErrorCode.TOO_LARGE)
BAD_VERSION, AUTH_FAILED = Err(ErrorCode.BAD_VERSION), Err(ErrorCode.AUTH_FAILED)
MID_BAD_FRAME = Err(ErrorCode.BAD_FRAME, mid=MID)
TID_BAD_FRAME = Err(ErrorCode.BAD_FRAME, tid=TID)
BAD_PATH = Rej(RejectReason.BAD_PATH)
DROP = Drop()

TEXT_32769 = "é" * 16384 + "a"  # 32769 bytes of UTF-8, 16385 chars
BIG_OFFER = offer(files=files(*(f"folder/file number {i:05}.txt" for i in range(2000))))

BAD_INPUTS = [
    # §3.1 framing and the JSON rules
    pytest.param(S, struct.pack(">I", 0) + frame({"t": "ping"}), BAD_FRAME, id="header_len-0"),
    pytest.param(S, struct.pack(">I", 65537) + b"{" * 100, TOO_LARGE, id="header_len-65537"),
    pytest.param(S, struct.pack(">I", 2**32 - 1), TOO_LARGE, id="header_len-4GiB"),
    pytest.param(S, frame(BIG_OFFER), TOO_LARGE, id="offer-header-over-64KiB"),
    pytest.param(S, frame(b'{"t":"ping","x":"\xff"}'), BAD_FRAME, id="invalid-utf8"),
    pytest.param(S, frame(b'{"t":"ping","x":"\xc0\xaf"}'), BAD_FRAME, id="overlong-utf8"),
    pytest.param(S, frame(b'{"t":"ping","x":"\xed\xa0\x80"}'), BAD_FRAME, id="utf8-encoded-surrogate"),
    pytest.param(S, frame(b'{"t":"ping"'), BAD_FRAME, id="not-json"),
    pytest.param(S, frame(b'{"t":"ping"} {}'), BAD_FRAME, id="two-json-values"),
    pytest.param(S, frame(b'["t","ping"]'), BAD_FRAME, id="json-array"),
    pytest.param(S, frame(b'"ping"'), BAD_FRAME, id="json-string"),
    pytest.param(S, frame(b"null"), BAD_FRAME, id="json-null"),
    pytest.param(S, frame({"type": "ping"}), BAD_FRAME, id="missing-t"),
    pytest.param(S, frame({"t": 1}), BAD_FRAME, id="t-number"),
    pytest.param(S, frame({"t": None}), BAD_FRAME, id="t-null"),
    pytest.param(S, frame({"t": ["ping"]}), BAD_FRAME, id="t-list"),
    pytest.param(S, frame(b'{"t":"ping","t":"ping"}'), BAD_FRAME, id="duplicate-key"),
    pytest.param(S, frame(b'{"t":"ping","x":{"a":1,"a":1}}'), BAD_FRAME, id="duplicate-nested-key"),
    pytest.param(S, frame(b'{"t":"ping","x":NaN}'), BAD_FRAME, id="NaN"),
    pytest.param(S, frame(b'{"t":"ping","x":Infinity}'), BAD_FRAME, id="Infinity"),
    pytest.param(S, frame(b'{"t":"ping","x":-Infinity}'), BAD_FRAME, id="-Infinity"),
    pytest.param(S, frame(b'{"t":"ping","x":1e400}'), BAD_FRAME, id="float-overflow"),
    pytest.param(S, frame(b'{"t":"ping","x":9007199254740993}'), BAD_FRAME, id="int-over-2^53"),
    pytest.param(S, frame(b'{"t":"ping","x":-9007199254740993}'), BAD_FRAME, id="int-under--2^53"),
    pytest.param(S, frame(b'{"t":"ping","x":"\\ud800"}'), BAD_FRAME, id="unpaired-high-surrogate"),
    pytest.param(S, frame(b'{"t":"ping","x":"a\\udc00"}'), BAD_FRAME, id="unpaired-low-surrogate"),
    pytest.param(S, frame(b'{"t":"ping","\\ud83d":1}'), BAD_FRAME, id="unpaired-surrogate-in-key"),
    pytest.param(S, frame({"t": "ping", "x": nested(32)}), BAD_FRAME, id="depth-33"),
    # §3.1 body
    pytest.param(S, frame(msg(body=3), b"abc"), MID_BAD_FRAME, id="body-on-msg"),
    pytest.param(S, frame({"t": "ping", "body": 0}), BAD_FRAME, id="body-0-on-ping"),
    pytest.param(C, frame({"t": "ack", "mid": MID, "body": 1}, b"x"), BAD_FRAME, id="body-on-ack"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": -1}),
                 TID_BAD_FRAME, id="body-negative"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": "3"}, b"abc"),
                 TID_BAD_FRAME, id="body-string"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": 1.5}, b"ab"),
                 TID_BAD_FRAME, id="body-float"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": 3.0}, b"abc"),
                 TID_BAD_FRAME, id="body-float-integral"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": None}),
                 TID_BAD_FRAME, id="body-null"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": True}, b"a"),
                 TID_BAD_FRAME, id="body-true"),
    pytest.param(S, frame({"t": "ping", "body": None}), BAD_FRAME, id="body-null-on-ping"),
    pytest.param(S, frame({"t": "future", "body": -5}), BAD_FRAME, id="body-negative-unknown-type"),
    pytest.param(S, frame({"t": "future", "body": 2**53 + 1}), BAD_FRAME, id="body-over-2^53"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": 0}), TID_BAD_FRAME,
                 id="data-without-body"),
    pytest.param(C, frame({"t": "avatar", "sha256": SHA}), BAD_FRAME, id="avatar-without-body"),
    # §3.3 msg
    pytest.param(S, frame(msg(mid="0123456789ABCDEF" * 2)), BAD_FRAME, id="msg-mid-uppercase"),
    pytest.param(S, frame(msg(mid=MID[:31])), BAD_FRAME, id="msg-mid-31-hex"),
    pytest.param(S, frame(msg(mid=MISSING)), BAD_FRAME, id="msg-no-mid"),
    pytest.param(S, frame(msg(ts=MISSING)), MID_BAD_FRAME, id="msg-no-ts"),
    pytest.param(S, frame(msg(ts="now")), MID_BAD_FRAME, id="msg-ts-string"),
    pytest.param(S, frame(msg(ts=1.5)), MID_BAD_FRAME, id="msg-ts-float"),
    pytest.param(S, frame(msg(text=TEXT_32769)), Err(ErrorCode.TOO_LARGE, mid=MID), id="text-32769-bytes"),
    pytest.param(S, frame(msg(text="")), MID_BAD_FRAME, id="text-empty"),
    pytest.param(S, frame(msg(text=MISSING)), MID_BAD_FRAME, id="text-missing"),
    pytest.param(S, frame(msg(text=["hi"])), MID_BAD_FRAME, id="text-list"),
    pytest.param(S, frame(msg(room=room(members=[f"{i:064x}" for i in range(257)]))),
                 Err(ErrorCode.TOO_LARGE, mid=MID), id="room-257-members"),
    pytest.param(S, frame(msg(room=room(members=[]))), MID_BAD_FRAME, id="room-no-members"),
    pytest.param(S, frame(msg(room=room(members=[ID.upper()]))), MID_BAD_FRAME, id="room-member-not-id"),
    pytest.param(S, frame(msg(room=room(name=""))), MID_BAD_FRAME, id="room-name-empty"),
    pytest.param(S, frame(msg(room=room(name="x" * 65))), MID_BAD_FRAME, id="room-name-65-chars"),
    pytest.param(S, frame(msg(room=room(id="r1"))), MID_BAD_FRAME, id="room-id-not-hex"),
    pytest.param(S, frame(msg(room="class 4b")), MID_BAD_FRAME, id="room-string"),
    # §3.3 offers that are malformed: error, not reject
    pytest.param(S, frame(offer(files=files("a", size=-1))), TID_BAD_FRAME, id="offer-size-negative"),
    pytest.param(S, frame(offer(files=files("a", size=2**53))), TID_BAD_FRAME, id="offer-size-2^53"),
    pytest.param(S, frame(offer(files=[{"path": "a", "size": 1.5}])), TID_BAD_FRAME, id="offer-size-float"),
    pytest.param(S, frame(offer(files=[{"path": "a", "size": "1"}])), TID_BAD_FRAME, id="offer-size-string"),
    pytest.param(S, frame(offer(files=[{"path": "a"}])), TID_BAD_FRAME, id="offer-size-missing"),
    pytest.param(S, frame(offer(files=[{"size": 1}])), TID_BAD_FRAME, id="offer-path-missing"),
    pytest.param(S, frame(offer(files=[{"path": 7, "size": 1}])), TID_BAD_FRAME, id="offer-path-number"),
    pytest.param(S, frame(offer(files=["a.txt"])), TID_BAD_FRAME, id="offer-file-not-object"),
    pytest.param(S, frame(offer(files=[])), TID_BAD_FRAME, id="offer-files-empty"),
    pytest.param(S, frame(offer(files=MISSING)), TID_BAD_FRAME, id="offer-files-missing"),
    pytest.param(S, frame(offer(kind=MISSING)), TID_BAD_FRAME, id="offer-kind-missing"),
    pytest.param(S, frame(offer(kind="video")), TID_BAD_FRAME, id="offer-kind-unknown"),
    pytest.param(S, frame(offer(tid="xyz")), BAD_FRAME, id="offer-tid-not-hex"),
    pytest.param(S, frame(offer(tid=MISSING)), BAD_FRAME, id="offer-tid-missing"),
    pytest.param(S, frame(offer(thumb="not base64!")), TID_BAD_FRAME, id="thumb-not-base64"),
    pytest.param(S, frame(offer(thumb="QUJ")), TID_BAD_FRAME, id="thumb-bad-padding"),
    pytest.param(S, frame(offer(thumb=123)), TID_BAD_FRAME, id="thumb-number"),
    # other known frames with bad fields
    pytest.param(S, frame({"t": "read", "mids": [MID] * 1001}), BAD_FRAME, id="read-1001-mids"),
    pytest.param(S, frame({"t": "read", "mids": ["x"]}), BAD_FRAME, id="read-bad-mid"),
    pytest.param(S, frame({"t": "typing", "active": "yes"}), BAD_FRAME, id="typing-active-string"),
    pytest.param(S, frame({"t": "typing", "active": 1}), BAD_FRAME, id="typing-active-1"),
    pytest.param(S, frame({"t": "avatar-get", "sha256": SHA[:62]}), BAD_FRAME, id="avatar-get-short-sha"),
    pytest.param(S, frame({"t": "cancel", "tid": 5}), BAD_FRAME, id="cancel-tid-number"),
    pytest.param(S, frame({"t": "end", "tid": TID, "i": 0}), TID_BAD_FRAME, id="end-no-sha256"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": -1, "offset": 0, "body": 1}, b"x"),
                 TID_BAD_FRAME, id="data-index-negative"),
    pytest.param(S, frame({"t": "data", "tid": TID, "i": 0, "offset": -1, "body": 1}, b"x"),
                 TID_BAD_FRAME, id="data-offset-negative"),
    pytest.param(C, frame({"t": "ack", "mid": "m1"}), BAD_FRAME, id="ack-bad-mid"),
    pytest.param(C, frame({"t": "accept", "tid": TID, "have": [-1]}), TID_BAD_FRAME,
                 id="accept-have-negative"),
    pytest.param(C, frame({"t": "reject", "tid": TID}), TID_BAD_FRAME, id="reject-no-reason"),
    pytest.param(C, frame({"t": "done", "tid": TID, "i": 0, "ok": "yes"}), TID_BAD_FRAME,
                 id="done-ok-string"),
    pytest.param(C, frame({"t": "avatar", "sha256": SHA, "body": 256 * 1024 + 1}), TOO_LARGE,
                 id="avatar-over-256KiB"),
    pytest.param(C, frame({"t": "error", "message": "no code"}), BAD_FRAME, id="error-no-code"),
    # §3.2 hello: version first, then purpose/port/name, then authentication
    pytest.param(S, frame(hello(v=2)), BAD_VERSION, id="hello-v2"),
    pytest.param(S, frame(hello(v=MISSING)), BAD_VERSION, id="hello-no-v"),
    pytest.param(S, frame(hello(v="1")), BAD_VERSION, id="hello-v-string"),
    pytest.param(S, frame(hello(v=1.0)), BAD_VERSION, id="hello-v-float"),
    pytest.param(S, frame(hello(v=True)), BAD_VERSION, id="hello-v-true"),
    pytest.param(S, frame(hello(v=2, purpose="x", port=0, name="", id="x", cert="!")), BAD_VERSION,
                 id="hello-v2-and-all-broken"),
    pytest.param(S, frame({"t": "hello"}), BAD_VERSION, id="hello-empty"),
    pytest.param(S, frame(hello(purpose="video")), BAD_FRAME, id="hello-purpose-unknown"),
    pytest.param(S, frame(hello(purpose=MISSING)), BAD_FRAME, id="hello-purpose-missing"),
    pytest.param(S, frame(hello(purpose=["chat"])), BAD_FRAME, id="hello-purpose-list"),
    pytest.param(S, frame(hello(port=0)), BAD_FRAME, id="hello-port-0"),
    pytest.param(S, frame(hello(port=65536)), BAD_FRAME, id="hello-port-65536"),
    pytest.param(S, frame(hello(port="48484")), BAD_FRAME, id="hello-port-string"),
    pytest.param(S, frame(hello(port=MISSING)), BAD_FRAME, id="hello-port-missing"),
    pytest.param(S, frame(hello(name="")), BAD_FRAME, id="hello-name-empty"),
    pytest.param(S, frame(hello(name="n" * 65)), BAD_FRAME, id="hello-name-65-chars"),
    pytest.param(S, frame(hello(name=MISSING)), BAD_FRAME, id="hello-name-missing"),
    pytest.param(S, frame(hello(name="", id="x", cert="!")), BAD_FRAME, id="hello-bad-name-and-auth"),
    pytest.param(S, frame(hello(id="x" * 64)), AUTH_FAILED, id="hello-id-not-hex"),
    pytest.param(S, frame(hello(id=ID.upper())), AUTH_FAILED, id="hello-id-uppercase"),
    pytest.param(S, frame(hello(id=ID[:63])), AUTH_FAILED, id="hello-id-63-hex"),
    pytest.param(S, frame(hello(id=MISSING)), AUTH_FAILED, id="hello-id-missing"),
    pytest.param(S, frame(hello(cert="not base64!")), AUTH_FAILED, id="hello-cert-not-base64"),
    pytest.param(S, frame(hello(cert=MISSING)), AUTH_FAILED, id="hello-cert-missing"),
    pytest.param(S, frame(hello(sig="%%%%")), AUTH_FAILED, id="hello-sig-not-base64"),
    pytest.param(S, frame(hello(sig=42)), AUTH_FAILED, id="hello-sig-number"),
    pytest.param(C, frame(server_hello(v=2)), BAD_VERSION, id="server-hello-v2"),
    pytest.param(C, frame(server_hello(nonce="00")), BAD_FRAME, id="server-hello-short-nonce"),
    pytest.param(C, frame(server_hello(id=ID.upper())), BAD_FRAME, id="server-hello-id-uppercase"),
    # §3.3 well-formed offers that earn a reject
    pytest.param(S, frame(offer(files=files(*(f"f{i}" for i in range(1001))))), Rej(RejectReason.TOO_LARGE),
                 id="offer-1001-files"),
    pytest.param(S, frame(offer(kind="image", thumb=base64.b64encode(b"\xff" * (24 * 1024 + 1)).decode(),
                                files=files("a.jpg"))), Rej(RejectReason.TOO_LARGE), id="thumb-24KiB+1"),
    pytest.param(S, frame(offer(kind="image", files=files("a.jpg", "b.jpg"))), Rej(RejectReason.BAD_OFFER),
                 id="image-offer-2-files"),
    pytest.param(S, frame(offer(files=files("../x"))), BAD_PATH, id="path-dotdot"),
    pytest.param(S, frame(offer(files=files("a/../../x"))), BAD_PATH, id="path-inner-dotdot"),
    pytest.param(S, frame(offer(files=files("/etc/passwd"))), BAD_PATH, id="path-absolute"),
    pytest.param(S, frame(offer(files=files("a\\b"))), BAD_PATH, id="path-backslash"),
    pytest.param(S, frame(offer(files=files("C:x"))), BAD_PATH, id="path-drive-colon"),
    pytest.param(S, frame(offer(files=files("a/./b"))), BAD_PATH, id="path-dot-component"),
    pytest.param(S, frame(offer(files=files("."))), BAD_PATH, id="path-dot"),
    pytest.param(S, frame(offer(files=files(""))), BAD_PATH, id="path-empty"),
    pytest.param(S, frame(offer(files=files("a//b"))), BAD_PATH, id="path-double-slash"),
    pytest.param(S, frame(offer(files=files("a/"))), BAD_PATH, id="path-trailing-slash"),
    pytest.param(S, frame(offer(files=files("a\x00b"))), BAD_PATH, id="path-NUL"),
    pytest.param(S, frame(offer(files=files("a\x1bb"))), BAD_PATH, id="path-ESC"),
    pytest.param(S, frame(offer(files=files("a\x7fb"))), BAD_PATH, id="path-DEL"),
    pytest.param(S, frame(offer(files=files("a\x85b"))), BAD_PATH, id="path-C1-NEL"),
    pytest.param(S, frame(offer(files=files("a\nb"))), BAD_PATH, id="path-newline"),
    pytest.param(S, frame(offer(files=files("photo\u202egpj.exe"))), BAD_PATH, id="path-U+202E"),
    pytest.param(S, frame(offer(files=files("a\u2067b"))), BAD_PATH, id="path-U+2067"),
    pytest.param(S, frame(offer(files=files("a\u202ab"))), BAD_PATH, id="path-U+202A"),
    pytest.param(S, frame(offer(files=files("dir\u2069/b"))), BAD_PATH, id="path-U+2069"),
    pytest.param(S, frame(offer(files=files("A.txt", "a.txt"))), BAD_PATH, id="path-case-duplicate"),
    pytest.param(S, frame(offer(files=files("\u00e9.txt", "e\u0301.txt"))), BAD_PATH,
                 id="path-nfc-duplicate"),
    pytest.param(S, frame(offer(files=files("Stra\u00dfe", "STRASSE"))), BAD_PATH,
                 id="path-casefold-sharp-s"),
    pytest.param(S, frame(offer(files=files("a", "a/b"))), BAD_PATH, id="path-file-is-folder"),
    pytest.param(S, frame(offer(files=files("x/a/b", "X/A"))), BAD_PATH, id="path-file-is-folder-folded"),
    pytest.param(S, frame(offer(files=files("a/b/c/d/e/f/g/h/i"))), BAD_PATH, id="path-9-components"),
    pytest.param(S, frame(offer(files=files("x" * 256))), BAD_PATH, id="path-256-byte-component"),
    pytest.param(S, frame(offer(files=files("d/" + "é" * 128))), BAD_PATH, id="path-256-byte-multibyte"),
    pytest.param(S, frame(offer(files=files("😀" * 64 + "/a"))), BAD_PATH, id="path-256-byte-emoji"),
    # §2 presence datagrams that are dropped silently
    pytest.param(None, datagram(name="x" * 1400), DROP, id="dgram-over-1400-bytes"),
    pytest.param(None, b'{"app":"lanchat"', DROP, id="dgram-not-json"),
    pytest.param(None, b"[1]", DROP, id="dgram-array"),
    pytest.param(None, b"\xff", DROP, id="dgram-not-utf8"),
    pytest.param(None, datagram(app="lanchat2"), DROP, id="dgram-other-app"),
    pytest.param(None, datagram(v=2), DROP, id="dgram-v2"),
    pytest.param(None, datagram(v=MISSING), DROP, id="dgram-no-v"),
    pytest.param(None, datagram(kind="hello"), DROP, id="dgram-kind-unknown"),
    pytest.param(None, datagram(kind=["announce"]), DROP, id="dgram-kind-list"),
    pytest.param(None, datagram(id=ID.upper()), DROP, id="dgram-id-uppercase"),
    pytest.param(None, datagram(name=""), DROP, id="dgram-name-empty"),
    pytest.param(None, datagram(seq=MISSING), DROP, id="dgram-no-seq"),
    pytest.param(None, datagram(port=0), DROP, id="dgram-port-0"),
    pytest.param(None, datagram(status={"online": True}), DROP, id="dgram-status-object"),
    pytest.param(None, datagram(kind="query", name=MISSING), DROP, id="dgram-query-no-name"),
]


def _rows(kind: type) -> list[Any]:
    return [row for row in BAD_INPUTS if isinstance(row.values[2], kind)]


def test_the_table_is_big_enough() -> None:
    assert len(BAD_INPUTS) >= 40
    assert len({row.id for row in BAD_INPUTS}) == len(BAD_INPUTS)


@pytest.mark.parametrize(("role", "data", "outcome"), _rows(Err))
def test_bad_frame_earns_error(feeder: Any, role: Role, data: bytes, outcome: Err) -> None:
    error = feeder.error(role, data)
    assert (error.code, error.mid, error.tid) == (outcome.code, outcome.mid, outcome.tid)
    assert error.message


@pytest.mark.parametrize(("role", "data", "outcome"), _rows(Rej))
def test_bad_offer_earns_reject(feeder: Any, role: Role, data: bytes, outcome: Rej) -> None:
    [event] = feeder.events(role, data)
    assert isinstance(event, Offer)
    problem = offer_problem(offer_from_wire(event))
    assert problem is not None
    assert problem.reason == outcome.reason


@pytest.mark.parametrize(("role", "data", "outcome"), _rows(Drop))
def test_bad_datagram_is_dropped(role: None, data: bytes, outcome: Drop) -> None:
    assert parse_datagram(data) is None


# --- limits just inside the rules ---------------------------------------------------


def _padded(header: dict[str, Any], size: int) -> bytes:
    """`header` with an extra `pad` field making its JSON exactly `size` bytes."""
    raw = _json({**header, "pad": ""})
    return _json({**header, "pad": "p" * (size - len(raw))})


GOOD_EDGES = [
    pytest.param(S, frame({"t": "ping", "x": nested(31)}), Ping(), id="depth-32"),
    pytest.param(S, frame({"t": "ping", "x": 2**53, "y": -(2**53)}), Ping(), id="int-2^53"),
    pytest.param(S, frame({"t": "ping", "x": 1.5e300, "y": {"z": [None, True, "\u00e9"]}}), Ping(),
                 id="unknown-fields-ignored"),
    pytest.param(S, frame(msg(text="é" * 16384)), Msg(MID, TS, "é" * 16384), id="text-32768-bytes"),
    pytest.param(S, frame(msg(text="😀" * 8192)), Msg(MID, TS, "😀" * 8192), id="text-32768-bytes-emoji"),
    pytest.param(S, frame(msg(text="a", room=None)), Msg(MID, TS, "a"), id="room-null"),
    pytest.param(S, frame(_padded({"t": "ping"}, MAX_HEADER)), Ping(), id="header-65536-bytes"),
    pytest.param(S, frame(b' {"t" : "ping"}\n'), Ping(), id="json-whitespace"),
    pytest.param(S, frame({"t": "read", "mids": []}), Read(()), id="read-no-mids"),
    pytest.param(S, frame(msg(room=room(members=[f"{i:064x}" for i in range(256)]))),
                 Msg(MID, TS, "hi", Room(TID, "class 4b", tuple(f"{i:064x}" for i in range(256)))),
                 id="room-256-members"),
    pytest.param(C, frame({"t": "error", "code": "future-code", "mid": "bad", "tid": TID}),
                 Error("future-code", "", None, TID), id="error-unknown-code"),
]


@pytest.mark.parametrize(("role", "data", "expected"), GOOD_EDGES)
def test_inputs_at_the_limits_decode(feeder: Any, role: Role, data: bytes, expected: Frame) -> None:
    assert feeder.events(role, data) == [expected]


@pytest.mark.parametrize(
    ("paths", "kind", "thumb"),
    [
        pytest.param([f"f{i}" for i in range(1000)], "files", None, id="1000-files"),
        pytest.param(["a.jpg"], "image", b"\xff" * 24 * 1024, id="thumb-24KiB"),
        pytest.param(["x" * 255, "é" * 127 + "a", "😀" * 63 + "abc"], "files", None,
                     id="255-byte-components"),
        pytest.param(["a/b/c/d/e/f/g/h"], "files", None, id="8-components"),
        pytest.param(["a/b", "a/c", "A/d/e", "ab"], "files", None, id="shared-folders"),
        pytest.param([".hidden", "..dots", "a.b.c", "a b", "日本語/ファイル.txt"], "files", None,
                     id="odd-but-fine"),
    ],
)
def test_well_formed_offer_inside_limits(
    feeder: Any, paths: list[str], kind: str, thumb: bytes | None
) -> None:
    header = offer(kind=kind, files=files(*paths))
    if thumb is not None:
        header["thumb"] = base64.b64encode(thumb).decode()
    [event] = feeder.events(S, frame(header))
    assert isinstance(event, Offer)
    assert [f.path for f in event.files] == paths
    assert event.thumb == thumb
    assert offer_problem(offer_from_wire(event)) is None


# --- the cap is checked before buffering ---------------------------------------------


@pytest.mark.parametrize("length", [65537, 2**31, 2**32 - 1])
def test_oversize_header_len_fails_after_the_four_length_bytes(length: int) -> None:
    decoder = FrameDecoder(S)
    prefix = struct.pack(">I", length)
    for byte in prefix[:3]:
        decoder.feed(bytes([byte]))
        assert decoder.next_event() is NEED_DATA
    decoder.feed(prefix[3:])
    with pytest.raises(RemoteProtocolError) as e:
        decoder.next_event()
    assert e.value.code is ErrorCode.TOO_LARGE
    assert decoder.buffered <= 4


def test_header_len_65536_waits_for_the_header() -> None:
    decoder = FrameDecoder(S)
    decoder.feed(struct.pack(">I", MAX_HEADER))
    assert decoder.next_event() is NEED_DATA


# --- frames in sequence, unknown frames, wrong-way frames ------------------------------------


def test_frames_in_one_stream_decode_in_order(feeder: Any) -> None:
    data = frame(msg()) + frame({"t": "ping"}) + frame({"t": "typing", "active": True}) + frame(
        {"t": "data", "tid": TID, "i": 2, "offset": 5, "body": 3}, b"xyz"
    ) + frame({"t": "end", "tid": TID, "i": 2, "sha256": SHA})
    assert feeder.events(S, data) == [
        Msg(MID, TS, "hi"), Ping(), Typing(True), Data(TID, 2, 5, 3), BodyChunk(b"xyz"), BodyEnd(),
        End(TID, 2, SHA),
    ]


@pytest.mark.parametrize("role", [S, C])
@pytest.mark.parametrize(
    ("header", "body"),
    [
        pytest.param({"t": "future"}, b"", id="no-body"),
        pytest.param({"t": "future", "body": 0}, b"", id="body-0"),
        pytest.param({"t": "sticker", "body": 15, "pack": [1, 2]}, frame({"t": "msg"}),
                     id="body-like-a-frame"),
        pytest.param({"t": "", "body": 3}, b"\x00\x00\x00", id="empty-type"),
        pytest.param({"t": "PING"}, b"", id="case-matters"),
    ],
)
def test_unknown_frame_is_skipped_with_its_body(
    feeder: Any, role: Role, header: dict[str, Any], body: bytes
) -> None:
    after = {"t": "ping"} if role is S else {"t": "pong"}
    events = feeder.events(role, frame(header, body) + frame(after))
    assert events == [UnknownFrame(header["t"]), Ping() if role is S else Pong()]


def test_unknown_frame_with_a_big_body_is_not_buffered() -> None:
    decoder = FrameDecoder(S)
    decoder.feed(frame({"t": "future", "body": 1 << 20}))
    assert decoder.next_event() == UnknownFrame("future")
    for _ in range(16):
        decoder.feed(b"\x00" * 65536)
        assert decoder.next_event() is NEED_DATA
        assert decoder.buffered == 0
    decoder.feed(frame({"t": "ping"}))
    assert decoder.next_event() == Ping()


WRONG_WAY = [
    # answers arriving at the accepting side
    pytest.param(S, {"t": "ack", "mid": MID}, b"", id="ack-at-server"),
    pytest.param(S, {"t": "welcome"}, b"", id="welcome-at-server"),
    pytest.param(S, {"t": "accept", "tid": TID, "have": [0]}, b"", id="accept-at-server"),
    pytest.param(S, {"t": "reject", "tid": TID, "reason": "declined"}, b"", id="reject-at-server"),
    pytest.param(S, {"t": "pong"}, b"", id="pong-at-server"),
    pytest.param(S, {"t": "done", "tid": TID, "i": 0, "ok": True}, b"", id="done-at-server"),
    pytest.param(S, {"t": "avatar", "sha256": SHA, "body": 4}, b"\x89PNG", id="avatar-with-body-at-server"),
    pytest.param(S, {"t": "ack", "mid": "not a mid", "body": 2}, b"ab", id="malformed-ack-at-server"),
    # requests arriving at the connecting side
    pytest.param(C, msg(), b"", id="msg-at-client"),
    pytest.param(C, msg(mid="bad", text=""), b"", id="malformed-msg-at-client"),
    pytest.param(C, offer(), b"", id="offer-at-client"),
    pytest.param(C, {"t": "cancel", "tid": TID}, b"", id="cancel-at-client"),
    pytest.param(C, {"t": "read", "mids": [MID]}, b"", id="read-at-client"),
    pytest.param(C, {"t": "typing", "active": False}, b"", id="typing-at-client"),
    pytest.param(C, {"t": "avatar-get", "sha256": SHA}, b"", id="avatar-get-at-client"),
    pytest.param(C, {"t": "ping"}, b"", id="ping-at-client"),
    pytest.param(C, {"t": "data", "tid": TID, "i": 0, "offset": 0, "body": 13}, frame({"t": "x"}),
                 id="data-with-body-at-client"),
    pytest.param(C, {"t": "end", "tid": TID, "i": 0, "sha256": SHA}, b"", id="end-at-client"),
]


@pytest.mark.parametrize(("role", "header", "body"), WRONG_WAY)
def test_frame_sent_the_wrong_way_is_dropped_with_its_body(
    feeder: Any, role: Role, header: dict[str, Any], body: bytes
) -> None:
    after = Ping() if role is S else Pong()
    assert feeder.events(role, frame(header, body) + encode(after)) == [after]


def test_hello_and_error_are_known_both_ways(feeder: Any) -> None:
    error = frame({"t": "error", "code": "busy", "message": "8 transfers running"})
    assert feeder.events(S, frame(hello()) + error) == [
        ClientHello(ID, "Ann", 48484, Purpose.CHAT, base64.b64decode(CERT), base64.b64decode(SIG)),
        Error("busy", "8 transfers running"),
    ]
    assert feeder.events(C, frame(server_hello()) + frame({"t": "welcome"}) + error) == [
        ServerHello(ID, "Bob", SHA), Welcome(), Error("busy", "8 transfers running"),
    ]


# --- bodies: streamed, never buffered whole; the end of the stream ------------------------


def test_data_body_is_handed_out_in_pieces() -> None:
    size, piece = 10 * 2**20, bytes(range(256)) * 256  # 10 MiB in 64 KiB pieces
    decoder = FrameDecoder(S)
    decoder.feed(encode(Data(TID, 0, 0, size)))
    assert decoder.next_event() == Data(TID, 0, 0, size)
    digest, received, events = hashlib.sha256(), 0, []
    for _ in range(size // len(piece)):
        decoder.feed(piece)
        assert decoder.buffered <= len(piece)
        while (event := decoder.next_event()) is not NEED_DATA:
            if isinstance(event, BodyChunk):
                assert 0 < len(event.data) <= len(piece)
                digest.update(event.data)
                received += len(event.data)
            else:
                events.append(event)
        assert decoder.buffered == 0
    assert received == size
    assert digest.digest() == hashlib.sha256(piece * (size // len(piece))).digest()
    assert events == [BodyEnd()]
    decoder.feed(encode(End(TID, 0, SHA)))
    assert decoder.next_event() == End(TID, 0, SHA)


def test_avatar_body_then_next_frame(feeder: Any) -> None:
    image = b"\x89PNG\r\n\x1a\n" + bytes(300)
    data = frame({"t": "avatar", "sha256": SHA, "body": len(image)}, image) + frame({"t": "pong"})
    assert feeder.events(C, data) == [Avatar(SHA, len(image)), BodyChunk(image), BodyEnd(), Pong()]


def test_data_with_empty_body(feeder: Any) -> None:
    data = frame({"t": "data", "tid": TID, "i": 0, "offset": 7, "body": 0}) + frame({"t": "ping"})
    assert feeder.events(S, data) == [Data(TID, 0, 7, 0), BodyEnd(), Ping()]


def test_clean_end_between_frames(feeder: Any) -> None:
    events = feeder.events(S, frame({"t": "ping"}), eof=True)
    # In `trailing` mode the stream ends inside the trailer's frame.
    assert events == [Ping(), ConnectionClosed(clean=not feeder.trailer)]


def test_empty_stream_ends_cleanly(feeder: Any) -> None:
    assert feeder.events(S, b"", eof=True) == [ConnectionClosed(clean=not feeder.trailer)]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x00\x00", id="in-length"),
        pytest.param(frame({"t": "ping"})[:-1], id="in-header"),
        pytest.param(struct.pack(">I", 20), id="after-length"),
    ],
)
def test_truncated_frame_ends_uncleanly(untrailed_feeder: Any, data: bytes) -> None:
    assert untrailed_feeder.events(S, data, eof=True) == [ConnectionClosed(clean=False)]


def test_truncated_data_body_ends_uncleanly(feeder: Any) -> None:
    data = frame({"t": "data", "tid": TID, "i": 0, "offset": 0, "body": 100}, b"z" * 40)
    events = feeder.events(S, data, eof=True)
    # The trailer, if any, is more body: the stream still ends inside it.
    body = b"z" * 40 + feeder.trailer
    assert events == [Data(TID, 0, 0, 100), BodyChunk(body), ConnectionClosed(clean=False)]


def test_truncated_skipped_body_ends_uncleanly(feeder: Any) -> None:
    data = frame({"t": "future", "body": 100}, b"z" * 40)
    assert feeder.events(S, data, eof=True) == [UnknownFrame("future"), ConnectionClosed(clean=False)]


def test_error_sticks() -> None:
    decoder = FrameDecoder(S)
    decoder.feed(frame({"t": 1}) + frame({"t": "ping"}))
    with pytest.raises(RemoteProtocolError) as first:
        decoder.next_event()
    with pytest.raises(RemoteProtocolError) as second:
        decoder.next_event()
    assert second.value is first.value


# --- encode ---------------------------------------------------------------------------------


def test_encode_writes_length_then_compact_header() -> None:
    assert encode(Ping()) == b'\x00\x00\x00\x0c{"t":"ping"}'
    assert encode(Ack(MID)) == frame({"t": "ack", "mid": MID})


def test_encode_writes_non_ascii_raw_and_escapes_control_characters() -> None:
    text = "héllo 😀 日本 \u2028 ẞ"
    data = encode(Msg(MID, TS, text))
    assert text.encode("utf-8") in data
    assert b"\\u" not in data
    data = encode(Msg(MID, TS, "a\x00b\x1fc\nd\te\x7f"))
    header = data[4:]
    assert not any(byte < 0x20 for byte in header)
    assert b"\\u0000" in header and b"\\u001f" in header and b"\\n" in header
    assert json.loads(header)["text"] == "a\x00b\x1fc\nd\te\x7f"


@pytest.mark.parametrize(
    "frame_",
    [
        pytest.param(Msg(MID, TS, "a" * 32769), id="text-32769-bytes"),
        pytest.param(Msg(MID, TS, "é" * 16385), id="text-32770-bytes-multibyte"),
        pytest.param(Msg(MID, TS, ""), id="text-empty"),
        # 32768 bytes of text, but each newline is escaped to 2 bytes: the header is over 64 KiB
        pytest.param(Msg(MID, TS, "\n" * 32768), id="escaped-text-header-over-64KiB"),
        pytest.param(Msg("m1", TS, "hi"), id="mid-short"),
        pytest.param(Msg(MID.upper(), TS, "hi"), id="mid-uppercase"),
        pytest.param(Msg(MID, -1, "hi"), id="ts-negative"),
        pytest.param(Msg(MID, TS, "\ud800"), id="text-unpaired-surrogate"),
        pytest.param(Msg(MID, TS, "hi", Room(TID, "r", tuple(f"{i:064x}" for i in range(257)))),
                     id="room-257-members"),
        pytest.param(Offer(TID, OfferKind.FILES, ()), id="offer-no-files"),
        pytest.param(Offer(TID, OfferKind.FILES, (FileEntry("a", -1),)), id="offer-size-negative"),
        pytest.param(Offer("t", OfferKind.FILES, (FileEntry("a", 1),)), id="offer-bad-tid"),
        pytest.param(Offer(TID, OfferKind.FILES, tuple(FileEntry(f"{i:0200}", 1) for i in range(400))),
                     id="offer-header-over-64KiB"),
        pytest.param(ServerHello(ID, "Bob", SHA, v=2), id="server-hello-v2"),
        pytest.param(ClientHello(ID, "Ann", 0, Purpose.CHAT, b"c", b"s"), id="client-hello-port-0"),
        pytest.param(ClientHello("id", "Ann", 1, Purpose.CHAT, b"c", b"s"), id="client-hello-bad-id"),
        pytest.param(Data(TID, 0, -1, 5), id="data-offset-negative"),
        pytest.param(Avatar(SHA, 256 * 1024 + 1), id="avatar-too-big"),
        pytest.param(Read((MID,) * 1001), id="read-1001-mids"),
        pytest.param(AvatarGet("abc"), id="avatar-get-bad-sha"),
    ],
)
def test_encode_refuses_frames_that_break_the_rules(frame_: Frame) -> None:
    with pytest.raises(LocalProtocolError):
        encode(frame_)


def test_encode_error_echoes_mid_and_tid(feeder: Any) -> None:
    data = encode_error(RemoteProtocolError(ErrorCode.TOO_LARGE, "text too long", mid=MID))
    assert json.loads(data[4:]) == {"t": "error", "code": "too-large", "message": "text too long", "mid": MID}
    data += encode_error(RemoteProtocolError(ErrorCode.UNKNOWN_TRANSFER, "who?", tid=TID))
    assert feeder.events(C, data) == [
        Error("too-large", "text too long", mid=MID), Error("unknown-transfer", "who?", tid=TID),
    ]


# --- hypothesis round-trips -----------------------------------------------------------------

HEX = "0123456789abcdef"
hex32 = st.text(HEX, min_size=32, max_size=32)
hex64 = st.text(HEX, min_size=64, max_size=64)
chars = st.characters(exclude_categories=("Cs",))  # any code point but surrogates
labels = st.text(chars, min_size=1, max_size=64)
texts = st.text(chars, min_size=1, max_size=300) | st.sampled_from(["😀" * 8192, "é" * 16384, "\x00"])
counts = st.integers(0, 2**53 - 1)
rooms = st.builds(Room, hex32, labels, st.lists(hex64, min_size=1, max_size=4).map(tuple))
maybe_rooms = st.none() | rooms
bodies = st.binary(max_size=200)



def _no_body(role: Role, cls: type[Frame], *args: Any) -> tuple[Role, type[Frame], Any]:
    return role, cls, st.builds(cls, *args).map(lambda f: (f, b""))


#: name -> (role that receives it, frame class, strategy of (frame, body)).
ROUND_TRIPS: dict[str, tuple[Role, type[Frame], Any]] = {
    "client-hello": _no_body(S, ClientHello, hex64, labels, st.integers(1, 65535), st.sampled_from(Purpose),
                             st.binary(max_size=400), st.binary(max_size=80)),
    "server-hello": _no_body(C, ServerHello, hex64, labels, hex64),
    "welcome": _no_body(C, Welcome),
    "msg": _no_body(S, Msg, hex32, counts, texts, maybe_rooms),
    "offer": _no_body(S, Offer, hex32, st.sampled_from(OfferKind),
                      st.lists(st.builds(FileEntry, st.text(chars, max_size=40), counts),
                               min_size=1, max_size=5).map(tuple),
                      st.none() | st.binary(max_size=300), maybe_rooms),
    "cancel": _no_body(S, Cancel, hex32),
    "read": _no_body(S, Read, st.lists(hex32, max_size=5).map(tuple)),
    "typing": _no_body(S, Typing, st.booleans(), maybe_rooms),
    "avatar-get": _no_body(S, AvatarGet, hex64),
    "ping": _no_body(S, Ping),
    "ack": _no_body(C, Ack, hex32),
    "accept": _no_body(C, Accept, hex32, st.lists(counts, max_size=5).map(tuple)),
    "reject": _no_body(C, Reject, hex32, st.sampled_from(RejectReason) | st.text(chars, max_size=20)),
    "pong": _no_body(C, Pong),
    "done": _no_body(C, Done, hex32, counts, st.booleans(), st.none() | st.text(chars, max_size=20)),
    "error-from-server": _no_body(C, Error, st.sampled_from(ErrorCode) | st.text(chars, max_size=20),
                                  st.text(chars, max_size=80), st.none() | hex32, st.none() | hex32),
    "error-from-client": _no_body(S, Error, st.sampled_from(ErrorCode), st.text(chars, max_size=80)),
    "end": _no_body(S, End, hex32, counts, hex64),
    "data": (S, Data, st.tuples(hex32, counts, counts, bodies).map(
        lambda v: (Data(v[0], v[1], v[2], len(v[3])), v[3]))),
    "avatar": (C, Avatar, st.tuples(hex64, bodies).map(lambda v: (Avatar(v[0], len(v[1])), v[1]))),
}


def test_every_frame_type_has_a_round_trip() -> None:
    classes = {cls for _, cls, _ in ROUND_TRIPS.values()}
    assert {cls.T for cls in classes} == set(KNOWN_TYPES)
    assert {ClientHello, ServerHello} <= classes


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip(feeder: Any, name: str, data: st.DataObject) -> None:
    role, _, strategy = ROUND_TRIPS[name]
    sent, body = data.draw(strategy)
    events = feeder.events(role, encode(sent) + body)
    expected: list[Any] = [sent]
    if body:
        expected.append(BodyChunk(body))
    if sent.HAS_BODY:
        expected.append(BodyEnd())
    assert events == expected


@settings(max_examples=150, deadline=None)
@given(text=st.text(chars, min_size=1, max_size=200))
def test_encoder_writes_raw_utf8_and_escapes_control_characters(text: str) -> None:
    header = encode(Msg(MID, TS, text))[4:]
    assert not any(byte < 0x20 for byte in header)
    for char in text:
        if ord(char) >= 0x80 and unicodedata.category(char) != "Cc":  # C1 controls may be escaped
            assert char.encode("utf-8") in header
    if all(char >= " " and char not in '"\\' and unicodedata.category(char) != "Cc" for char in text):
        assert text.encode("utf-8") in header
        assert b"\\" not in header


@settings(max_examples=200, deadline=None)
@given(
    role=st.sampled_from(Role),
    data=st.binary(max_size=300)
    | st.lists(st.sampled_from([frame(msg()), frame({"t": "ping", "body": 2}), b"\x00\x00\x00\x05",
                                b'{"t":"data","tid":"' + TID.encode() + b'","body":1}', b"x", b"{"]),
               max_size=6).map(b"".join),
    cut=st.integers(1, 7),
)
def test_no_input_crashes_the_decoder(role: Role, data: bytes, cut: int) -> None:
    """Whatever arrives, the decoder gives events or a RemoteProtocolError, nothing else."""
    decoder = FrameDecoder(role)
    try:
        for i in range(0, len(data), cut):
            decoder.feed(data[i : i + cut])
            while decoder.next_event() is not NEED_DATA:
                pass
        decoder.feed(b"")
        assert isinstance(decoder.next_event(), ConnectionClosed)
    except RemoteProtocolError as e:
        assert isinstance(e.code, ErrorCode)
    assert decoder.buffered <= len(data)
