"""A QR code as a QImage (segno makes the matrix; black modules on white, with the quiet zone scanners need)."""

from __future__ import annotations

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter


def qr_image(text: str, module_pixels: int = 6, border: int = 4) -> QImage:
    """`text` as a QR code (error correction M), each module `module_pixels` wide, `border` modules of white."""
    code = segno.make(text, error="m")
    rows = [list(row) for row in code.matrix_iter(scale=1, border=border)]
    size = len(rows) * module_pixels
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        for y, row in enumerate(rows):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(x * module_pixels, y * module_pixels, module_pixels, module_pixels,
                                     QColor(Qt.GlobalColor.black))
    finally:
        painter.end()
    return image
