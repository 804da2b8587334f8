"""Round avatars: a picture when we have one, else initials on a colour of the id."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap

from lanchat.ui import theme
from lanchat.ui.untrusted import initials


def paint_avatar(
    painter: QPainter, rect: QRectF, name: str, key: str, image: QImage | None = None,
    faded: bool = False,
) -> None:
    """Draw a round avatar filling `rect` (a square)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if faded:
        painter.setOpacity(0.55)
    path = QPainterPath()
    path.addEllipse(rect)
    if image is not None and not image.isNull():
        painter.setClipPath(path)
        painter.drawImage(rect, image)
    else:
        painter.fillPath(path, theme.avatar_color(key))
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(8, int(rect.height() * 0.4)))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()


def paint_everyone(painter: QPainter, rect: QRectF) -> None:
    """The Everyone chat's avatar (the list and the chat header draw the same one)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(rect)
    painter.fillPath(path, theme.ACCENT)
    font = QFont(painter.font())
    font.setPixelSize(max(8, int(rect.height() * 0.45)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "👥")
    painter.restore()


def everyone_pixmap(size: int, ratio: float = 1.0) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_everyone(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def status_icon(status: str, size: int = 12) -> QPixmap:
    """A coloured status dot for menus (green online, orange away, red busy)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.STATUS_COLORS.get(status, theme.STATUS_COLORS["offline"]))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return pixmap


def paint_status_dot(painter: QPainter, rect: QRectF, status: str, ring: QColor) -> None:
    """A small status dot with a ring of the background colour (bottom right of an avatar)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(ring, 2.0))
    painter.setBrush(theme.STATUS_COLORS.get(status, theme.STATUS_COLORS["offline"]))
    painter.drawEllipse(rect)
    painter.restore()


def avatar_pixmap(name: str, key: str, size: int, image: QImage | None = None,
                  status: str | None = None, ratio: float = 1.0) -> QPixmap:
    """An avatar as a pixmap (for labels, the tray, the window icon)."""
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_avatar(painter, QRectF(0, 0, size, size), name, key, image)
    if status is not None:
        dot = size * 0.3
        paint_status_dot(painter, QRectF(size - dot, size - dot, dot - 1, dot - 1), status, QColor("#ffffff"))
    painter.end()
    return pixmap


def square_crop(image: QImage, size: int = 256) -> QImage:
    """The centred square of `image`, scaled to `size` pixels."""
    side = min(image.width(), image.height())
    x = (image.width() - side) // 2
    y = (image.height() - side) // 2
    square = image.copy(x, y, side, side)
    return square.scaled(size, size, Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
