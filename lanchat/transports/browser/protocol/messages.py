"""The JSON the share page sends (a PIN, a new upload) and the JSON it reads back.

Everything from the page is checked here before it is used: sizes, counts,
and file names, which are cut down to one safe component (the page's name
for a file is a suggestion; its content type is never looked at).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from lanchat.transports import json_object

MAX_BODY = 256 * 1024  # a new upload of 1000 files with long names fits
MAX_FILES = 1000
MAX_FILE_SIZE = 2**53 - 1  # the largest size a browser's JavaScript counts exactly
MAX_NAME_BYTES = 255
MAX_DEVICE_NAME = 64
PIN_DIGITS = 4
_DEVICE_KEY = re.compile(r"[0-9a-f]{32}")
_RESERVED = re.compile(r'[/\\:<>"|?*]')
_PARTIAL = ".lanchat-partial"


class BadMessage(Exception):
    """What the page sent is not what lanchat reads; the message says why (for the log and the page)."""


@dataclass(frozen=True)
class UploadFile:
    name: str  # already one safe file name
    size: int


@dataclass(frozen=True)
class NewUpload:
    """`POST api/uploads`: a device's batch of files; `device` is its random key (32 hex)."""

    device: str
    device_name: str
    files: tuple[UploadFile, ...]


def loads_object(body: bytes) -> dict[str, Any]:
    """A JSON object from at most MAX_BODY bytes of UTF-8. Raises BadMessage."""
    if len(body) > MAX_BODY:
        raise BadMessage(f"a body over {MAX_BODY} bytes")
    try:
        return json_object.loads_object(body)
    except json_object.NotAnObject as e:
        raise BadMessage(str(e)) from None


def parse_pin(body: bytes) -> str:
    """`POST api/pin`: `{"pin": "1234"}`. Raises BadMessage."""
    pin = loads_object(body).get("pin")
    if not isinstance(pin, str) or len(pin) != PIN_DIGITS or not pin.isascii() or not pin.isdigit():
        raise BadMessage(f"a PIN is {PIN_DIGITS} digits")
    return pin


def parse_new_upload(body: bytes) -> NewUpload:
    """`POST api/uploads`: `{"device", "name", "files": [{"name", "size"}, ...]}`. Raises BadMessage."""
    message = loads_object(body)
    device = message.get("device")
    if not isinstance(device, str) or not _DEVICE_KEY.fullmatch(device):
        raise BadMessage("'device' is 32 lower-case hex")
    name = message.get("name")
    device_name = clean_device_name(name) if isinstance(name, str) else ""
    files = message.get("files")
    if not isinstance(files, list) or not files:
        raise BadMessage("'files' is a list of at least one file")
    if len(files) > MAX_FILES:
        raise BadMessage(f"{len(files)} files (at most {MAX_FILES})")
    parsed = []
    for entry in files:
        if not isinstance(entry, dict):
            raise BadMessage("a file is an object")
        size, file_name = entry.get("size"), entry.get("name")
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_SIZE:
            raise BadMessage("a file's 'size' is a whole number of bytes")
        if not isinstance(file_name, str):
            raise BadMessage("a file's 'name' is a string")
        parsed.append((file_name, size))
    names = unique_names([clean_file_name(n) for n, _ in parsed])
    return NewUpload(device, device_name, tuple(UploadFile(n, s) for n, (_, s) in zip(names, parsed, strict=True)))


def clean_file_name(name: str) -> str:
    """One safe file name from what a browser calls a file.

    The last component only (after `/` or `\\`), NFC, without control,
    format (bidirectional overrides among them) or surrogate characters,
    with `:` and the characters Windows refuses as `_`, without leading dots
    and spaces (no hidden files), at most 255 UTF-8 bytes with its extension
    kept; "file" when nothing is left.
    """
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    name = unicodedata.normalize("NFC", name)
    name = _RESERVED.sub("_", name).lstrip(". ").rstrip(" ")
    if name.casefold().startswith(_PARTIAL):
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if not dot or len(ext.encode("utf-8")) > 16:
            stem, dot, ext = name, "", ""
        budget = MAX_NAME_BYTES - len((dot + ext).encode("utf-8"))
        name = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" ") + dot + ext
    return name or "file"


def clean_device_name(name: str) -> str:
    """A device's name as the page reports it (a person may edit it there): one line, at most 64 characters."""
    text = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    return " ".join(unicodedata.normalize("NFC", text).split())[:MAX_DEVICE_NAME]


def unique_names(names: list[str]) -> list[str]:
    """The names with ` (1)`, ` (2)`... added to repeats (letter case ignored): phones reuse names."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 0
        while candidate.casefold() in seen:
            number += 1
            candidate = _numbered(name, number)
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


def _numbered(name: str, number: int) -> str:
    """`name` with ` (number)` before its extension, its stem shortened to stay within 255 bytes."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    tail = f" ({number})" + (f".{ext}" if ext else "")
    budget = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore") + tail


def dumps(value: object) -> bytes:
    """A JSON answer: compact UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
