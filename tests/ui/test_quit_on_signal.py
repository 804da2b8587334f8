"""Issue 16, item 6: SIGTERM quits at once, even when closing the window would only hide it in the tray."""

from __future__ import annotations

import os
import signal

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from lanchat.cli.signals import SignalWaker


def test_sigterm_ends_the_event_loop_whatever_the_window_says(make_runtime, make_window, qapp, monkeypatch):
    ana = make_runtime("ana")
    window = make_window(ana)
    ana.settings.minimise_to_tray = True
    ana.settings.tray_hint_shown = False  # closing would show "lanchat keeps running" and refuse
    monkeypatch.setattr(window.dialogs.tray, "is_visible", lambda: True)
    modal_seen: list[object] = []
    waker = SignalWaker(qapp)
    try:
        loop = QEventLoop()
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(lambda: loop.exit(2))  # the signal was lost
        guard.start(5000)
        watch = QTimer()
        watch.timeout.connect(lambda: modal_seen.append(QApplication.activeModalWidget()) if
                              QApplication.activeModalWidget() else None)
        watch.start(5)
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
        code = loop.exec()
        guard.stop()
        watch.stop()
    finally:
        waker.close()
        monkeypatch.undo()  # so that closing the window at teardown does not stop at the tray note
        ana.settings.minimise_to_tray = False
        # exit() leaves Qt's "quit now" flag set, which would end the next test's event loops at once;
        # an application exec() clears it when it starts and when it ends.
        QTimer.singleShot(0, lambda: qapp.exit(0))
        qapp.exec()
    assert code == 0
    assert not modal_seen
