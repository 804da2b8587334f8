"""The folder stream of GETDIRFILES: `hhhh:name:size:attr:key=value...:` headers, file bytes after each file.

`hhhh` is the header's own length in 4 hex digits (from its first digit to
the ':' before the contents). The stream starts with the folder, then its
entries depth first; a RETPARENT entry (name `.`) closes each folder, the
last one the folder itself. `DirStreamDecoder` is sans-IO: feed bytes, take
events; it holds at most one header in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from lanchat.transports.ipmsg.protocol.attachments import MAX_NAME_BYTES, MAX_SIZE, FileType, take_name

MAX_HEADER = 0xFFFF
MAX_DEPTH = 8  # lanchat's path rules: 8 components at most


class StreamError(ValueError):
    """The folder stream broke its format; the fetch fails."""


@dataclass(frozen=True)
class DirEntry:
    """A header: a file whose `size` bytes follow, a folder opening, or RETPARENT (`name` b".")."""

    name: bytes
    size: int
    attr: int
    mtime: int = 0

    @property
    def kind(self) -> int:
        return self.attr & 0xFF


@dataclass(frozen=True)
class Chunk:
    data: bytes


@dataclass(frozen=True)
class FileEnd:
    """The bytes of the last file header are complete."""


@dataclass(frozen=True)
class StreamEnd:
    """The top folder is closed: the stream is complete."""


class _NeedData:
    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA: Final = _NeedData()
DirEvent = DirEntry | Chunk | FileEnd | StreamEnd | _NeedData


class DirStreamDecoder:
    def __init__(self) -> None:
        self._buffer = bytearray()
        self._left = 0  # bytes of the current file still to come
        self._in_file = False
        self._depth = 0
        self._started = False
        self._ended = False

    @property
    def depth(self) -> int:
        return self._depth

    @property
    def trailing(self) -> bytes:
        """Bytes fed after the stream ended."""
        return bytes(self._buffer) if self._ended else b""

    @property
    def in_file(self) -> bool:
        """Inside the bytes of a file (the stream cannot end here)."""
        return self._in_file

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next_event(self) -> DirEvent:
        """The next event, or NEED_DATA. Raises StreamError when the stream is malformed."""
        if self._ended:
            return StreamEnd()  # bytes after the end are not part of the stream (`trailing` has them)
        if self._in_file:
            if self._left == 0:
                self._in_file = False
                return FileEnd()
            if not self._buffer:
                return NEED_DATA
            take = min(self._left, len(self._buffer))
            data = bytes(self._buffer[:take])
            del self._buffer[:take]
            self._left -= take
            return Chunk(data)
        if len(self._buffer) < 5:
            return NEED_DATA
        try:
            length = int(self._buffer[:4], 16)
        except ValueError:
            raise StreamError("a header must start with its length in 4 hex digits") from None
        if self._buffer[4:5] != b":" or length < 5 or length > MAX_HEADER:
            raise StreamError(f"a bad header length {bytes(self._buffer[:5])!r}")
        if len(self._buffer) < length:
            return NEED_DATA
        header = bytes(self._buffer[:length])
        del self._buffer[:length]
        return self._entry(header)

    def _entry(self, header: bytes) -> DirEntry:
        name, after = take_name(header, 5)
        if after < 0 or not name or len(name) > MAX_NAME_BYTES or b"\0" in name:
            raise StreamError("a header without a valid name")
        fields = header[after:].split(b":")
        if len(fields) < 2:
            raise StreamError("a header without size and attribute")
        try:
            size, attr = int(fields[0], 16), int(fields[1], 16)
        except ValueError:
            raise StreamError("a header with a bad size or attribute") from None
        if not 0 <= size <= MAX_SIZE:
            raise StreamError("a header with a bad size")
        mtime = 0
        for field in fields[2:]:
            key, sep, value = field.partition(b"=")
            if sep and key == b"14":
                try:
                    mtime = int(value, 16)
                except ValueError:
                    pass
        entry = DirEntry(name, size, attr, mtime)
        kind = entry.kind
        if not self._started and kind != FileType.DIR:
            raise StreamError("a folder stream starts with its folder")
        self._started = True
        if kind == FileType.DIR:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise StreamError(f"folders nested more than {MAX_DEPTH} deep")
        elif kind == FileType.RETPARENT:
            self._depth -= 1
            if self._depth == 0:
                self._ended = True
        elif kind == FileType.REGULAR:
            self._in_file, self._left = True, size
        return entry


def dir_header(name: bytes, size: int, attr: int, mtime: int) -> bytes:
    """One header of a folder stream (its own length included)."""
    body = b":%s:%x:%x:14=%x:16=%x:" % (name.replace(b":", b"::"), size, attr, mtime, mtime)
    length = 4 + len(body)
    if length > MAX_HEADER:
        raise ValueError("a header over 65535 bytes")
    return b"%04x" % length + body


RETPARENT_NAME = b"."
