"""WorkerThread runs a worker's blocking run() on its own thread; WakeUp wakes it at once."""

from __future__ import annotations

import socket
import threading
import time

from lanchat.transports.workers import WakeUp, Worker, WorkerThread


class Sleeper(Worker):
    """Waits on a socket that never gets data until stopped."""

    def __init__(self) -> None:
        super().__init__()
        self.ran_on: int | None = None
        self.woken = 0
        self.wakeup = WakeUp()
        self.stopping = False
        self.quiet, self.other = socket.socketpair()

    def run(self) -> None:
        self.ran_on = threading.get_ident()
        while not self.stopping:
            self.wakeup.wait(self.quiet, 30.0)
            self.woken += 1

    def stop(self) -> None:
        self.stopping = True
        self.wakeup.wake()


def test_run_happens_on_the_worker_thread_and_stop_wakes_it(qtbot):
    worker = Sleeper()
    thread = WorkerThread(worker, "test-sleeper")
    thread.start()
    qtbot.waitUntil(lambda: worker.ran_on is not None, timeout=5000)
    assert worker.ran_on != threading.get_ident()
    started = time.monotonic()
    assert thread.stop(timeout_ms=2000)
    assert time.monotonic() - started < 1.0
    assert not thread.is_running()


def test_many_wake_ups_never_block_the_waker():
    wakeup = WakeUp()
    for _ in range(100_000):  # far more than the pipe holds
        wakeup.wake()
    quiet, _other = socket.socketpair()
    assert wakeup.wait(quiet, 0.0) is False  # woken, no data
    assert wakeup.wait(quiet, 0.0) is False
