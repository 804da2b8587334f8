"""Frame codec: `encode(frame)` and the incremental `FrameDecoder` (after h11).

    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(received_bytes)          # b"" means the stream ended
    while (event := decoder.next_event()) is not NEED_DATA:
        ...

Events are frame dataclasses, `BodyChunk`/`BodyEnd` for the body of a
`data` or `avatar` frame (handed out as it arrives, never buffered whole),
`UnknownFrame` for a type this version does not know (its body is skipped),
and `ConnectionClosed` at the end of the stream. Frames sent the wrong way
(answers from a client, requests from a server) are dropped silently.

A caller that streams a big body may read it itself, straight into a
buffer of its own, instead of taking `BodyChunk`s (no copy through here):

    while left := decoder.body_left:
        want = min(len(block), left)
        n = decoder.take_body(block[:want])       # what came with the header
        while n < want:
            got = sock.recv_into(block[n:want])   # (0: the stream ended)
            decoder.body_received(got)
            n += got
        consume(block[:n])

and `next_event()` goes on with `BodyEnd`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from lanchat.transports.lanchat.protocol import strictjson
from lanchat.transports.lanchat.protocol.errors import ErrorCode, LocalProtocolError, RemoteProtocolError
from lanchat.transports.lanchat.protocol.fields import FieldError, is_hex32, is_int
from lanchat.transports.lanchat.protocol.frames import ANSWERS, KNOWN_TYPES, REQUESTS, Error, Frame

MAX_HEADER = 65536
_LEN = struct.Struct(">I")


class Role(Enum):
    """Which end of the connection we are."""

    CLIENT = "client"  # opened the connection; sends requests, reads answers
    SERVER = "server"  # accepted it; reads requests, sends answers


class _NeedData:
    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA: Final = _NeedData()


@dataclass(frozen=True)
class BodyChunk:
    """A piece of the body of the last `data`/`avatar` frame."""

    data: bytes


@dataclass(frozen=True)
class BodyEnd:
    """The body of the last `data`/`avatar` frame is complete."""


@dataclass(frozen=True)
class UnknownFrame:
    """A frame of a type this version does not know; its body was skipped."""

    t: str


@dataclass(frozen=True)
class ConnectionClosed:
    """The stream ended; `clean` is False when it ended inside a frame."""

    clean: bool


Event = Frame | BodyChunk | BodyEnd | UnknownFrame | ConnectionClosed


def encode(frame: Frame) -> bytes:
    """The bytes of `frame`: length, header; the caller sends any body after.

    Raises:
        LocalProtocolError: the frame breaks a rule of the protocol.
    """
    header = frame.to_header()
    try:
        type(frame).from_header(header)
        data = strictjson.dumps(header)
    except (FieldError, ValueError) as e:
        raise LocalProtocolError(f"cannot send {frame.T}: {e}") from e
    if len(data) > MAX_HEADER:
        raise LocalProtocolError(f"{frame.T} header of {len(data)} bytes is over {MAX_HEADER}")
    return _LEN.pack(len(data)) + data


def encode_error(error: RemoteProtocolError) -> bytes:
    """The `error` frame answering `error`."""
    return encode(Error(error.code.value, error.message, error.mid, error.tid))


class FrameDecoder:
    """Turns the bytes of one direction of a connection into events."""

    def __init__(self, our_role: Role) -> None:
        # Frames we may receive, and those that would come the wrong way.
        self._expected = REQUESTS if our_role is Role.SERVER else ANSWERS
        self._buffer = bytearray()
        self._eof = False
        self._body_left = 0  # bytes of the current body still to come
        self._body_wanted = False  # hand the body out (True) or skip it
        self._in_body = False
        self._error: RemoteProtocolError | None = None

    @property
    def buffered(self) -> int:
        """Bytes received but not yet turned into events."""
        return len(self._buffer)

    @property
    def body_left(self) -> int:
        """Bytes of the current `data`/`avatar` body still to come; 0 outside such a body."""
        return self._body_left if self._in_body and self._body_wanted else 0

    def take_body(self, into: memoryview) -> int:
        """Move body bytes already received into `into` (at most its length and `body_left`); returns how many.

        For a caller that reads the rest of the body itself (`body_received`).
        """
        n = min(len(into), self.body_left, len(self._buffer))
        if n:
            into[:n] = self._buffer[:n]
            del self._buffer[:n]
            self._body_left -= n
        return n

    def body_received(self, count: int) -> None:
        """The caller read `count` more bytes of the current body from the stream itself.

        Raises:
            LocalProtocolError: more than `body_left`, or bytes are still
                buffered here (they come first: `take_body`).
        """
        if count > self.body_left or (count and self._buffer):
            raise LocalProtocolError(f"{count} body bytes read past the decoder ({self.body_left} left, "
                                     f"{len(self._buffer)} buffered)")
        self._body_left -= count

    def feed(self, data: bytes) -> None:
        """Add received bytes; `b""` marks the end of the stream."""
        if not data:
            self._eof = True
        else:
            self._buffer += data

    def next_event(self) -> Event | _NeedData:
        """The next event, or `NEED_DATA` until more bytes are fed.

        Raises:
            RemoteProtocolError: the peer broke the protocol (raised again on
                every later call).
        """
        if self._error is not None:
            raise self._error
        try:
            return self._next_event()
        except RemoteProtocolError as e:
            self._error = e
            raise

    def _next_event(self) -> Event | _NeedData:
        while True:
            if self._in_body:
                event = self._body_event()
                if event is None:  # a skipped body went by; go on
                    continue
                return event
            if len(self._buffer) < 4:
                return self._end_or_need_data()
            (length,) = _LEN.unpack_from(self._buffer)
            if length == 0:
                raise RemoteProtocolError(ErrorCode.BAD_FRAME, "header_len is 0")
            if length > MAX_HEADER:
                raise RemoteProtocolError(
                    ErrorCode.TOO_LARGE, f"header of {length} bytes is over {MAX_HEADER}"
                )
            if len(self._buffer) < 4 + length:
                return self._end_or_need_data()
            raw = bytes(self._buffer[4 : 4 + length])
            del self._buffer[: 4 + length]
            frame = self._frame(raw)
            if frame is not None:
                return frame

    def _end_or_need_data(self) -> ConnectionClosed | _NeedData:
        if self._eof:
            return ConnectionClosed(clean=not self._buffer)
        return NEED_DATA

    def _body_event(self) -> BodyChunk | BodyEnd | ConnectionClosed | _NeedData | None:
        if self._body_left == 0:
            self._in_body = False
            return BodyEnd() if self._body_wanted else None
        if not self._buffer:
            return ConnectionClosed(clean=False) if self._eof else NEED_DATA
        n = min(self._body_left, len(self._buffer))
        if n == len(self._buffer):  # the common case while streaming: one copy, not two
            chunk = bytes(self._buffer)
            self._buffer.clear()
        else:
            chunk = bytes(self._buffer[:n])
            del self._buffer[:n]
        self._body_left -= n
        return BodyChunk(chunk) if self._body_wanted else None

    def _frame(self, raw: bytes) -> Event | None:
        """Parse one header; None when the frame is to be dropped."""
        try:
            header = strictjson.loads(raw)
        except strictjson.JSONRuleError as e:
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, f"bad header: {e}") from None
        if not isinstance(header, dict):
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, "header is not a JSON object")
        frame_type = header.get("t")
        if not isinstance(frame_type, str):
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, "header has no string 't'")
        # A `body` field, even `null`, must be an integer >= 0 (§3.1).
        has_body = "body" in header
        body = header.get("body")
        if has_body and not (is_int(body) and body >= 0):
            raise RemoteProtocolError(
                ErrorCode.BAD_FRAME, "'body' must be an integer >= 0", **_blame(header)
            )
        body_size = int(body) if is_int(body) else 0

        cls = self._expected.get(frame_type)
        if cls is None:
            # Unknown, or known but sent the wrong way: skip it, body included.
            self._start_body(body_size, wanted=False)
            return None if frame_type in KNOWN_TYPES else UnknownFrame(frame_type)
        if has_body != cls.HAS_BODY:
            raise RemoteProtocolError(
                ErrorCode.BAD_FRAME,
                f"'{frame_type}' must carry a body" if cls.HAS_BODY
                else f"'{frame_type}' takes no body",
                **_blame(header),
            )
        try:
            frame = cls.from_header(header)
        except FieldError as e:
            raise RemoteProtocolError(e.code, f"bad '{frame_type}': {e}", **_blame(header)) from None
        if cls.HAS_BODY:
            self._start_body(body_size, wanted=True)
        return frame

    def _start_body(self, size: int, *, wanted: bool) -> None:
        self._in_body = wanted or size > 0
        self._body_left = size
        self._body_wanted = wanted


#: Known frame types that name a transfer: an error they cause echoes their `tid`.
_TID_TYPES = frozenset({"offer", "cancel", "accept", "reject", "data", "end", "done"})


def _blame(header: dict[str, Any]) -> dict[str, str]:
    """The `mid`/`tid` an error frame about `header` should carry (§3.1)."""
    frame_type = header.get("t")
    if frame_type == "msg" and is_hex32(header.get("mid")):
        return {"mid": header["mid"]}
    if frame_type in _TID_TYPES and is_hex32(header.get("tid")):
        return {"tid": header["tid"]}
    return {}
