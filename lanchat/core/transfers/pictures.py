"""Whether a received file really is the picture its name says (a picture auto-accepted must be one)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader

#: What the first bytes of each picture format are, by the name's extension.
_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
_FORMAT = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}


def is_picture(path: Path, name: str) -> bool:
    """The bytes at `path` start as the format `name`'s extension says, and decode as it. Any thread."""
    suffix = Path(name).suffix.lower()
    if suffix not in _MAGIC:
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    if not head.startswith(_MAGIC[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return False
    reader = QImageReader(str(path), _FORMAT[suffix].encode())
    reader.setDecideFormatFromContent(False)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return False
    reader.setScaledSize(size.scaled(QSize(64, 64), Qt.AspectRatioMode.KeepAspectRatio))  # decodes it all, small
    return not reader.read().isNull()
