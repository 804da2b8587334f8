"""The window says when the history cannot be written: one dialog, not one per failed write."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox


@pytest.mark.allow_warnings
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_failing_history_shows_one_dialog(make_runtime, make_window, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: ana.contacts.get(ben.identity.id) is not None, timeout=10_000)
    # The database refuses every new message, as a failing disk would (a real SQLite error).
    with sqlite3.connect(ana.store.path) as db:
        db.execute("CREATE TRIGGER broken BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")

    def boxes() -> list[QMessageBox]:
        return [b for b in window.findChildren(QMessageBox) if b.isVisible()]

    ana.messaging.send_text(ben.identity.id, "first")
    qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=10_000)
    assert "history" in boxes()[0].text()
    ana.messaging.send_text(ben.identity.id, "second")
    assert ana.store.flush()  # the second failure is reported (queued to this thread) before this returns
    QCoreApplication.processEvents()
    assert len(boxes()) == 1
