"""Run a worker's blocking `run()` slot in a QThread of its own, and join it."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QThread


class Worker(Protocol):
    """A QObject with a blocking `run()` that ends soon after `stop()`."""

    def run(self) -> None: ...

    def stop(self) -> None: ...


class WorkerThread:
    """A worker moved to its own QThread; `run()` starts when the thread does."""

    def __init__(self, worker: QObject, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)  # type: ignore[attr-defined]

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 1000) -> bool:
        """Ask the worker to stop and wait for its thread; False if it did not end."""
        self.worker.stop()  # type: ignore[attr-defined]
        self.thread.quit()
        return self.thread.wait(timeout_ms)

    def is_running(self) -> bool:
        return self.thread.isRunning()
