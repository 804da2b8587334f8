"""Signals from a worker thread reach a GUI-thread slot, 10,000 of them.

Guards two things: PySide6 6.12.0 aborting CPython 3.11 ("bool_dealloc")
after a few hundred emits, and the pitfall that a lambda slot runs in the
emitting thread instead of the receiver's.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

COUNT = 10_000


class Emitter(QObject):
    value = Signal(int)
    flag = Signal(bool)
    size = Signal("qint64")
    finished = Signal()

    @Slot()
    def run(self) -> None:
        for i in range(COUNT):
            self.value.emit(i)
            self.flag.emit(i % 2 == 0)
            self.size.emit(5 * 2**30 + i)
        self.finished.emit()


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[int] = []
        self.flags = 0
        self.sizes: list[int] = []
        self.threads: set[int] = set()
        self.done = False

    @Slot(int)
    def on_value(self, value: int) -> None:
        self.threads.add(threading.get_ident())
        self.values.append(value)

    @Slot(bool)
    def on_flag(self, flag: bool) -> None:
        self.flags += flag

    @Slot("qint64")
    def on_size(self, size: int) -> None:
        self.sizes.append(size)

    @Slot()
    def on_finished(self) -> None:
        self.done = True


def test_10000_signals_from_worker_thread_reach_gui_thread(qtbot):
    thread = QThread()
    emitter = Emitter()
    emitter.moveToThread(thread)
    receiver = Receiver()
    emitter.value.connect(receiver.on_value)
    emitter.flag.connect(receiver.on_flag)
    emitter.size.connect(receiver.on_size)
    emitter.finished.connect(receiver.on_finished)
    thread.started.connect(emitter.run)
    thread.start()
    try:
        qtbot.waitUntil(lambda: receiver.done, timeout=30_000)
    finally:
        thread.quit()
        thread.wait()
    assert receiver.values == list(range(COUNT))
    assert receiver.flags == COUNT // 2
    assert receiver.sizes[-1] == 5 * 2**30 + COUNT - 1  # no 32-bit wrap
    assert receiver.threads == {threading.get_ident()}
