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
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage, QDBusObjectPath
from PySide6.QtGui import QImage

log = logging.getLogger("lanchat.ui.screenshot")

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
REQUEST = "org.freedesktop.portal.Request"
#: The Screenshot call only registers the request (the person chooses later): it returns at once.
CALL_TIMEOUT_MS = 5_000


class PortalScreenshot(QObject):
    """One request to the portal; `taken` or `failed` follows (GUI thread)."""

    taken = Signal(QImage)
    #: A sentence saying why there is no picture ("" when the person cancelled).
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, bus: QDBusConnection | None = None) -> None:
        super().__init__(parent)
        self._bus = bus if bus is not None else QDBusConnection.sessionBus()
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
        # Listen before asking: a quick portal may answer before the call returns.
        self._listen(f"{PATH}/request/{sender}/{token}")
        portal = QDBusInterface(SERVICE, PATH, "org.freedesktop.portal.Screenshot", self._bus)
        portal.setTimeout(CALL_TIMEOUT_MS)
        reply = portal.call("Screenshot", "", {"handle_token": token, "interactive": True})
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            self._listen("")
            log.info("the screenshot portal refused: %s", reply.errorMessage())
            self.failed.emit(self.tr("The desktop's screenshot portal refused: {0}").format(reply.errorMessage()))
            return False
        handle = reply.arguments()[0] if reply.arguments() else None
        path = handle.path() if isinstance(handle, QDBusObjectPath) else str(handle or "")
        if path and path != self._request_path:  # a portal older than 0.9 names the request its own way
            self._listen(path)
        return True

    def _listen(self, path: str) -> None:
        """Listen for Response on `path` only ("": on none)."""
        # PySide6 wants the slot as str, whatever its stubs say (bytes raise ValueError); typed, so that
        # QtDBus hands a{sv} over as a dict (in a QDBusMessage's arguments() it stays a QDBusArgument).
        slot = SLOT("_on_response(uint,QVariantMap)")
        if self._request_path:
            self._bus.disconnect(SERVICE, self._request_path, REQUEST, "Response",  # type: ignore[call-overload]
                                 self, slot)
        self._request_path = path
        if path and not self._bus.connect(SERVICE, path, REQUEST, "Response",  # type: ignore[call-overload]
                                          self, slot):
            log.info("cannot listen to the screenshot portal: %s", self._bus.lastError().message())

    @Slot("uint", "QVariantMap")
    def _on_response(self, code: int, results: dict[str, object]) -> None:
        self._listen("")
        if code == 1:
            self.failed.emit("")
            return
        uri = str(results.get("uri", ""))
        image = QImage(QUrl(uri).toLocalFile()) if code == 0 and uri else QImage()
        if image.isNull():
            log.info("the screenshot portal answered %d with %r", code, results)
            self.failed.emit(self.tr("The desktop's screenshot portal gave no picture."))
            return
        self.taken.emit(image)
