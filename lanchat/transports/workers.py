"""Socket workers of every transport: a blocking `run()` in a QThread of its own, woken from other threads."""

from __future__ import annotations

import select
import socket
import ssl
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThread, Slot


class Worker(QObject):
    """One socket role. `run()` blocks in the worker's thread; `stop()` (any thread) makes it return soon."""

    def run(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


W = TypeVar("W", bound=Worker, covariant=True)


class WakeUp:
    """A socketpair a worker `select()`s on, so another thread can wake it at once."""

    def __init__(self) -> None:
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)  # a full pipe means a wake-up is pending already

    def fileno(self) -> int:
        """For `select()`."""
        return self._read.fileno()

    def wake(self) -> None:
        """Any thread: make the worker's `select()` return."""
        try:
            self._write.send(b"x")
        except OSError:
            pass  # full (a wake-up is pending) or closed (the worker has ended)

    def drain(self) -> None:
        """The worker's thread: take the pending wake-ups."""
        try:
            while self._read.recv(4096):
                pass
        except OSError:
            pass

    def wait(self, sock: socket.socket, timeout: float) -> bool:
        """Block until `sock` is readable, a wake-up comes, or `timeout` seconds pass.

        Takes the pending wake-ups. Returns True when `sock` has data (TLS
        data already decrypted counts).
        """
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        readable = select.select([sock.fileno(), self._read.fileno()], [], [], max(timeout, 0.0))[0]
        if self._read.fileno() in readable:
            self.drain()
        return sock.fileno() in readable

    def close(self) -> None:
        self._read.close()
        self._write.close()


class _Runner(QObject):
    """Lives in the worker's thread: runs the worker, then ends the thread."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker

    @Slot()
    def run(self) -> None:
        try:
            self._worker.run()
        finally:
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


class WorkerThread(Generic[W]):
    """A worker moved to its own QThread; its `run()` starts with the thread and ends it."""

    def __init__(self, worker: W, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        # A slot of an object living in the new thread runs there (a plain
        # function would run on the thread that owns the QThread object).
        self._runner = _Runner(worker)
        self._runner.moveToThread(self.thread)
        self.thread.started.connect(self._runner.run)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 1000) -> bool:
        """Ask the worker to stop and wait for its thread; False if it did not end."""
        self.worker.stop()
        return self.thread.wait(timeout_ms)

    def is_running(self) -> bool:
        return self.thread.isRunning()
