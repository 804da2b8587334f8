"""Shared by the protocol tests: feed a `FrameDecoder` three ways.

Every decoder test runs once per mode of the `feeder` fixture:

- `whole`: all bytes in one `feed`;
- `bytewise`: one byte per `feed`, draining events after each;
- `trailing`: all bytes, followed by the start of a next frame, which must
  not disturb the result (it stays buffered, no event comes of it).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import pytest

from lanchat.transports.lanchat.protocol.codec import (
    NEED_DATA,
    BodyChunk,
    BodyEnd,
    ConnectionClosed,
    Event,
    FrameDecoder,
    Role,
)
from lanchat.transports.lanchat.protocol.errors import RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import Frame

MODES = ("whole", "bytewise", "trailing")

#: The start of a next frame: its length and the first bytes of its header.
TRAILER = struct.pack(">I", 13) + b'{"t":"pi'


def drain(decoder: FrameDecoder) -> list[Event]:
    """Every event the decoder can give now (stops at NEED_DATA or the end)."""
    events: list[Event] = []
    while True:
        event = decoder.next_event()
        if event is NEED_DATA:
            return events
        assert not isinstance(event, type(NEED_DATA))
        events.append(event)
        if isinstance(event, ConnectionClosed):
            return events


def merge_chunks(events: list[Event]) -> list[Event]:
    """Join neighbouring `BodyChunk`s, so results compare across feed modes."""
    merged: list[Event] = []
    for event in events:
        if isinstance(event, BodyChunk) and merged and isinstance(merged[-1], BodyChunk):
            merged[-1] = BodyChunk(merged[-1].data + event.data)
        else:
            merged.append(event)
    return merged


@dataclass(frozen=True)
class Feeder:
    """Feeds bytes to a fresh decoder in one of the three `MODES`."""

    mode: str

    @property
    def trailer(self) -> bytes:
        """The bytes added after the input (empty unless `trailing`)."""
        return TRAILER if self.mode == "trailing" else b""

    def events(self, role: Role, data: bytes, *, eof: bool = False) -> list[Event]:
        """The events `data` decodes to, neighbouring body chunks merged.

        With `eof`, the end of the stream is fed last (after the trailer, in
        `trailing` mode, which then ends inside a frame).

        Raises:
            RemoteProtocolError: as the decoder does.
        """
        decoder = FrameDecoder(role)
        events: list[Event] = []
        if self.mode == "bytewise":
            for i in range(len(data)):
                decoder.feed(data[i : i + 1])
                events += drain(decoder)
        elif data + self.trailer:  # (feeding b"" would mean the end of the stream)
            decoder.feed(data + self.trailer)
            events += drain(decoder)
        if self.mode == "trailing" and not eof and not _in_body(events):
            assert decoder.buffered == len(TRAILER), "the trailing bytes were touched"
        if eof:
            decoder.feed(b"")
            events += drain(decoder)
        return merge_chunks(events)

    def error(self, role: Role, data: bytes) -> RemoteProtocolError:
        """The error `data` makes the decoder raise (checked to stick)."""
        decoder = FrameDecoder(role)
        pieces = [data[i : i + 1] for i in range(len(data))] if self.mode == "bytewise" else [
            data + self.trailer
        ]
        try:
            for piece in pieces:
                decoder.feed(piece)
                drain(decoder)
        except RemoteProtocolError as e:
            with pytest.raises(RemoteProtocolError) as again:
                decoder.next_event()
            assert again.value is e, "a decoder error must be raised again on every call"
            return e
        raise AssertionError(f"no RemoteProtocolError for {data[:80]!r}")


def _in_body(events: list[Event]) -> bool:
    """Whether the input ended inside a body (then the trailer is body bytes)."""
    for event in reversed(events):
        if isinstance(event, BodyEnd):
            return False
        if isinstance(event, Frame) and event.HAS_BODY:
            return True
    return False


@pytest.fixture(scope="session", params=MODES)
def feeder(request: pytest.FixtureRequest) -> Feeder:
    """A `Feeder` for each of the three modes."""
    return Feeder(request.param)


@pytest.fixture(scope="session", params=MODES[:2])
def untrailed_feeder(request: pytest.FixtureRequest) -> Feeder:
    """A `Feeder` whole and byte by byte, for streams that end inside a frame.

    No next frame can follow a frame that never ends, so these have no
    `trailing` mode (a truncated body is tested with all three).
    """
    return Feeder(request.param)
