"""A stand-in for the desktop's screenshot portal (org.freedesktop.portal.Screenshot) for tests.

Run with a session bus: `fake_screenshot_portal.py CODE [PNG] [--early | --own-path]`. It owns
org.freedesktop.portal.Desktop, answers Screenshot(parent_window, options) with the
Request path xdg-desktop-portal uses (/org/freedesktop/portal/desktop/request/
SENDER/TOKEN, SENDER the caller's unique name without ':' and with '.' as '_'),
and then emits Response(uint CODE, a{sv}) on that path, with results["uri"] the
file:// URL of PNG when CODE is 0. With --early the Response goes out before the
method's reply, as a fast portal may do; with --own-path the request gets a path of
the portal's own choosing, as portals before 0.9 did. It prints `READY` once on the bus and
`SCREENSHOT <json>` for every call; it stops by itself after 30 s.
"""

from __future__ import annotations

import argparse
import json
import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath

PATH = "/org/freedesktop/portal/desktop"
CHOOSING_MS = 300


@ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Request"})
class FakeRequest(QObject):
    Response = Signal("uint", "QVariantMap")  # noqa: N815 (D-Bus name)

    @Slot()
    def Close(self) -> None:  # noqa: N802 (D-Bus name)
        print("CLOSE", flush=True)


@ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Screenshot"})
class FakeScreenshotPortal(QObject):
    def __init__(self, bus: QDBusConnection, code: int, png: str, early: bool, own_path: bool) -> None:
        super().__init__()
        self.bus = bus
        self.code = code
        self.png = png
        self.early = early
        self.own_path = own_path
        self.requests: list[FakeRequest] = []

    # A last QDBusMessage parameter gets the call itself (QDBusContext cannot be mixed into a Python QObject).
    @Slot(str, "QVariantMap", QDBusMessage, result=QDBusObjectPath)
    def Screenshot(self, parent_window: str, options: dict[str, object],  # noqa: N802 (D-Bus name)
                   call: QDBusMessage) -> QDBusObjectPath:
        sender = call.service()  # the caller's unique name, ":1.42"
        token = str(options.get("handle_token", ""))
        path = f"{PATH}/request/{sender.lstrip(':').replace('.', '_')}/{token}"
        if self.own_path:
            path = f"{PATH}/request/old/{len(self.requests) + 1}"
        print("SCREENSHOT " + json.dumps({"parent_window": parent_window, "options": options, "sender": sender,
                                          "path": path}), flush=True)
        request = FakeRequest(self)
        if not self.bus.registerObject(path, request, QDBusConnection.RegisterOption.ExportAllSignals
                                       | QDBusConnection.RegisterOption.ExportAllSlots):
            print("cannot register " + path, flush=True)
        self.requests.append(request)
        results = {"uri": QUrl.fromLocalFile(self.png).toString()} if self.code == 0 else {}
        if self.early:
            request.Response.emit(self.code, results)
        else:  # after the reply has gone out, as the real portal answers once the person has chosen; on a
            # path of its own, the caller can only listen once it has the reply: the person takes a moment.
            QTimer.singleShot(CHOOSING_MS if self.own_path else 0, lambda: request.Response.emit(self.code, results))
        return QDBusObjectPath(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("code", type=int)
    parser.add_argument("png", nargs="?", default="")
    parser.add_argument("--early", action="store_true")
    parser.add_argument("--own-path", action="store_true")
    args = parser.parse_args()
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.sessionBus()
    portal = FakeScreenshotPortal(bus, args.code, args.png, args.early, args.own_path)
    if not (bus.registerObject(PATH, portal, QDBusConnection.RegisterOption.ExportAllSlots)
            and bus.registerService("org.freedesktop.portal.Desktop")):
        print("cannot register", flush=True)
        return 1
    print("READY", flush=True)
    QTimer.singleShot(30_000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
