"""A screenshot from start to end: hide lanchat (if asked), freeze the screens, select, mark up, hand it on."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from lanchat.core.transfers.outgoing_pictures import readable_name
from lanchat.ui.file_actions import FileActions
from lanchat.ui.screenshot.grab import grab_screens
from lanchat.ui.screenshot.markup import MarkupWindow
from lanchat.ui.screenshot.portal import PortalScreenshot
from lanchat.ui.screenshot.selector import RegionSelector

#: Time for the window manager to take lanchat's window off the screen before the grab.
HIDE_MS = 350


class ScreenshotFlow(QObject):
    """One capture. `send` carries the marked-up picture and its name when Send is pressed."""

    send = Signal(QImage, str)
    problem = Signal(str)
    finished = Signal()

    def __init__(self, window: QWidget, actions: FileActions, send_to: str | None, hide_window: bool) -> None:
        super().__init__(window)
        self.window = window
        self.file_actions = actions
        self.send_to = send_to
        self.hide_window = hide_window
        self.selector: RegionSelector | None = None
        self.markup: MarkupWindow | None = None
        self._hidden = False

    def start(self) -> None:
        if self.hide_window and self.window.isVisible():
            self._hidden = True
            self.window.hide()
            QTimer.singleShot(HIDE_MS, self._grab)
        else:
            self._grab()

    @Slot()
    def _grab(self) -> None:
        frozen = grab_screens()
        if frozen is None:
            portal = PortalScreenshot(self)
            portal.taken.connect(self._mark_up)
            portal.failed.connect(self._on_failed)
            portal.request()
            return
        self.selector = RegionSelector(frozen)
        self.selector.selected.connect(self._mark_up)
        self.selector.cancelled.connect(self._end)
        self.selector.start()

    @Slot(str)
    def _on_failed(self, sentence: str) -> None:
        if sentence:
            self.problem.emit(sentence)
        self._end()

    @Slot(QImage)
    def _mark_up(self, capture: QImage) -> None:
        self._restore()
        name = readable_name(self.tr("Screenshot"), datetime.datetime.now())
        self.markup = MarkupWindow(capture, self.send_to, self.window)
        self.markup.send_requested.connect(lambda image: self.send.emit(image, name))
        self.markup.copy_requested.connect(self.file_actions.copy_image)
        self.markup.save_requested.connect(lambda image: self.file_actions.save_image(image, name))
        self.markup.destroyed.connect(self._end)
        self.markup.show()
        self.markup.raise_()
        self.markup.activateWindow()

    def _restore(self) -> None:
        if self._hidden:
            self._hidden = False
            self.window.show()

    @Slot()
    def _end(self) -> None:
        self._restore()
        self.finished.emit()
