"""Where the pictures of an album go in its card: a grid of square tiles, as chat apps show them."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

GAP = 3.0
MAX_COLUMNS = 3
MAX_TILES = 9  # more pictures than this: the last tile says "+N"
RADIUS = 6.0


def tile_rects(count: int, width: float, top: float = 0.0) -> list[QRectF]:
    """Square tiles for `count` pictures across `width`: 2 columns for 2 or 4, else up to 3."""
    if count <= 0:
        return []
    columns = 2 if count in (2, 4) else min(MAX_COLUMNS, count)
    side = (width - GAP * (columns - 1)) / columns
    return [
        QRectF((i % columns) * (side + GAP), top + (i // columns) * (side + GAP), side, side)
        for i in range(count)
    ]


def grid_height(count: int, width: float) -> float:
    rects = tile_rects(count, width)
    return rects[-1].bottom() if rects else 0.0


def tile_at(count: int, width: float, top: float, pos: QPointF) -> int | None:
    """Which tile `pos` is on, or None."""
    for i, rect in enumerate(tile_rects(count, width, top)):
        if rect.contains(pos):
            return i
    return None


def paint_tile(painter: QPainter, rect: QRectF, image: QImage | None, dim: bool = False) -> None:
    """One picture, cut to fill its square (the middle of it), or a grey square while it is not here."""
    path = QPainterPath()
    path.addRoundedRect(rect, RADIUS, RADIUS)
    painter.save()
    painter.setClipPath(path)
    if image is None or image.isNull():
        painter.fillRect(rect, QColor("#d9dde3"))
    else:
        scale = max(rect.width() / image.width(), rect.height() / image.height())
        w, h = rect.width() / scale, rect.height() / scale
        source = QRectF((image.width() - w) / 2, (image.height() - h) / 2, w, h)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(rect, image, source)
    if dim:
        painter.fillRect(rect, QColor(255, 255, 255, 140))
    painter.restore()


def more_label(painter: QPainter, rect: QRectF, hidden: int) -> None:
    """"+N" over the last tile when an album has more pictures than tiles."""
    painter.save()
    painter.fillRect(rect, QColor(0, 0, 0, 110))
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"+{hidden}")
    painter.restore()
