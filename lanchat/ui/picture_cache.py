"""Pictures shown small (chat cards, the media view): decoded off the GUI thread, kept on disk and in memory.

A chat of 200 photos must scroll smoothly, and a 12 MP photo arriving must
not stall the window: `get` never decodes on the GUI thread. It answers from
memory, or starts a background load (from the disk cache in the profile, else
from the picture itself, scaled while decoding) and says `ready` when done.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Signal, Slot
from PySide6.QtGui import QImage

from lanchat.core.private_files import private_folder, write_private
from lanchat.core.transfers.outgoing_pictures import jpeg_bytes
from lanchat.core.transfers.pictures import read_picture
from lanchat.ui.background import Background

log = logging.getLogger("lanchat.ui.picture_cache")

#: Twice a card's picture size: sharp on high-DPI screens.
EDGE = 520
MEMORY_ITEMS = 400  # about 400 × 520 × 390 × 4 bytes = 300 MiB at worst; most are far smaller
QUALITY = 85


def _load(path: str, cached: Path, edge: int) -> QImage:
    """The small copy kept on disk, else the picture read at `edge` (and kept for next time). Any thread."""
    image = QImage(str(cached)) if cached.exists() else QImage()
    if image.isNull():
        image = read_picture(Path(path), QSize(edge, edge))
        if not image.isNull():
            try:
                write_private(cached, jpeg_bytes(image, QUALITY))
            except OSError as e:  # a cache that cannot be written only costs speed
                log.info("cannot keep a small copy of %s: %s", path, e.strerror)
    return image


class PictureCache(QObject):
    """Small, upright copies of local pictures (GUI thread; loads run in a pool)."""

    #: A local path whose picture is ready (or cannot be read: `get` then gives a null QImage).
    ready = Signal(str)

    def __init__(self, folder: Path, edge: int = EDGE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._edge = edge
        self._memory: OrderedDict[str, QImage] = OrderedDict()
        self._loading: set[str] = set()
        self._loads = Background(self._on_loaded)

    def get(self, path: str) -> QImage | None:
        """The small picture of `path`, or None while it loads (`ready(path)` follows)."""
        image = self._memory.get(path)
        if image is not None:
            self._memory.move_to_end(path)
            return image
        if path not in self._loading:
            self._loading.add(path)
            try:
                cached = private_folder(self._folder) / (self._key(path) + ".jpg")
            except OSError:
                cached = self._folder / "unusable"
            edge = self._edge
            self._loads.run(path, lambda: _load(path, cached, edge))
        return None

    def peek(self, path: str) -> QImage | None:
        """The small picture of `path` if it is in memory now; never starts a load (measuring a card)."""
        return self._memory.get(path)

    def wait(self) -> None:
        """Finish every load started (tests, shutdown)."""
        self._loads.wait()

    @staticmethod
    def _key(path: str) -> str:
        """Names the picture by path, size and modification time: a changed file is read again."""
        try:
            info = os.stat(path)
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        return hashlib.sha256(f"{path}\0{stamp}".encode()).hexdigest()[:40]

    @Slot(object, object)
    def _on_loaded(self, path: object, image: object) -> None:
        if not isinstance(path, str) or not isinstance(image, QImage):
            return
        self._loading.discard(path)
        self._memory[path] = image
        while len(self._memory) > MEMORY_ITEMS:
            self._memory.popitem(last=False)
        self.ready.emit(path)
