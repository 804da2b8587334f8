"""LocalSend's upload API bodies: prepare-upload (request and answer) and query strings (pure).

prepare-upload: `{"info": <device>, "files": {id: {id, fileName, size,
fileType, sha256?, preview?, metadata?}}}`, answered 200 with
`{"sessionId": S, "files": {id: token}}` (only the accepted ids). The app
carries a text message as one `text/*` file whose `preview` holds the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from lanchat.transports.localsend.protocol.device import (
    BadMessage,
    DeviceInfo,
    device_json,
    loads_object,
    parse_device,
)

MAX_FILES = 10_000  # more is a bad request (lanchat rejects over 1000 as too large)
MAX_ID_CHARS = 128
MAX_NAME_BYTES = 4096
MAX_SIZE = 2**53 - 1
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_ID = re.compile(r"[\x21-\x7e]{1,128}")  # printable ASCII, no spaces (they go into query strings)


@dataclass(frozen=True)
class FileEntry:
    """One offered file; `sha256` lower-case hex or None; `preview` the text of a message."""

    id: str
    file_name: str
    size: int
    file_type: str = "application/octet-stream"
    sha256: str | None = None
    preview: str | None = None

    @property
    def is_text(self) -> bool:
        """A text type: `text/...`, or the enum name `text` of old clients."""
        kind = self.file_type.lower()
        return kind == "text" or kind.startswith("text/")


@dataclass(frozen=True)
class PrepareUpload:
    info: DeviceInfo
    files: tuple[FileEntry, ...]

    @property
    def message(self) -> str | None:
        """The text, when this is a message (exactly one text file whose preview is set), else None."""
        if len(self.files) == 1 and self.files[0].is_text and self.files[0].preview is not None:
            return self.files[0].preview
        return None


@dataclass(frozen=True)
class UploadAnswer:
    """prepare-upload's 200 answer: the session and a token per accepted file id."""

    session_id: str
    tokens: tuple[tuple[str, str], ...]

    def token(self, file_id: str) -> str | None:
        return next((t for i, t in self.tokens if i == file_id), None)


def _parse_file(key: str, entry: object) -> FileEntry:
    if not isinstance(entry, dict):
        raise BadMessage("a file entry must be an object")
    file_id = entry.get("id", key)
    if file_id != key or _ID.fullmatch(key) is None:
        raise BadMessage("a file's id must equal its key: 1..128 printable ASCII characters")
    name = entry.get("fileName")
    if not isinstance(name, str) or not name or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise BadMessage(f"fileName must be a string of 1..{MAX_NAME_BYTES} bytes")
    size = entry.get("size")
    if type(size) is not int or not 0 <= size <= MAX_SIZE:
        raise BadMessage("size must be an integer 0..2^53-1")
    file_type = entry.get("fileType", "application/octet-stream")
    if file_type is None:
        file_type = "application/octet-stream"
    if not isinstance(file_type, str) or len(file_type) > 255:
        raise BadMessage("fileType must be a string")
    sha256 = entry.get("sha256")
    if sha256 is not None and (not isinstance(sha256, str) or _SHA256.fullmatch(sha256) is None):
        raise BadMessage("sha256 must be 64 hex characters or null")
    preview = entry.get("preview")
    if preview is not None and not isinstance(preview, str):
        raise BadMessage("preview must be a string or null")
    return FileEntry(key, name, size, file_type, sha256.lower() if sha256 else None, preview)


def parse_prepare_upload(body: bytes) -> PrepareUpload:
    """The body of `POST /prepare-upload`.

    Raises:
        BadMessage: not JSON, no valid `info`, `files` not an object of valid entries, or empty.
    """
    obj = loads_object(body)
    info = obj.get("info")
    if not isinstance(info, dict):
        raise BadMessage("no info object")
    files = obj.get("files")
    if not isinstance(files, dict):
        raise BadMessage("files must be an object")
    if not files:
        raise BadMessage("no files")
    if len(files) > MAX_FILES:
        raise BadMessage(f"more than {MAX_FILES} files")
    return PrepareUpload(parse_device(info), tuple(_parse_file(k, v) for k, v in files.items()))


def encode_prepare_upload(info: DeviceInfo, files: list[FileEntry]) -> bytes:
    """Our prepare-upload body; null fields are left out, as the app does."""
    entries: dict[str, dict[str, Any]] = {}
    for f in files:
        entry: dict[str, Any] = {"id": f.id, "fileName": f.file_name, "size": f.size, "fileType": f.file_type}
        if f.sha256 is not None:
            entry["sha256"] = f.sha256
        if f.preview is not None:
            entry["preview"] = f.preview
        entries[f.id] = entry
    return _dumps({"info": device_json(info), "files": entries})


def parse_upload_answer(body: bytes, offered: set[str]) -> UploadAnswer:
    """prepare-upload's 200 answer; tokens for ids we did not offer are dropped.

    Raises:
        BadMessage: no session id or no `files` object of string tokens.
    """
    obj = loads_object(body)
    session = obj.get("sessionId")
    files = obj.get("files")
    if not isinstance(session, str) or _ID.fullmatch(session) is None or not isinstance(files, dict):
        raise BadMessage("an answer needs a sessionId and a files object")
    tokens = []
    for file_id, token in files.items():
        if not isinstance(token, str) or _ID.fullmatch(token) is None:
            raise BadMessage("a token must be 1..128 printable ASCII characters")
        if file_id in offered:
            tokens.append((file_id, token))
    return UploadAnswer(session, tuple(tokens))


def encode_upload_answer(answer: UploadAnswer) -> bytes:
    return _dumps({"sessionId": answer.session_id, "files": dict(answer.tokens)})


def split_target(target: str) -> tuple[str, dict[str, str]]:
    """A request target's path and its query parameters (the first of each name)."""
    parts = urlsplit(target)
    query: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(name, value)
    return parts.path, query


def upload_target(session_id: str, file_id: str, token: str) -> str:
    q = quote
    return f"/api/localsend/v2/upload?sessionId={q(session_id)}&fileId={q(file_id)}&token={q(token)}"


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
