"""Marking up a capture: rectangles, arrows, a pen, text, and mosaic to hide a name; then send, copy or save."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

MOSAIC_BLOCK = 10  # pixels per mosaic square
PEN_WIDTH = 3.0
COLORS = ("#e53935", "#fbc02d", "#43a047", "#1e88e5", "#212121")


class Tool(StrEnum):
    RECTANGLE = "rectangle"
    ARROW = "arrow"
    PEN = "pen"
    TEXT = "text"
    MOSAIC = "mosaic"


@dataclass
class Mark:
    """One thing drawn, in the capture's own pixels."""

    tool: Tool
    points: list[QPointF]
    color: QColor
    text: str = ""
    width: float = PEN_WIDTH
    extra: dict[str, float] = field(default_factory=dict)

    def rect(self) -> QRectF:
        return QRectF(self.points[0], self.points[-1]).normalized()


def render(base: QImage, marks: list[Mark]) -> QImage:
    """The capture with its marks, in order (a mosaic hides what is under it, marks drawn before included)."""
    result = base.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for mark in marks:
        _draw(painter, result, mark)
    painter.end()
    return result


def _draw(painter: QPainter, image: QImage, mark: Mark) -> None:
    if mark.tool is Tool.MOSAIC:
        area = mark.rect().toAlignedRect().intersected(image.rect())
        if area.width() >= 2 and area.height() >= 2:
            small = image.copy(area).scaled(max(1, area.width() // MOSAIC_BLOCK), max(1, area.height() // MOSAIC_BLOCK),
                                            Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)
            painter.drawImage(area, small.scaled(area.size(), Qt.AspectRatioMode.IgnoreAspectRatio,
                                                 Qt.TransformationMode.FastTransformation))
        return
    pen = QPen(mark.color, mark.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if mark.tool is Tool.RECTANGLE:
        painter.drawRect(mark.rect())
    elif mark.tool is Tool.PEN:
        painter.drawPolyline(QPolygonF(mark.points))
    elif mark.tool is Tool.ARROW:
        line = QLineF(mark.points[0], mark.points[-1])
        painter.drawLine(line)
        if line.length() > 1:
            head = min(18.0, line.length() / 2)
            angle = math.atan2(-line.dy(), line.dx())
            tip = line.p2()
            wings = [QPointF(tip.x() - head * math.cos(angle + s * math.pi / 7),
                             tip.y() + head * math.sin(angle + s * math.pi / 7)) for s in (1, -1)]
            painter.setBrush(mark.color)
            painter.drawPolygon(QPolygonF([tip, *wings]))
    elif mark.tool is Tool.TEXT:
        font = QFont()
        font.setPixelSize(int(mark.extra.get("size", 20)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(mark.points[0], mark.text)


class MarkupCanvas(QWidget):
    """The capture at a size that fits the screen; drawing happens in the capture's own pixels."""

    changed = Signal()

    def __init__(self, base: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = base
        self.marks: list[Mark] = []
        self.tool = Tool.RECTANGLE
        self.color = QColor(COLORS[0])
        self._drawing: Mark | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        screen = self.screen().availableGeometry().size() * 0.8 if self.screen() else QSize(1280, 800)
        return self.base.size().scaled(screen, Qt.AspectRatioMode.KeepAspectRatio).boundedTo(self.base.size())

    def _scale(self) -> float:
        if self.base.width() == 0 or self.base.height() == 0:
            return 1.0
        return min(1.0, self.width() / self.base.width(), self.height() / self.base.height())

    def _offset(self) -> QPointF:
        s = self._scale()
        return QPointF((self.width() - self.base.width() * s) / 2, (self.height() - self.base.height() * s) / 2)

    def to_image(self, pos: QPointF) -> QPointF:
        return (pos - self._offset()) / self._scale()

    def image(self) -> QImage:
        return render(self.base, self.marks)

    def undo(self) -> None:
        if self.marks:
            self.marks.pop()
            self.update()
            self.changed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#2b2d31"))
        marks = self.marks + ([self._drawing] if self._drawing is not None else [])
        shown = render(self.base, marks)
        s = self._scale()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(self._offset(), QSize(round(self.base.width() * s), round(self.base.height() * s))
                                 .toSizeF()), shown)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        at = self.to_image(event.position())
        if self.tool is Tool.TEXT:
            text, ok = QInputDialog.getText(self, self.tr("Text"), self.tr("Text to write on the picture:"))
            if ok and text.strip():
                size = max(14.0, self.base.height() / 25)
                self.marks.append(Mark(Tool.TEXT, [at], QColor(self.color), text.strip(), extra={"size": size}))
                self.update()
                self.changed.emit()
            return
        self._drawing = Mark(self.tool, [at, at], QColor(self.color))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing is None:
            return
        at = self.to_image(event.position())
        if self._drawing.tool is Tool.PEN:
            self._drawing.points.append(at)
        else:
            self._drawing.points[-1] = at
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        mark, self._drawing = self._drawing, None
        if mark is None:
            return
        if QLineF(mark.points[0], mark.points[-1]).length() >= 2 or len(mark.points) > 2:
            self.marks.append(mark)
            self.changed.emit()
        self.update()


class MarkupWindow(QWidget):
    """The capture, the tools, and what to do with it."""

    send_requested = Signal(QImage)
    copy_requested = Signal(QImage)
    save_requested = Signal(QImage)

    def __init__(self, capture: QImage, send_to: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("MarkupWindow")
        self.setWindowTitle(self.tr("Screenshot"))
        self.canvas = MarkupCanvas(capture, self)
        self.toolbar = QToolBar()
        self.tool_actions: dict[Tool, QAction] = {}
        group = QActionGroup(self)
        for tool, label in ((Tool.RECTANGLE, self.tr("Rectangle")), (Tool.ARROW, self.tr("Arrow")),
                            (Tool.PEN, self.tr("Pen")), (Tool.TEXT, self.tr("Text")),
                            (Tool.MOSAIC, self.tr("Mosaic"))):
            action = self.toolbar.addAction(label)
            action.setCheckable(True)
            action.setObjectName(tool.value)
            action.triggered.connect(lambda _checked=False, t=tool: self.set_tool(t))
            group.addAction(action)
            self.tool_actions[tool] = action
        self.tool_actions[Tool.RECTANGLE].setChecked(True)
        self.tool_actions[Tool.MOSAIC].setToolTip(self.tr("Hide a name or a face: drag over it"))
        self.toolbar.addSeparator()
        colors = QActionGroup(self)  # the colour in use shows pressed, as the tool does
        for color in COLORS:
            swatch = QPixmap(16, 16)
            swatch.fill(QColor(color))
            action = self.toolbar.addAction(swatch, "")
            action.setToolTip(self.tr("Colour"))
            action.setCheckable(True)
            action.setChecked(QColor(color) == self.canvas.color)
            action.triggered.connect(lambda _checked=False, c=color: self.set_color(QColor(c)))
            colors.addAction(action)
        self.toolbar.addSeparator()
        undo = self.toolbar.addAction(self.tr("Undo"), self.canvas.undo)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.save_button = QPushButton(self.tr("Save…"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.send_button = QPushButton(self.tr("Send to {0}").format(send_to) if send_to else self.tr("Send"))
        self.send_button.setVisible(send_to is not None)
        self.send_button.setDefault(True)
        for button in (self.cancel_button, self.save_button, self.copy_button, self.send_button):
            buttons.addWidget(button)
        self.cancel_button.clicked.connect(self.close)
        self.save_button.clicked.connect(lambda: self._finish(self.save_requested.emit))
        self.copy_button.clicked.connect(lambda: self._finish(self.copy_requested.emit))
        self.send_button.clicked.connect(lambda: self._finish(self.send_requested.emit))
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)
        self.resize(self.sizeHint())

    @Slot()
    def set_tool(self, tool: Tool) -> None:
        self.canvas.tool = tool
        self.tool_actions[tool].setChecked(True)
        self.canvas.setCursor(Qt.CursorShape.IBeamCursor if tool is Tool.TEXT else Qt.CursorShape.CrossCursor)

    def set_color(self, color: QColor) -> None:
        self.canvas.color = color

    def _finish(self, then: Callable[[QImage], object]) -> None:
        image = self.canvas.image()
        self.close()
        then(image)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
