"""A stand-in for the desktop's notification service (org.freedesktop.Notifications) for tests.

Run with a session bus: it prints `NOTIFY <json>` for every Notify call and
answers with a new id; it stops by itself after 30 s.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, QTimer, Slot
from PySide6.QtDBus import QDBusConnection


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class FakeNotifications(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.last = 0

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(self, app: str, replaces: int, icon: str, summary: str, body: str,  # noqa: N802 (D-Bus name)
               actions: list[str], hints: dict[str, object], timeout: int) -> int:
        self.last = replaces or self.last + 1
        print("NOTIFY " + json.dumps({"app": app, "replaces": replaces, "summary": summary, "body": body,
                                      "actions": actions, "timeout": timeout, "id": self.last}), flush=True)
        return self.last


def main() -> int:
    app = QCoreApplication(sys.argv)
    service = FakeNotifications()
    bus = QDBusConnection.sessionBus()
    if not (bus.registerService("org.freedesktop.Notifications") and bus.registerObject(
            "/org/freedesktop/Notifications", service, QDBusConnection.RegisterOption.ExportAllSlots)):
        print("cannot register", flush=True)
        return 1
    print("READY", flush=True)
    QTimer.singleShot(30_000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
