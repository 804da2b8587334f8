"""The picture viewer: every picture of a chat, fitted first; zoom, pan, turn, and what can be done with it.

Keys: + and - zoom, 1 is 100 %, 0 fits, ← and → go through the chat's
pictures, R turns right (Shift+R left), Esc closes. Double-click toggles fit
and 100 %; the wheel zooms where the mouse is; dragging pans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar, QVBoxLayout, QWidget

from lanchat.ui.file_actions import FileActions
from lanchat.ui.picture_canvas import STEP, PictureCanvas
from lanchat.ui.untrusted import clean_file_name


@dataclass(frozen=True)
class ViewerItem:
    path: Path
    title: str  # the name to show (as it was sent)


class PictureViewer(QWidget):
    """A window of its own (not modal): the chat stays usable beside it."""

    #: The picture on screen changed (index into the items).
    moved = Signal(int)

    def __init__(self, items: list[ViewerItem], index: int, actions: FileActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("PictureViewer")
        self.items = items
        self.index = index
        self.file_actions = actions
        self.canvas = PictureCanvas(self)
        self.info = QLabel()
        self.info.setObjectName("ViewerInfo")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setContentsMargins(10, 4, 10, 4)  # not against the window's edge
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        tools: list[tuple[str, str, Callable[[], object]] | None] = [
            ("previous", self.tr("◀"), self.previous),
            ("next", self.tr("▶"), self.next),
            ("zoom-out", self.tr("−"), lambda: self.canvas.zoom_by(1 / STEP)),
            ("fit", self.tr("Fit"), lambda: self.canvas.set_zoom(None)),
            ("actual", self.tr("100%"), lambda: self.canvas.set_zoom(1.0)),
            ("zoom-in", self.tr("+"), lambda: self.canvas.zoom_by(STEP)),
            ("turn-left", self.tr("⟲"), lambda: self.canvas.turn(-1)),
            ("turn-right", self.tr("⟳"), lambda: self.canvas.turn(1)),
            None,
            ("save", self.tr("Save as…"), lambda: self.file_actions.save_as(self.path)),
            ("copy", self.tr("Copy"), lambda: self.file_actions.copy(self.path)),
            ("folder", self.tr("Show in folder"), lambda: self.file_actions.show_in_folder(self.path)),
            ("open", self.tr("Open"), lambda: self.file_actions.open(self.path)),
            ("forward", self.tr("Forward…"), lambda: self.file_actions.forward([self.path])),
        ]
        for tool in tools:
            if tool is None:
                self.toolbar.addSeparator()
                continue
            name, label, run = tool
            action = self.toolbar.addAction(label, run)
            action.setObjectName(name)
            self.actions_by_name[name] = action
        self._set_tips()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.info)
        self.canvas.zoom_changed.connect(self._show_info)
        self.canvas.shown.connect(self._on_shown)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            self.resize(int(screen.width() * 0.8), int(screen.height() * 0.8))
        else:
            self.resize(1024, 768)
        self.show_index(index)

    def _set_tips(self) -> None:
        tips = {
            "previous": (self.tr("Previous picture"), "Left"), "next": (self.tr("Next picture"), "Right"),
            "zoom-out": (self.tr("Zoom out"), "-"), "fit": (self.tr("Fit to the window"), "0"),
            "actual": (self.tr("Actual size"), "1"), "zoom-in": (self.tr("Zoom in"), "+"),
            "turn-left": (self.tr("Turn left"), "Shift+R"), "turn-right": (self.tr("Turn right"), "R"),
        }
        self.actions_by_name["open"].setToolTip(self.tr("Open with the program your desktop uses for pictures"))
        for name, (tip, keys) in tips.items():
            self.actions_by_name[name].setToolTip(f"{tip} ({QKeySequence(keys).toString()})")

    @property
    def path(self) -> Path:
        return self.items[self.index].path

    def show_index(self, index: int) -> None:
        self.index = max(0, min(index, len(self.items) - 1))
        item = self.items[self.index]
        self.setWindowTitle(clean_file_name(item.title))
        self.actions_by_name["previous"].setEnabled(self.index > 0)
        self.actions_by_name["next"].setEnabled(self.index < len(self.items) - 1)
        self.canvas.show_picture(item.path)
        self._show_info()
        self.moved.emit(self.index)

    @Slot()
    def previous(self) -> None:
        if self.index > 0:
            self.show_index(self.index - 1)

    @Slot()
    def next(self) -> None:
        if self.index < len(self.items) - 1:
            self.show_index(self.index + 1)

    @Slot(bool)
    def _on_shown(self, _ok: bool) -> None:
        self._show_info()

    @Slot()
    def _show_info(self, _percent: int = 0) -> None:
        if self.canvas.unreadable:
            self.info.setText(self.tr("{0} cannot be shown: it is not a picture lanchat can read.")
                              .format(clean_file_name(self.items[self.index].title)))
            return
        natural = self.canvas.natural
        size = f"{natural.width()} × {natural.height()}" if natural.isValid() else ""
        self.info.setText("  ·  ".join(part for part in (
            f"{self.index + 1} / {len(self.items)}", clean_file_name(self.items[self.index].title), size,
            f"{self.canvas.percent()}%",
        ) if part))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.previous()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.next()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.canvas.zoom_by(STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.canvas.zoom_by(1 / STEP)
        elif key == Qt.Key.Key_1:
            self.canvas.set_zoom(1.0)
        elif key == Qt.Key.Key_0:
            self.canvas.set_zoom(None)
        elif key == Qt.Key.Key_R:
            self.canvas.turn(-1 if shift else 1)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.canvas.wait()
        super().closeEvent(event)
