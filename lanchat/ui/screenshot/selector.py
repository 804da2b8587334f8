"""Picking the region: the frozen screens fill the display, dimmed outside the rectangle being dragged."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from lanchat.ui.screenshot.grab import Frozen

#: A region smaller than this (a click, a twitch) is not taken.
MIN_SIDE = 4


class RegionSelector(QWidget):
    """Drag to select; release takes the region; Esc or the right button cancels."""

    selected = Signal(QImage)
    cancelled = Signal()

    def __init__(self, frozen: Frozen) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("RegionSelector")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMouseTracking(True)
        self.frozen = frozen
        self._start: QPoint | None = None
        self._region = QRect()
        self.setGeometry(frozen.geometry)

    def start(self) -> None:
        self.show()
        self.setGeometry(self.frozen.geometry)  # over every screen; the window manager may have moved it
        self.raise_()
        self.activateWindow()
        self.setFocus()

    @property
    def region(self) -> QRect:
        """The rectangle selected so far, in this widget's coordinates."""
        return self._region

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(self.rect(), self.frozen.image)
        shade = QColor(0, 0, 0, 110)
        if self._region.isEmpty():
            painter.fillRect(self.rect(), shade)
            painter.setPen(QColor("white"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("Drag over what you want to capture. Esc cancels."))
            return
        r = self._region
        for part in (QRect(0, 0, self.width(), r.top()), QRect(0, r.bottom() + 1, self.width(), self.height()),
                     QRect(0, r.top(), r.left(), r.height()), QRect(r.right() + 1, r.top(), self.width(), r.height())):
            painter.fillRect(part, shade)
        painter.setPen(QPen(QColor("#2f80ed"), 2))
        painter.drawRect(r.adjusted(0, 0, -1, -1))
        label = f"{round(r.width() * self.frozen.ratio)} × {round(r.height() * self.frozen.ratio)}"
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.95)
        painter.setFont(font)
        box = painter.fontMetrics().boundingRect(label).adjusted(-6, -3, 6, 3)
        box.moveBottomLeft(QPoint(r.left(), r.top() - 4) if r.top() > box.height() + 8
                           else QPoint(r.left() + 4, r.top() + box.height() + 4))
        painter.fillRect(box, QColor(0, 0, 0, 180))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self.cancel()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._start = event.position().toPoint()
            self._region = QRect()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None:
            a, b = self._start, event.position().toPoint()
            self._region = QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(b.x() - a.x()), abs(b.y() - a.y()))
            self._region = self._region.intersected(self.rect())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._start is None:
            return
        self._start = None
        if self._region.width() < MIN_SIDE or self._region.height() < MIN_SIDE:
            self._region = QRect()
            self.update()
            return
        image = self.frozen.crop(self._region.translated(self.frozen.geometry.topLeft()))
        self.close()
        self.selected.emit(image)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    def cancel(self) -> None:
        self.close()
        self.cancelled.emit()
