"""Crash safety: every message reported saved (after its commit) survives a SIGKILL mid-burst."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lanchat.core.history import HistoryStore

BURST_WRITER = r"""
import sys, uuid
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from lanchat.core.history import HistoryStore, MessageRecord

PEER = "b" * 64


class Burst(QObject):
    def __init__(self, store):
        super().__init__()
        self.store = store
        self.sent = 0
        self.saved_count = 0

    @Slot()
    def feed(self):
        if self.sent - self.saved_count > 1000:
            return  # keep a steady burst without outrunning the writer
        for _ in range(50):
            self.sent += 1
            mid = uuid.uuid4().hex
            record = MessageRecord(mid, PEER, PEER, "in", self.sent, f"burst {self.sent}", "")
            self.store.save_incoming(record)
        if self.sent >= 200_000:  # the parent kills us long before this
            QCoreApplication.quit()

    @Slot(object)
    def saved(self, event):
        self.saved_count += 1
        if event.new:
            sys.stdout.write(event.mid + "\n")
            sys.stdout.flush()


app = QCoreApplication([])
store = HistoryStore(Path(sys.argv[1]))
store.open()
burst = Burst(store)
store.incoming_saved.connect(burst.saved)
timer = QTimer()
timer.timeout.connect(burst.feed)
timer.start(0)
app.exec()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_messages_reported_saved_survive_sigkill(db_path: Path, clock, qtbot):
    db_path.parent.mkdir(parents=True)
    proc = subprocess.Popen(
        [sys.executable, "-u", "-c", BURST_WRITER, str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed: list[str] = []
    try:
        assert proc.stdout is not None
        while len(printed) < 3000:
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=30)
    assert len(printed) == 3000, err
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [row[0] for row in conn.execute("SELECT mid FROM messages")]
    finally:
        conn.close()
    assert len(stored) == len(set(stored))  # none twice
    assert set(printed) <= set(stored)  # every reported one is there
    assert len(stored) >= len(printed)

    store = HistoryStore(db_path, clock)
    store.open()  # the crashed file opens (WAL recovery) and is consistent
    try:
        assert len(store.search("burst 1")) > 0
    finally:
        store.close()
