"""What an outgoing offer holds: files and folders as relative paths, and a picture's thumbnail."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage

from lanchat.core.transfers.offers import MAX_FILES, MAX_THUMB_BYTES
from lanchat.core.transfers.paths import MAX_COMPONENTS, path_problem
from lanchat.core.transfers.pictures import picture_size, read_picture

#: Room left in a 64 KiB header for the file list (the rest is fields and JSON).
MAX_LIST_BYTES = 60_000
THUMB_EDGE = 320


def collect_files(paths: list[Path]) -> list[list[tuple[str, Path]]]:
    """The files under `paths` as (relative path, source), split into offers.

    A folder keeps its name as the first component; symlinks and special
    files inside folders are skipped. Each group holds at most 1000 files
    and fits a 64 KiB header.

    Raises:
        ValueError: a path is missing or unreadable, a name is not sendable,
            or there is no file at all.
    """
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            found += _walk(path)
        elif path.is_file():
            found.append((path.name, path))
        else:
            raise ValueError(f"{path} is not a file or folder")
    if not found:
        raise ValueError("there is no file to send")
    for rel, source in found:
        problem = path_problem(rel)
        if problem is not None:
            raise ValueError(f"cannot send {rel!r}: {problem}")
        if not os.access(source, os.R_OK):
            raise ValueError(f"cannot read {source}")
    groups: list[list[tuple[str, Path]]] = [[]]
    size = 0
    for item in found:
        entry_bytes = len(item[0].encode("utf-8")) + 40
        if len(groups[-1]) >= MAX_FILES or size + entry_bytes > MAX_LIST_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += entry_bytes
    return groups


def _walk(folder: Path) -> list[tuple[str, Path]]:
    found = []
    root = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(dirpath)
        rel_dir = base.relative_to(root.parent)
        if len(rel_dir.parts) >= MAX_COMPONENTS:
            raise ValueError(f"{base} is nested more than {MAX_COMPONENTS} levels deep")
        for name in sorted(filenames):
            source = base / name
            if source.is_symlink() or not source.is_file():
                continue
            found.append(((rel_dir / name).as_posix(), source))
    return found


def make_thumbnail(path: Path) -> bytes | None:
    """A JPEG of at most 24 KiB showing the picture, or None when it cannot be read.

    Reads scaled (QImageReader), so a large photo is never decoded whole.
    Safe off the GUI thread.
    """
    size = picture_size(path)
    if not size.isValid():
        return None
    edge = THUMB_EDGE
    while edge >= 40:
        image = read_picture(path, QSize(edge, edge))
        if image.isNull():
            return None
        for quality in (80, 60, 40):
            data = _jpeg(image, quality)
            if len(data) <= MAX_THUMB_BYTES:
                return data
        edge //= 2
    return None


def _jpeg(image: QImage, quality: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_RGB888).save(buffer, "JPEG", quality)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())
