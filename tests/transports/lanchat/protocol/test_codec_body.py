"""A `data` body read past the decoder: `body_left`, `take_body`, `body_received` (protocol/codec.py).

A receiver streams a big body straight from TLS into a buffer of its own;
the decoder hands over what it had buffered, counts the rest, and goes on
with `BodyEnd` and the next frame as if it had seen every byte.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from lanchat.transports.lanchat.protocol.codec import (
    NEED_DATA,
    BodyChunk,
    BodyEnd,
    ConnectionClosed,
    FrameDecoder,
    Role,
    UnknownFrame,
)
from lanchat.transports.lanchat.protocol.errors import LocalProtocolError
from lanchat.transports.lanchat.protocol.frames import Data, End, Ping

TID = "ab" * 16
SHA = "cd" * 32


def frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    data = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">I", len(data)) + data + body


def data_frame(body: bytes, offset: int = 0) -> bytes:
    return frame({"t": "data", "tid": TID, "i": 0, "offset": offset, "body": len(body)}, body)


END = frame({"t": "end", "tid": TID, "i": 0, "sha256": SHA})


def read_body(decoder: FrameDecoder, stream: bytes, block: int) -> tuple[bytes, bytes]:
    """Stream the current body the way a receiver does; returns (body, what is left of `stream`)."""
    out = bytearray()
    buffer = memoryview(bytearray(block))
    while left := decoder.body_left:
        want = min(block, left)
        filled = decoder.take_body(buffer[:want])
        direct = min(want - filled, len(stream))  # "recv_into" from the rest of the stream
        buffer[filled : filled + direct] = stream[:direct]
        stream = stream[direct:]
        decoder.body_received(direct)
        out += buffer[: filled + direct]
        if not direct and filled < want:
            break  # the stream ran dry
    return bytes(out), stream


@pytest.mark.parametrize("with_header", [0, 1, 5000, 9999, 10_000], ids=lambda n: f"{n}-with-header")
@pytest.mark.parametrize("block", [1, 7, 4096, 1 << 20])
def test_a_body_read_past_the_decoder_then_the_next_frames(with_header: int, block: int) -> None:
    body = bytes(range(256)) * 39 + b"tail"  # 9988 bytes
    body += b"x" * (10_000 - len(body))
    wire = data_frame(body) + END + frame({"t": "ping"})
    header_len = 4 + struct.unpack(">I", wire[:4])[0]
    decoder = FrameDecoder(Role.SERVER)
    cut = header_len + with_header  # the first read: the header and some of the body
    decoder.feed(wire[:cut])
    assert decoder.next_event() == Data(TID, 0, 0, len(body))
    got, rest = read_body(decoder, wire[cut:], block)
    assert got == body
    assert decoder.body_left == 0
    decoder.feed(rest)
    assert decoder.next_event() == BodyEnd()
    assert decoder.next_event() == End(TID, 0, SHA)
    assert decoder.next_event() == Ping()
    assert decoder.next_event() is NEED_DATA


def test_take_body_hands_over_only_body_bytes_when_the_next_frame_came_along() -> None:
    body = b"0123456789"
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data_frame(body) + END)
    assert isinstance(decoder.next_event(), Data)
    buffer = memoryview(bytearray(64))
    assert decoder.take_body(buffer) == 10
    assert bytes(buffer[:10]) == body
    assert decoder.body_left == 0
    assert decoder.take_body(buffer) == 0
    assert decoder.next_event() == BodyEnd()
    assert decoder.next_event() == End(TID, 0, SHA)


def test_take_body_fills_at_most_the_view() -> None:
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data_frame(b"abcdefgh"))
    decoder.next_event()
    small = memoryview(bytearray(3))
    assert decoder.take_body(small) == 3 and bytes(small) == b"abc"
    assert decoder.body_left == 5
    assert decoder.next_event() == BodyChunk(b"defgh")  # chunks and streaming may mix
    assert decoder.next_event() == BodyEnd()


def test_several_data_frames_of_one_file() -> None:
    first_frame = data_frame(b"hello ", 0)
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(first_frame[:-4])  # the header and two body bytes
    assert decoder.next_event() == Data(TID, 0, 0, 6)
    first, rest = read_body(decoder, first_frame[-4:] + data_frame(b"world", 6), 4)
    decoder.feed(rest)
    assert decoder.next_event() == BodyEnd()
    assert decoder.next_event() == Data(TID, 0, 6, 5)
    second, rest = read_body(decoder, b"", 4)
    assert first + second == b"hello world" and rest == b""
    assert decoder.next_event() == BodyEnd()


def test_body_left_is_zero_outside_a_body_and_for_skipped_bodies() -> None:
    decoder = FrameDecoder(Role.SERVER)
    assert decoder.body_left == 0
    decoder.feed(frame({"t": "future-thing", "body": 5}))  # unknown: its body is skipped, not handed out
    assert decoder.next_event() == UnknownFrame("future-thing")
    assert decoder.body_left == 0
    assert decoder.next_event() is NEED_DATA
    decoder.feed(b"12345" + frame({"t": "ping"}))
    assert decoder.next_event() == Ping()
    assert decoder.body_left == 0


def test_a_stream_that_ends_inside_a_streamed_body_ends_uncleanly() -> None:
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data_frame(b"abcdef")[:-2])
    decoder.next_event()
    buffer = memoryview(bytearray(16))
    assert decoder.take_body(buffer) == 4
    decoder.feed(b"")
    assert decoder.next_event() == ConnectionClosed(clean=False)


def test_counting_more_than_the_body_is_a_local_error() -> None:
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data_frame(b"abc")[:-3])
    decoder.next_event()
    with pytest.raises(LocalProtocolError):
        decoder.body_received(4)
    decoder.body_received(3)
    assert decoder.next_event() == BodyEnd()


def test_bytes_read_past_buffered_ones_are_a_local_error() -> None:
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data_frame(b"abcdef")[:-3])  # 3 body bytes are buffered here
    decoder.next_event()
    with pytest.raises(LocalProtocolError):
        decoder.body_received(1)  # they come first: take_body
    assert decoder.take_body(memoryview(bytearray(8))) == 3
    decoder.body_received(3)
    assert decoder.next_event() == BodyEnd()
