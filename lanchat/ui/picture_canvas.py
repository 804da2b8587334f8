"""The picture in the viewer: fitted or zoomed, panned with the mouse, turned in quarter turns, GIFs playing.

Decoding happens off the GUI thread: first at the size the window needs,
then at full size once someone zooms in past that.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QMovie,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from lanchat.core.transfers.pictures import picture_size, read_picture
from lanchat.ui.background import Background

MIN_ZOOM = 0.02
MAX_ZOOM = 16.0
STEP = 1.25  # one wheel notch or one key press


class PictureCanvas(QWidget):
    """Shows one picture; `zoom` None means fitted to the widget."""

    #: The picture (at least its fitted copy) is on screen, or cannot be read (False).
    shown = Signal(bool)
    #: The zoom changed (percent of the picture's own size).
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.path: Path | None = None
        self.natural = QSize()  # the picture's upright size
        self.image = QImage()  # the best decoded copy so far
        self.unreadable = False  # the picture could not be decoded
        self.rotation = 0  # quarter turns, clockwise
        self.zoom: float | None = None
        self.pan = QPointF()
        self._full_requested = False
        self._number = 0
        self._drag_from: QPointF | None = None
        self._movie: QMovie | None = None
        self._decoding = Background(self._on_decoded)

    # --- what is shown -----------------------------------------------------------------

    def show_picture(self, path: Path) -> None:
        """Show `path`, fitted; decoding starts at once, off this thread."""
        self._stop_movie()
        self.path, self.image, self.rotation, self.zoom, self.pan = path, QImage(), 0, None, QPointF()
        self.unreadable = False
        self._full_requested = False
        self._number += 1
        self.natural = picture_size(path)  # reads the header only
        if path.suffix.lower() == ".gif":
            movie = QMovie(str(path))
            if movie.isValid() and movie.frameCount() != 1:
                self._movie = movie
                movie.frameChanged.connect(self._on_frame)
                movie.start()
                return
        screen = self.screen().size() * self.devicePixelRatioF() if self.screen() else QSize(1920, 1080)
        self._decode(path, screen)
        self.update()

    def _decode(self, path: Path, fit: QSize | None) -> None:
        self._decoding.run(self._number, lambda: read_picture(path, fit))

    def wait(self) -> None:
        """Finish decoding (tests, closing)."""
        self._decoding.wait()

    def _stop_movie(self) -> None:
        if self._movie is not None:
            self._movie.stop()
            self._movie.deleteLater()
            self._movie = None

    @Slot(int)
    def _on_frame(self, _frame: int) -> None:
        first = self.image.isNull()
        if self._movie is not None:
            self.image = self._movie.currentImage()
            if not self.natural.isValid():
                self.natural = self.image.size()
        self.update()
        if first:
            self.shown.emit(not self.image.isNull())

    @Slot(object, object)
    def _on_decoded(self, number: object, image: object) -> None:
        if number != self._number or not isinstance(image, QImage):
            return  # another picture is shown by now
        first = self.image.isNull()
        self.unreadable = first and image.isNull()
        if not image.isNull() and (self.image.isNull() or image.width() > self.image.width()):
            self.image = image
            if not self.natural.isValid():
                self.natural = image.size()
        self.update()
        self.zoom_changed.emit(self.percent())
        if first:
            self.shown.emit(not image.isNull())

    # --- zoom, pan, turn ---------------------------------------------------------------

    def _turned(self) -> QSize:
        return self.natural.transposed() if self.rotation % 2 else self.natural

    def fit_scale(self) -> float:
        size = self._turned()
        if not size.isValid() or size.isEmpty():
            return 1.0
        return min(1.0, self.width() / size.width(), self.height() / size.height())

    def scale(self) -> float:
        return self.fit_scale() if self.zoom is None else self.zoom

    def percent(self) -> int:
        return round(self.scale() * 100)

    def set_zoom(self, zoom: float | None, around: QPointF | None = None) -> None:
        """Zoom to `zoom` (None: fit), keeping the point under `around` where it is."""
        old = self.scale()
        if zoom is not None:
            zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.zoom = zoom
        if zoom is None:
            self.pan = QPointF()
        elif around is not None and old > 0:
            center = QPointF(self.width() / 2, self.height() / 2)
            self.pan = (self.pan + center - around) * (zoom / old) - (center - around)
        self._need_full()
        self.update()
        self.zoom_changed.emit(self.percent())

    def zoom_by(self, factor: float, around: QPointF | None = None) -> None:
        self.set_zoom(self.scale() * factor, around)

    def turn(self, quarters: int) -> None:
        self.rotation = (self.rotation + quarters) % 4
        self.pan = QPointF()
        self.update()
        self.zoom_changed.emit(self.percent())

    def _need_full(self) -> None:
        """Zoomed in past the decoded copy: decode the whole picture (once)."""
        if (self._full_requested or self.path is None or self._movie is not None or self.image.isNull()
                or self.image.width() >= self.natural.width()):
            return
        if self.scale() * self.natural.width() > self.image.width() * 1.05:
            self._full_requested = True
            self._decode(self.path, None)

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#16181c"))
        if self.image.isNull() or not self.natural.isValid():
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 2)
        scale = self.scale() * self.natural.width() / self.image.width()
        transform = QTransform()
        transform.translate(self.width() / 2 + self.pan.x(), self.height() / 2 + self.pan.y())
        transform.rotate(90 * self.rotation)
        transform.scale(scale, scale)
        painter.setTransform(transform)
        painter.drawImage(QPointF(-self.image.width() / 2, -self.image.height() / 2), self.image)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None:
            self.zoom_changed.emit(self.percent())

    # --- mouse and gestures ------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_by(STEP ** notches, event.position())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.set_zoom(1.0 if self.zoom is None else None, event.position())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self.pan = self.pan + (event.position() - self._drag_from)
            self._drag_from = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        self.unsetCursor()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QNativeGestureEvent) and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1 + event.value(), event.position())
            return True
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if pinch is not None:
                self.zoom_by(pinch.scaleFactor(), QPointF(self.mapFromGlobal(pinch.centerPoint().toPoint())))
                return True
        return super().event(event)
