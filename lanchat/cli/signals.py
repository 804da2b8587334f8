"""SIGINT and SIGTERM end the Qt event loop cleanly, at once, always (headless mode and the window)."""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Slot


class SignalWaker(QObject):
    """Turns SIGINT/SIGTERM into `quit()` of the application's event loop."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self._app = app
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        signal.set_wakeup_fd(self._write.fileno())
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: None)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_signal)

    @Slot()
    def _on_signal(self) -> None:
        try:
            self._read.recv(64)
        except OSError:
            pass
        # exit(), not quit(): QGuiApplication's quit() first asks every window to close, and a window
        # that closes to the tray refuses (the first time with a modal note), so the signal was lost.
        # exit() ends every event loop, a modal dialog's too; the caller then stops cleanly.
        self._app.exit(0)

    def close(self) -> None:
        """Give SIGINT and SIGTERM back to Python's defaults (tests build several wakers)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self._read.close()
        self._write.close()
