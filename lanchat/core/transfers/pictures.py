"""Pictures as files: which names are pictures, reading one upright at the size needed, checking one is real.

Every function here is safe off the GUI thread (QImage and QImageReader are;
QPixmap is not and is never used here).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

log = logging.getLogger("lanchat.core.pictures")

#: Names taken as a picture without asking, from a known contact (docs/cli.md).
AUTO_ACCEPT_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
#: iPhone photos: shown through pillow-heif, always sent as JPEG.
HEIF_SUFFIXES = (".heic", ".heif")
#: Names shown as a picture (inline, in the viewer) and offered as kind `image`.
PICTURE_SUFFIXES = (*AUTO_ACCEPT_SUFFIXES, ".bmp", *HEIF_SUFFIXES)

#: What the first bytes of each picture format are, by the name's extension.
_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
_FORMAT = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}


def is_picture_name(name: str) -> bool:
    return name.lower().endswith(PICTURE_SUFFIXES)


def is_heif(name: str) -> bool:
    return name.lower().endswith(HEIF_SUFFIXES)


def is_picture(path: Path, name: str) -> bool:
    """The bytes at `path` start as the format `name`'s extension says, and decode as it."""
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


def picture_size(path: Path) -> QSize:
    """The upright size of the picture at `path` (EXIF orientation applied); invalid when unreadable."""
    if is_heif(path.name):
        image = _read_heif(path, None)
        return image.size() if not image.isNull() else QSize()
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    return size


def read_picture(path: Path, fit: QSize | None = None) -> QImage:
    """The picture at `path`, upright (EXIF orientation), decoded no larger than `fit` needs.

    A null QImage when it cannot be read. Large photos are decoded at the
    reduced size directly (QImageReader.setScaledSize), never whole first.
    """
    if is_heif(path.name):
        return _read_heif(path, fit)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid():
        return QImage()
    if fit is not None and fit.isValid():
        rotated = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
        upright = size.transposed() if rotated else size
        if upright.width() > fit.width() or upright.height() > fit.height():
            target = upright.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(target.transposed() if rotated else target)  # scaling comes before rotating
    image = reader.read()
    if image.isNull():
        log.info("cannot read %s: %s", path, reader.errorString())
    return image


def _read_heif(path: Path, fit: QSize | None) -> QImage:
    try:
        from PIL import Image, ImageOps
        from pillow_heif import register_heif_opener
    except ImportError:  # an install without pillow-heif shows a HEIF as a file
        return QImage()
    register_heif_opener()
    try:
        with Image.open(path) as opened:
            picture = ImageOps.exif_transpose(opened).convert("RGBA")
    except (OSError, ValueError) as e:
        log.info("cannot read %s: %s", path, e)
        return QImage()
    if fit is not None and fit.isValid():
        picture.thumbnail((fit.width(), fit.height()))
    data = picture.tobytes("raw", "RGBA")
    return QImage(data, picture.width, picture.height, 4 * picture.width, QImage.Format.Format_RGBA8888).copy()
