"""What is sent for a picture: the original, or a JPEG made for sending (iPhone photos, "Original" off)."""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from lanchat.core.private_files import private_folder, write_private
from lanchat.core.transfers.paths import free_name
from lanchat.core.transfers.pictures import is_heif, picture_size, read_picture

#: "Original" off: the long edge and quality chat apps send.
SCALED_EDGE = 2048
SCALED_QUALITY = 90
#: A picture that must be converted (HEIF) but is sent at full size.
FULL_QUALITY = 95


def picture_to_send(source: Path, folder: Path, original: bool) -> Path:
    """The file to offer for the picture `source`.

    `source` itself when `original` (the default), or when it is a JPEG no
    larger than SCALED_EDGE, or a GIF (scaling would stop its animation).
    Otherwise a JPEG made in `folder` (owner-only): iPhone photos (HEIC/HEIF)
    always, at full size when `original`; other pictures at SCALED_EDGE.
    Any thread.

    Raises:
        ValueError: `source` cannot be read as a picture.
        OSError: the JPEG cannot be written.
    """
    suffix = source.suffix.lower()
    if not is_heif(source.name):
        if original or suffix == ".gif":
            return source
        size = picture_size(source)
        if suffix in (".jpg", ".jpeg") and size.isValid() and max(size.width(), size.height()) <= SCALED_EDGE:
            return source
    image = read_picture(source, None if original else QSize(SCALED_EDGE, SCALED_EDGE))
    if image.isNull():
        raise ValueError(f"{source.name} cannot be read as a picture")
    data = jpeg_bytes(image, FULL_QUALITY if original else SCALED_QUALITY)
    target_folder = private_folder(folder)
    name = free_name(source.stem + ".jpg", lambda n: (target_folder / n).exists())
    return write_private(target_folder / name, data)


def jpeg_bytes(image: QImage, quality: int) -> bytes:
    """`image` as a JPEG; transparent parts become white (JPEG has no transparency). Any thread."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    flat.save(buffer, "JPEG", quality)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def readable_name(prefix: str, when: datetime.datetime, suffix: str = ".png") -> str:
    """A file name people can read for a pasted or captured picture: `Screenshot 2026-11-29 10.14.05.png`."""
    return f"{prefix} {when:%Y-%m-%d %H.%M.%S}{suffix}"
