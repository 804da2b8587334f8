"""The IP Messenger TCP listener (port 2425): accepts connections, serves each in a thread of its own."""

from __future__ import annotations

import collections
import errno
import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transport import FileSent, SendProgress
from lanchat.transports.ipmsg.net.serve import PushedPicture, ServeEnded, ServeStarted, ServeWorker
from lanchat.transports.ipmsg.protocol.packet import PORT
from lanchat.transports.ipmsg.shares import Shares
from lanchat.transports.workers import Worker, WorkerThread

log = logging.getLogger("lanchat.ipmsg.listener")

MAX_PER_IP = 16
MAX_TOTAL = 64
ACCEPT_POLL_SECONDS = 0.5


class TcpListener(Worker):
    """Accepts fetches and picture pushes; every connection's signals come out here."""

    started = Signal(ServeStarted)
    progress = Signal(SendProgress)
    member_sent = Signal(FileSent)
    ended = Signal(ServeEnded)
    picture_pushed = Signal(PushedPicture)

    def __init__(
        self,
        shares: Shares,
        allow: Callable[[str], bool],
        stash: Path,
        max_picture: int,
        clock: Clock = SYSTEM_CLOCK,
        host: str = "0.0.0.0",
        port: int = PORT,
    ) -> None:
        super().__init__()
        self._shares = shares
        self._allow = allow
        self._stash = stash
        self.max_picture = max_picture
        self._clock = clock
        self._host = host
        self._port = port
        self._sock: socket.socket | None = None
        self._stopping = False
        self._lock = threading.Lock()
        self._per_ip: collections.Counter[str] = collections.Counter()
        self._threads: dict[ServeWorker, WorkerThread[ServeWorker]] = {}

    def bind(self) -> None:
        """Listen on TCP 2425. Raises OSError when another program holds it."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart finds it free at once
        try:
            sock.bind((self._host, self._port))
            sock.listen(64)
        except OSError:
            sock.close()
            raise
        sock.settimeout(ACCEPT_POLL_SECONDS)
        self._sock = sock

    def stop(self) -> None:
        self._stopping = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes accept()
            except OSError:
                pass

    def stop_serving(self, tid: str) -> None:
        """Cut the connections fetching a cancelled offer (any thread)."""
        with self._lock:
            workers = list(self._threads)
        for worker in workers:
            if worker.serving == tid:
                worker.stop()

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None, "bind() first"
        try:
            while not self._stopping:
                try:
                    conn, address = sock.accept()
                except TimeoutError:
                    self._reap()
                    continue
                except OSError as e:
                    if self._stopping:
                        break
                    if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                        log.warning("cannot accept more connections: %s", e)
                        continue
                    raise
                self._admit(conn, str(address[0]))
                self._reap()
        finally:
            sock.close()
            self._stop_connections()

    def _admit(self, conn: socket.socket, ip: str) -> None:
        with self._lock:
            full = self._per_ip[ip] >= MAX_PER_IP or sum(self._per_ip.values()) >= MAX_TOTAL
            refused = full or not self._allow(ip)
            if not refused:
                self._per_ip[ip] += 1
        if refused:
            conn.close()
            return
        worker = ServeWorker(conn, ip, self._shares, self._stash, self.max_picture, self._clock)
        direct = Qt.ConnectionType.DirectConnection
        worker.started.connect(self.started, direct)
        worker.progress.connect(self.progress, direct)
        worker.member_sent.connect(self.member_sent, direct)
        worker.ended.connect(self.ended, direct)
        worker.picture_pushed.connect(self.picture_pushed, direct)
        worker.closed.connect(self._on_closed, direct)
        thread = WorkerThread(worker, f"lanchat-ipmsg-{ip}")
        with self._lock:
            self._threads[worker] = thread
        thread.start()

    def _on_closed(self, worker: ServeWorker) -> None:
        """Runs in the connection's thread as its last act."""
        with self._lock:
            self._per_ip[worker.peer_ip] -= 1
            if self._per_ip[worker.peer_ip] <= 0:
                del self._per_ip[worker.peer_ip]

    def _reap(self) -> None:
        with self._lock:
            for worker in [w for w, t in self._threads.items() if t.thread.isFinished()]:
                del self._threads[worker]

    def _stop_connections(self) -> None:
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.worker.stop()
        for thread in threads:
            thread.thread.quit()
            thread.thread.wait(1000)
