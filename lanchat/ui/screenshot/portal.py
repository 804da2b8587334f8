"""Wayland: a program may not read the screen, so the desktop's screenshot portal takes the picture.

org.freedesktop.portal.Screenshot.Screenshot(parent, {handle_token, interactive})
answers with a Request object whose Response(uint code, dict results) signal
carries results["uri"], a file:// URL of the picture (code 0), or says the
person cancelled (1) or it failed (2).
"""

from __future__ import annotations

import logging
import secrets

from PySide6.QtCore import SLOT, QObject, QUrl, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage
from PySide6.QtGui import QImage

log = logging.getLogger("lanchat.ui.screenshot")

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"


class PortalScreenshot(QObject):
    """One request to the portal; `taken` or `failed` follows (GUI thread)."""

    taken = Signal(QImage)
    #: A sentence saying why there is no picture ("" when the person cancelled).
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = QDBusConnection.sessionBus()
        self._request_path = ""

    def available(self) -> bool:
        if not self._bus.isConnected():
            return False
        portal = QDBusInterface(SERVICE, PATH, "org.freedesktop.portal.Screenshot", self._bus)
        return portal.isValid()

    def request(self) -> bool:
        """Ask the portal; False (and `failed`) when there is none."""
        if not self.available():
            self.failed.emit(self.tr("This desktop lets no program take screenshots, and it has no screenshot "
                                     "portal (xdg-desktop-portal) either."))
            return False
        token = "lanchat" + secrets.token_hex(8)
        sender = self._bus.baseService().lstrip(":").replace(".", "_")
        self._request_path = f"{PATH}/request/{sender}/{token}"
        self._bus.connect(SERVICE, self._request_path, "org.freedesktop.portal.Request", "Response",
                          self, SLOT("_on_response(QDBusMessage)").encode())
        portal = QDBusInterface(SERVICE, PATH, "org.freedesktop.portal.Screenshot", self._bus)
        reply = portal.call("Screenshot", "", {"handle_token": token, "interactive": True})
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            log.info("the screenshot portal refused: %s", reply.errorMessage())
            self.failed.emit(self.tr("The desktop's screenshot portal refused: {0}").format(reply.errorMessage()))
            return False
        return True

    @Slot(QDBusMessage)
    def _on_response(self, message: QDBusMessage) -> None:
        arguments = message.arguments()
        code = int(arguments[0]) if arguments else 2
        results = arguments[1] if len(arguments) > 1 and isinstance(arguments[1], dict) else {}
        if code == 1:
            self.failed.emit("")
            return
        uri = str(results.get("uri", ""))
        image = QImage(QUrl(uri).toLocalFile()) if code == 0 and uri else QImage()
        if image.isNull():
            self.failed.emit(self.tr("The desktop's screenshot portal gave no picture."))
            return
        self.taken.emit(image)
