"""What a request to the share server asks for, from its method and path alone.

Every page and API of a share lives under `/s/<token>/` (docs/protocol.md
§8.3). Anything else is `Route.UNKNOWN`; the token is only checked for its
form here, and against the open shares by the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,5}")


class Route(Enum):
    BARE = "bare"  # /s/<token> without its slash: redirected
    PAGE = "page"  # GET /s/<token>/
    INFO = "info"  # GET api/info
    PIN = "pin"  # POST api/pin
    FILES = "files"  # GET api/files
    DOWNLOAD = "download"  # GET files/<i>/<name>
    THUMB = "thumb"  # GET thumbs/<i>
    UPLOADS = "uploads"  # GET api/uploads: this device's uploads
    NEW_UPLOAD = "new-upload"  # POST api/uploads
    UPLOAD = "upload"  # GET api/uploads/<id>: its state
    CANCEL_UPLOAD = "cancel-upload"  # DELETE api/uploads/<id>
    PUT_FILE = "put-file"  # PUT api/uploads/<id>/<i>
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Target:
    """A request's route; `token` is None outside a share, `method_ok` False for a known path asked wrongly."""

    route: Route
    token: str | None = None
    upload: str | None = None
    index: int | None = None
    method_ok: bool = True


_PATHS: list[tuple[re.Pattern[str], Route, str]] = [
    (re.compile(r""), Route.PAGE, "GET"),
    (re.compile(r"api/info"), Route.INFO, "GET"),
    (re.compile(r"api/pin"), Route.PIN, "POST"),
    (re.compile(r"api/files"), Route.FILES, "GET"),
    (re.compile(r"files/(?P<index>[0-9]+)(?:/[^/]*)?"), Route.DOWNLOAD, "GET"),
    (re.compile(r"thumbs/(?P<index>[0-9]+)"), Route.THUMB, "GET"),
    (re.compile(r"api/uploads/(?P<upload>[^/]+)/(?P<index>[0-9]+)"), Route.PUT_FILE, "PUT"),
]


def parse_target(method: str, path: str) -> Target:
    """The route of `method` `path` (the path without its query)."""
    parts = path.split("/", 3)  # "", "s", token, rest
    if len(parts) < 3 or parts[0] != "" or parts[1] != "s" or not TOKEN.fullmatch(parts[2]):
        return Target(Route.UNKNOWN)
    token = parts[2]
    if len(parts) == 3:
        return Target(Route.BARE, token, method_ok=method == "GET")
    rest = parts[3]
    if rest == "api/uploads":
        if method in ("GET", "POST"):
            return Target(Route.UPLOADS if method == "GET" else Route.NEW_UPLOAD, token)
        return Target(Route.NEW_UPLOAD, token, method_ok=False)
    match = re.fullmatch(r"api/uploads/([^/]+)", rest)
    if match:
        upload = match.group(1) if _UPLOAD_ID.fullmatch(match.group(1)) else None
        if upload is None:
            return Target(Route.UNKNOWN, token)
        if method in ("GET", "DELETE"):
            return Target(Route.UPLOAD if method == "GET" else Route.CANCEL_UPLOAD, token, upload)
        return Target(Route.UPLOAD, token, upload, method_ok=False)
    for pattern, route, wanted in _PATHS:
        match = pattern.fullmatch(rest)
        if match is None:
            continue
        found = match.groupdict()
        index_text = found.get("index")
        if index_text is not None and not _INDEX.fullmatch(index_text):
            return Target(Route.UNKNOWN, token)
        upload = found.get("upload")
        if upload is not None and not _UPLOAD_ID.fullmatch(upload):
            return Target(Route.UNKNOWN, token)
        index = int(index_text) if index_text is not None else None
        return Target(route, token, upload, index, method_ok=method == wanted)
    return Target(Route.UNKNOWN, token)


def parse_offset(text: str | None) -> int | None:
    """A PUT's `offset` query value: a whole number of bytes (0 when absent); None when malformed."""
    if text is None or text == "":
        return 0
    if not text.isascii() or not text.isdigit() or len(text) > 16:
        return None
    return int(text)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class BadRange(Exception):
    """A Range header that cannot be satisfied (416)."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range a download asks for (`bytes=a-b`, `bytes=a-`, `bytes=-n`); None for the whole file.

    Several ranges, other units and malformed headers are ignored (the
    whole file is sent), as RFC 9110 allows.

    Raises:
        BadRange: a well-formed range that starts past the end.
    """
    if header is None:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*([0-9]{0,19})\s*-\s*([0-9]{0,19})\s*", header)
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # the last n bytes
        count = int(last)
        if count == 0:
            raise BadRange(f"an empty suffix range of a {size}-byte file")
        return ByteRange(max(0, size - count), size - 1) if size else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise BadRange(f"a range from {start} of a {size}-byte file")
    if end < start:
        return None
    return ByteRange(start, end)
