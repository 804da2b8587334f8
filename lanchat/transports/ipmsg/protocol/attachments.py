"""Files offered on the IP Messenger wire, and the TCP requests that fetch them.

An offer is a SENDMSG with FILEATTACHOPT whose extra is `text NUL files NUL`;
each file is `fileID:name:size:mtime:attr[:key=value...]:` and the files are
separated by BEL (`\\a`), optionally followed by ':'. The file id is decimal,
size, time and attribute hex; a ':' in a name is written '::'. Fetching is
TCP: GETFILEDATA `packetID:fileID:offset` and GETDIRFILES `packetID:fileID`,
all hex (IP Messenger writes the offer's numbers in decimal but requests
them in hex; iptux also reads a decimal file id).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

MAX_FILES = 1000
MAX_NAME_BYTES = 255
MAX_SIZE = 2**53 - 1
MAX_REQUEST_BYTES = 1024


class FileType(IntEnum):
    """The low 8 bits of a file's attribute."""

    REGULAR = 0x1
    DIR = 0x2
    RETPARENT = 0x3  # in a folder stream: back up one folder


@dataclass(frozen=True)
class Attachment:
    """One offered file or folder; `name` is raw bytes in the sender's encoding."""

    file_id: int
    name: bytes
    size: int  # a folder's size is the total of its files (iptux), or 0
    mtime: int
    attr: int

    @property
    def kind(self) -> int:
        return self.attr & 0xFF

    @property
    def is_dir(self) -> bool:
        return self.kind == FileType.DIR


@dataclass(frozen=True)
class FileRequest:
    """A GETFILEDATA (`offset` set) or GETDIRFILES request."""

    packet: int
    file_id: int
    offset: int = 0
    file_id_decimal: int | None = None  # the same digits read as decimal, for peers that write decimal


def escape_name(name: bytes) -> bytes:
    return name.replace(b":", b"::")


def take_name(data: bytes, start: int) -> tuple[bytes, int]:
    """The escaped name starting at `start`, and the index after its closing ':' (or -1)."""
    name = bytearray()
    i = start
    while i < len(data):
        if data[i : i + 1] == b":":
            if data[i + 1 : i + 2] == b":":
                name += b":"
                i += 2
                continue
            return bytes(name), i + 1
        name += data[i : i + 1]
        i += 1
    return bytes(name), -1


def _hex(value: bytes) -> int | None:
    try:
        number = int(value, 16)
    except ValueError:
        return None
    return number if 0 <= number <= MAX_SIZE else None


def parse_attachment(entry: bytes) -> Attachment | None:
    """One entry of a file list, or None when it is malformed."""
    entry = entry.lstrip(b":")
    head, sep, _ = entry.partition(b":")
    if not sep or not head.isdigit() or len(head) > 12:
        return None
    name, after = take_name(entry, len(head) + 1)
    if after < 0 or not name or len(name) > MAX_NAME_BYTES or b"\0" in name:
        return None
    rest = entry[after:].split(b":")
    if len(rest) < 3:
        return None
    size, mtime, attr = (_hex(field) for field in rest[:3])
    if size is None or mtime is None or attr is None:
        return None
    return Attachment(int(head), name, size, mtime, attr)


def parse_attachments(field: bytes) -> list[Attachment]:
    """The files of an offer's list; malformed entries are left out, at most 1000 are read."""
    found = []
    for entry in field.split(b"\a"):
        if not entry.strip(b":"):
            continue
        attachment = parse_attachment(entry)
        if attachment is not None:
            found.append(attachment)
            if len(found) >= MAX_FILES:
                break
    return found


def encode_attachments(attachments: list[Attachment]) -> bytes:
    """A file list as IP Messenger writes it: `id:name:size:mtime:attr:` BEL each."""
    return b"".join(
        b"%d:%s:%x:%x:%x:\a" % (a.file_id, escape_name(a.name), a.size, a.mtime, a.attr) for a in attachments
    )


def parse_request(extra: bytes, with_offset: bool) -> FileRequest | None:
    """The fields of a GETFILEDATA (`with_offset`) or GETDIRFILES extra, or None."""
    fields = extra.split(b"\0", 1)[0].split(b":")
    if len(fields) < 2:
        return None
    packet, file_id = _hex(fields[0]), _hex(fields[1])
    if packet is None or file_id is None:
        return None
    offset = 0
    if with_offset and len(fields) > 2 and fields[2]:
        parsed = _hex(fields[2])
        if parsed is None:
            return None
        offset = parsed
    decimal = int(fields[1]) if fields[1].isdigit() and len(fields[1]) <= 12 else None
    return FileRequest(packet, file_id, offset, decimal)


def request_extra(packet: int, file_id: int, offset: int | None) -> bytes:
    """A GETFILEDATA (`offset` given) or GETDIRFILES extra; the trailing fields every reader accepts."""
    return b"%x:%x:%x:" % (packet, file_id, offset or 0)


def request_complete(data: bytes) -> bool:
    """Whether the bytes read so far on a TCP connection hold a whole request packet.

    A request ends with NUL, or (IP Messenger) is `header:packet:file:offset:`
    with no NUL at all.
    """
    if b"\0" in data:
        return True
    parts = data.split(b":", 5)
    return len(parts) == 6 and parts[5].count(b":") >= 3
