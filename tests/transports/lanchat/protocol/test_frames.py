"""Frame dataclasses against docs/protocol.md §3: wire shapes, checks, direction tables.

Decoding whole byte streams (fed three ways) is in test_codec.py; here each
frame's `to_header`/`from_header` is checked on its own.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from lanchat.transports.lanchat.protocol.errors import ErrorCode
from lanchat.transports.lanchat.protocol.fields import FieldError
from lanchat.transports.lanchat.protocol.frames import (
    ANSWERS,
    CHAT_TYPES,
    KNOWN_TYPES,
    REQUESTS,
    TRANSFER_TYPES,
    Accept,
    Ack,
    Avatar,
    AvatarGet,
    Cancel,
    ClientHello,
    Data,
    Done,
    DoneReason,
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

MID = "0123456789abcdef" * 2
TID = "fedcba9876543210" * 2
ID = "ab" * 32
SHA = "cd" * 32
ROOM = Room("11" * 16, "class 4b", (ID, "ef" * 32))


def test_request_and_answer_types_follow_the_spec() -> None:
    """§3.2–3.4: what the connecting side sends, and what the accepting side answers."""
    assert set(REQUESTS) == {"hello", "msg", "offer", "cancel", "read", "typing", "avatar-get", "ping",
                             "data", "end", "error"}
    assert set(ANSWERS) == {"hello", "welcome", "ack", "accept", "reject", "avatar", "pong", "done", "error"}
    assert REQUESTS["hello"] is ClientHello and ANSWERS["hello"] is ServerHello
    assert set(REQUESTS) | set(ANSWERS) == KNOWN_TYPES


def test_only_data_and_avatar_carry_a_body() -> None:
    with_body = {cls.T for cls in [*REQUESTS.values(), *ANSWERS.values()] if cls.HAS_BODY}
    assert with_body == {"data", "avatar"}


def test_connection_purposes_split_the_types() -> None:
    """§3.1: a chat frame on a transfer connection (or the reverse) is `bad-frame`."""
    assert {"ping", "pong", "error"} == CHAT_TYPES & TRANSFER_TYPES
    assert "hello" not in CHAT_TYPES | TRANSFER_TYPES and "welcome" not in CHAT_TYPES | TRANSFER_TYPES
    assert CHAT_TYPES | TRANSFER_TYPES | {"hello", "welcome"} == KNOWN_TYPES
    assert {"data", "end", "done"} <= TRANSFER_TYPES
    assert {"msg", "offer", "cancel", "read", "typing", "avatar-get", "ack", "accept", "reject",
            "avatar"} <= CHAT_TYPES


WIRE_SHAPES = [
    pytest.param(ServerHello(ID, "Bob", SHA), {"t": "hello", "v": 1, "id": ID, "name": "Bob", "nonce": SHA},
                 id="server-hello"),
    pytest.param(
        ClientHello(ID, "Ann", 51234, Purpose.TRANSFER, b"cert", b"sig"),
        {"t": "hello", "v": 1, "id": ID, "name": "Ann", "port": 51234, "purpose": "transfer",
         "cert": base64.b64encode(b"cert").decode(), "sig": base64.b64encode(b"sig").decode()},
        id="client-hello",
    ),
    pytest.param(Welcome(), {"t": "welcome"}, id="welcome"),
    pytest.param(Msg(MID, 5, "hi"), {"t": "msg", "mid": MID, "ts": 5, "text": "hi"}, id="msg"),
    pytest.param(Msg(MID, 5, "hi", ROOM),
                 {"t": "msg", "mid": MID, "ts": 5, "text": "hi",
                  "room": {"id": ROOM.id, "name": "class 4b", "members": list(ROOM.members)}},
                 id="msg-room"),
    pytest.param(Offer(TID, OfferKind.IMAGE, (FileEntry("a.jpg", 10),), b"\xff\xd8"),
                 {"t": "offer", "tid": TID, "kind": "image", "files": [{"path": "a.jpg", "size": 10}],
                  "thumb": "/9g="},
                 id="offer"),
    pytest.param(Cancel(TID), {"t": "cancel", "tid": TID}, id="cancel"),
    pytest.param(Read((MID,)), {"t": "read", "mids": [MID]}, id="read"),
    pytest.param(Typing(False), {"t": "typing", "active": False}, id="typing"),
    pytest.param(AvatarGet(SHA), {"t": "avatar-get", "sha256": SHA}, id="avatar-get"),
    pytest.param(Ping(), {"t": "ping"}, id="ping"),
    pytest.param(Ack(MID), {"t": "ack", "mid": MID}, id="ack"),
    pytest.param(Accept(TID, (0, 5)), {"t": "accept", "tid": TID, "have": [0, 5]}, id="accept"),
    pytest.param(Reject(TID, RejectReason.BAD_PATH), {"t": "reject", "tid": TID, "reason": "bad-path"},
                 id="reject"),
    pytest.param(Avatar(SHA, 99), {"t": "avatar", "sha256": SHA, "body": 99}, id="avatar"),
    pytest.param(Pong(), {"t": "pong"}, id="pong"),
    pytest.param(Error("not-found", "no avatar"), {"t": "error", "code": "not-found", "message": "no avatar"},
                 id="error"),
    pytest.param(Error("bad-frame", "x", mid=MID), {"t": "error", "code": "bad-frame", "message": "x",
                                                    "mid": MID}, id="error-mid"),
    pytest.param(Data(TID, 1, 100, 50), {"t": "data", "tid": TID, "i": 1, "offset": 100, "body": 50},
                 id="data"),
    pytest.param(End(TID, 1, SHA), {"t": "end", "tid": TID, "i": 1, "sha256": SHA}, id="end"),
    pytest.param(Done(TID, 1, True), {"t": "done", "tid": TID, "i": 1, "ok": True}, id="done-ok"),
    pytest.param(Done(TID, 1, False, DoneReason.HASH_MISMATCH),
                 {"t": "done", "tid": TID, "i": 1, "ok": False, "reason": "hash-mismatch"}, id="done-failed"),
]


@pytest.mark.parametrize(("frame", "header"), WIRE_SHAPES)
def test_wire_shape(frame: Frame, header: dict[str, Any]) -> None:
    """`to_header` writes exactly the fields of the spec; `from_header` reads them back."""
    assert frame.to_header() == header
    assert type(frame).from_header(header) == frame


@pytest.mark.parametrize(("frame", "header"), WIRE_SHAPES)
def test_unknown_fields_are_ignored(frame: Frame, header: dict[str, Any]) -> None:
    assert type(frame).from_header({**header, "future": {"x": [1]}, "zz": None}) == frame


@pytest.mark.parametrize(
    ("cls", "header", "code"),
    [
        pytest.param(Msg, {"mid": MID, "ts": 1, "text": "a" * 32769}, ErrorCode.TOO_LARGE, id="text"),
        pytest.param(Msg, {"mid": MID, "ts": 1, "text": "x",
                           "room": {"id": ROOM.id, "name": "r", "members": [ID] * 257}},
                     ErrorCode.TOO_LARGE, id="room"),
        pytest.param(Avatar, {"sha256": SHA, "body": 256 * 1024 + 1}, ErrorCode.TOO_LARGE, id="avatar"),
        pytest.param(ClientHello, {"v": 3}, ErrorCode.BAD_VERSION, id="hello-version"),
        pytest.param(ClientHello, {"v": 1, "purpose": "chat", "port": 1, "name": "a", "id": ID, "cert": "",
                                   "sig": "*"}, ErrorCode.AUTH_FAILED, id="hello-sig"),
        pytest.param(Offer, {"tid": TID, "kind": "files", "files": [{"path": "a", "size": -1}]},
                     ErrorCode.BAD_FRAME, id="offer-size"),
        pytest.param(Data, {"tid": TID, "i": 0, "offset": 0, "body": 2**53}, ErrorCode.BAD_FRAME,
                     id="data-body-2^53"),
    ],
)
def test_field_errors_carry_their_code(cls: type[Frame], header: dict[str, Any], code: ErrorCode) -> None:
    with pytest.raises(FieldError) as e:
        cls.from_header({"t": cls.T, **header})
    assert e.value.code is code


def test_room_boundaries() -> None:
    members = [f"{i:064x}" for i in range(256)]
    room = Room.from_value({"id": ROOM.id, "name": "n" * 64, "members": members})
    assert room.members == tuple(members)
    assert Room.from_value(room.to_value()) == room


def test_offer_total_size() -> None:
    offer = Offer(TID, OfferKind.FILES, (FileEntry("a", 2**52), FileEntry("b", 2**52), FileEntry("c", 0)))
    assert offer.total_size == 2**53


def test_offer_limits_are_not_frame_errors() -> None:
    """1001 files or a big thumbnail are well-formed: they earn `reject`, not `error` (§3.3)."""
    header = {"t": "offer", "tid": TID, "kind": "image",
              "files": [{"path": f"f{i}", "size": 0} for i in range(1001)],
              "thumb": base64.b64encode(bytes(30_000)).decode()}
    offer = Offer.from_header(header)
    assert len(offer.files) == 1001
    assert offer.thumb == bytes(30_000)


def test_error_ignores_a_bad_echo() -> None:
    """An `error` is the last word on a connection: a malformed mid/tid is dropped, not answered."""
    error = Error.from_header({"t": "error", "code": "internal", "message": "x", "mid": "bad", "tid": 5})
    assert error == Error("internal", "x")
    assert Error.from_header({"t": "error", "code": "internal"}) == Error("internal", "")


def test_reject_and_done_keep_unknown_reasons() -> None:
    """Reasons are open-ended strings (forward compatibility)."""
    assert Reject.from_header({"t": "reject", "tid": TID, "reason": "future"}).reason == "future"
    assert Done.from_header({"t": "done", "tid": TID, "i": 0, "ok": False, "reason": "x"}).reason == "x"
