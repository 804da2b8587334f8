"""The GETDIRFILES folder stream, fed whole, a byte at a time, and with bytes after it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanchat.transports.ipmsg.protocol.attachments import FileType
from lanchat.transports.ipmsg.protocol.dirstream import (
    NEED_DATA,
    Chunk,
    DirEntry,
    DirStreamDecoder,
    FileEnd,
    StreamEnd,
    StreamError,
    dir_header,
)

# iptux's stream for fold/{x.txt="xx", sub/{y.txt="yyy"}}, as captured.
IPTUX_STREAM = (
    b"002e:fold:000000000:2:14=6b112304:16=6b112304:"
    b"002f:x.txt:000000002:1:14=6b112304:16=6b112304:xx"
    b"002d:sub:000000000:2:14=6b112304:16=6b112304:"
    b"002f:y.txt:000000003:1:14=6b112304:16=6b112304:yyy"
    b"0023:.:0:3:14=6b112304:16=6b112304:"
    b"0023:.:0:3:14=6b112304:16=6b112304:"
)


def events(pieces: list[bytes]) -> list[object]:
    decoder, found = DirStreamDecoder(), []
    for piece in pieces:
        decoder.feed(piece)
        while (event := decoder.next_event()) is not NEED_DATA:
            if isinstance(event, StreamEnd):
                found.append(event)
                return merged(found)
            found.append(event)
    return merged(found)


def merged(found: list[object]) -> list[object]:
    """Chunks joined, so feeding whole and byte by byte compare equal."""
    out: list[object] = []
    for event in found:
        if isinstance(event, Chunk) and out and isinstance(out[-1], Chunk):
            out[-1] = Chunk(out[-1].data + event.data)
        else:
            out.append(event)
    return out


EXPECTED = [
    DirEntry(b"fold", 0, 2, 0x6B112304), DirEntry(b"x.txt", 2, 1, 0x6B112304), Chunk(b"xx"), FileEnd(),
    DirEntry(b"sub", 0, 2, 0x6B112304), DirEntry(b"y.txt", 3, 1, 0x6B112304), Chunk(b"yyy"), FileEnd(),
    DirEntry(b".", 0, 3, 0x6B112304), DirEntry(b".", 0, 3, 0x6B112304), StreamEnd(),
]


@pytest.mark.parametrize("how", ["whole", "byte-by-byte", "with-trailing-bytes"])
def test_iptux_stream_three_ways(how):
    if how == "whole":
        assert events([IPTUX_STREAM]) == EXPECTED
    elif how == "byte-by-byte":
        assert events([IPTUX_STREAM[i : i + 1] for i in range(len(IPTUX_STREAM))]) == EXPECTED
    else:
        decoder = DirStreamDecoder()
        decoder.feed(IPTUX_STREAM + b"junk")
        seen = []
        while not isinstance(event := decoder.next_event(), StreamEnd):
            seen.append(event)
        assert merged([*seen, event]) == EXPECTED
        assert decoder.trailing == b"junk"


def test_our_headers_read_back():
    stream = (dir_header("资料".encode(), 0, FileType.DIR, 1) + dir_header(b"a:b", 2, FileType.REGULAR, 1) + b"hi"
              + dir_header(b".", 0, FileType.RETPARENT, 1))
    assert events([stream]) == [DirEntry("资料".encode(), 0, 2, 1), DirEntry(b"a:b", 2, 1, 1), Chunk(b"hi"), FileEnd(),
                                DirEntry(b".", 0, 3, 1), StreamEnd()]


@pytest.mark.parametrize("stream", [
    b"zzzz:fold:0:2:", b"0003:fold:0:2:", b"0010:x.txt:2:1:xx", b"000a::0:2:", b"000f:fold:zz:2:",
    b"000c:fold:0:", dir_header(b"f", 0, 2, 0) * 9,
], ids=["bad-length", "short-length", "starts-with-a-file", "empty-name", "bad-size", "no-attr", "too-deep"])
def test_bad_streams_raise(stream):
    with pytest.raises(StreamError):
        events([stream])


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_stream_error(data):
    decoder = DirStreamDecoder()
    decoder.feed(data)
    try:
        for _ in range(400):
            if decoder.next_event() is NEED_DATA:
                break
    except StreamError:
        pass
