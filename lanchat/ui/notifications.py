"""Notices of new messages: the desktop's notification service over D-Bus, else the tray's balloon.

Every notice expires: the D-Bus one is asked for `NOTICE_MS` and replaces
our previous one (three offline messages arriving at once make one notice,
not three), and the tray's fallback balloon, which Qt keeps up while the
pointer rests on it, is taken down by our own timer.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, SLOT, QMetaObject, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface

log = logging.getLogger("lanchat.ui.notifications")

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
#: How long a notice stays.
NOTICE_MS = 8000
#: Notices closer together than this are one notice ("3 new messages").
MERGE_MS = 3000
DBUS_TIMEOUT_MS = 2000


class Balloon(Protocol):
    """The tray's part: a balloon that can be shown and taken down."""

    def show_message(self, title: str, text: str, ms: int) -> bool: ...

    def hide_message(self) -> None: ...


class Notifier(QObject):
    """Shows notices; `clicked(chat)` when the person clicks one."""

    clicked = Signal(str)

    def __init__(self, balloon: Balloon, bus: QDBusConnection | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._balloon = balloon
        self._bus = bus if bus is not None else QDBusConnection.sessionBus()
        self._desktop: QDBusInterface | None = None
        self._last_id = 0
        self._chat_of: dict[int, str] = {}
        self._balloon_chat = ""
        self._recent: list[str] = []  # chats of the notices merged into the one showing
        self._merge = QTimer(self)
        self._merge.setSingleShot(True)
        self._merge.setInterval(MERGE_MS)
        self._merge.timeout.connect(self._recent.clear)
        self._expire = QTimer(self)
        self._expire.setSingleShot(True)
        self._expire.setInterval(NOTICE_MS)
        self._expire.timeout.connect(self._balloon_expired)
        self._connect_desktop()

    def _connect_desktop(self) -> None:
        if not self._bus.isConnected():
            return
        registered = self._bus.interface().isServiceRegistered(SERVICE).value()
        activatable = SERVICE in (self._bus.interface().activatableServiceNames().value() or [])
        if not (registered or activatable):
            return
        desktop = QDBusInterface(SERVICE, PATH, INTERFACE, self._bus, self)
        desktop.setTimeout(DBUS_TIMEOUT_MS)
        if not desktop.isValid():
            log.info("no desktop notifications: %s", desktop.lastError().message())
            return
        self._desktop = desktop
        self._bus.connect(SERVICE, PATH, INTERFACE, "ActionInvoked", self,  # type: ignore[call-overload]
                          SLOT("_on_action(uint,QString)"))

    @property
    def uses_desktop(self) -> bool:
        return self._desktop is not None

    def notify(self, title: str, text: str, chat: str) -> None:
        """Show a notice (the newest of a burst replaces the ones before it)."""
        self._recent.append(chat)
        self._merge.start()
        if len(self._recent) > 1:
            title = self.tr("%n new messages", "", len(self._recent))
            text = self.tr("The newest: {0}").format(text)
        text = text[:200]
        if self._desktop is not None and self._notify_desktop(title, text, chat):
            return
        if self._balloon.show_message(title, text, NOTICE_MS):
            self._expire.start()
            self._balloon_chat = chat

    def _notify_desktop(self, title: str, text: str, chat: str) -> bool:
        desktop = self._desktop
        if desktop is None:
            return False
        # QDBusInterface's introspected method types the replaces_id as uint32, which a plain
        # Python int passed to call() is not (the service would refuse an int32).
        returned = QMetaObject.invokeMethod(
            desktop, "Notify", Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("uint"),
            Q_ARG(str, "lanchat"), Q_ARG("uint", self._last_id), Q_ARG(str, "lanchat"), Q_ARG(str, title),
            Q_ARG(str, text), Q_ARG("QStringList", ["default", self.tr("Open")]), Q_ARG("QVariantMap", {}),
            Q_ARG(int, NOTICE_MS),
        )
        if not isinstance(returned, int) or returned <= 0:
            error = desktop.lastError().message()
            log.info("the desktop did not show a notice (%s); using the tray", error)
            self._desktop = None
            return False
        self._chat_of.pop(self._last_id, None)
        self._last_id = returned
        self._chat_of[returned] = chat
        return True

    @Slot("uint", str)
    def _on_action(self, notice_id: int, action: str) -> None:
        chat = self._chat_of.get(notice_id)
        if chat is not None:
            self.clicked.emit(chat)

    @Slot()
    def _balloon_expired(self) -> None:
        self._balloon.hide_message()

    def balloon_clicked(self) -> None:
        """The tray says its balloon was clicked."""
        self._expire.stop()
        self.clicked.emit(self._balloon_chat)
