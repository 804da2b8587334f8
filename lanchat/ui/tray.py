"""The tray icon: unread count, a menu (show, status, quit) and new-message balloons."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from lanchat.resources import resource_path
from lanchat.ui import theme
from lanchat.ui.avatar import status_icon

log = logging.getLogger("lanchat.ui.tray")

ICON_SIZE = 64


def window_icon() -> QIcon:
    """The application icon of resources/icons, else the painted one."""
    path = resource_path("icons", "lanchat.svg")
    icon = QIcon(str(path)) if path.is_file() else QIcon()
    return app_icon() if icon.isNull() else icon


def app_icon(unread: int = 0, status: str = "online") -> QIcon:
    """The tray icon (resources/icons/lanchat-tray.svg, or a painted bubble) with an unread badge."""
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    tray_svg = resource_path("icons", "lanchat-tray.svg")
    base = QIcon(str(tray_svg)).pixmap(ICON_SIZE, ICON_SIZE) if tray_svg.is_file() else QPixmap()
    if not base.isNull():
        painter.drawPixmap(0, 0, base)
    else:
        _paint_bubble(painter)
    if status != "online":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.STATUS_COLORS.get(status, theme.STATUS_COLORS["offline"]))
        painter.drawEllipse(QRectF(44, 44, 18, 18))
    if unread:
        text = str(unread) if unread < 100 else "99+"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.BADGE)
        painter.drawEllipse(QRectF(30, 0, 34, 34))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(20 if len(text) < 3 else 14)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(30, 0, 34, 34), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def _paint_bubble(painter: QPainter) -> None:
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(4, 6, 54, 42), 14, 14)
    tail = QPainterPath()
    tail.moveTo(16, 44)
    tail.lineTo(12, 58)
    tail.lineTo(30, 46)
    painter.fillPath(bubble.united(tail), theme.ACCENT)
    for x in (18, 31, 44):
        painter.setBrush(QColor("#ffffff"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(x - 4, 23, 8, 8))


class Tray(QObject):
    """Owns the QSystemTrayIcon when the desktop has a tray."""

    show_requested = Signal()
    status_requested = Signal(str)
    quit_requested = Signal()
    message_clicked = Signal()  # the balloon was clicked

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("lanchat")
        self.menu = QMenu()
        self.show_action = self.menu.addAction("", self.show_requested.emit)
        self.status_menu = status_menu = self.menu.addMenu("")
        self._status_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for status in ("online", "away", "busy"):
            action = status_menu.addAction(QIcon(status_icon(status)), "")
            action.setCheckable(True)
            action.setData(status)
            action.triggered.connect(self._on_status)
            group.addAction(action)
            self._status_actions[status] = action
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("", self.quit_requested.emit)
        self.retranslate()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self._on_message_clicked)
        self._unread = 0
        self._status = "online"

    def retranslate(self) -> None:
        self.show_action.setText(self.tr("Show lanchat"))
        self.status_menu.setTitle(self.tr("Status"))
        self.quit_action.setText(self.tr("Quit"))
        for status, label in (("online", self.tr("Online")), ("away", self.tr("Away")), ("busy", self.tr("Busy"))):
            self._status_actions[status].setText(label)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def is_visible(self) -> bool:
        return self.icon.isVisible()

    def set_state(self, unread: int, status: str) -> None:
        if (unread, status) == (self._unread, self._status):
            return
        self._unread, self._status = unread, status
        self.icon.setIcon(app_icon(unread, status))
        self.icon.setToolTip(self.tr("lanchat — %n unread message(s)", "", unread) if unread else "lanchat")
        if status in self._status_actions:
            self._status_actions[status].setChecked(True)

    def show_message(self, title: str, text: str, ms: int) -> bool:
        """The tray's balloon (the fallback when the desktop has no notification service)."""
        if not (self.icon.isVisible() and QSystemTrayIcon.supportsMessages()):
            return False
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, ms)
        return True

    def hide_message(self) -> None:
        """Take the balloon down: Qt's own balloon stays while the pointer rests on it."""
        if self.icon.isVisible():
            self.icon.showMessage("", "", QSystemTrayIcon.MessageIcon.NoIcon, 0)  # empty: only hides

    @Slot()
    def _on_status(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.status_requested.emit(str(action.data()))

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    @Slot()
    def _on_message_clicked(self) -> None:
        self.message_clicked.emit()
