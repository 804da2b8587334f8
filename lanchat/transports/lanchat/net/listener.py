"""The TLS listener: accepts connections and serves each in its own worker (§3, §5)."""

from __future__ import annotations

import collections
import errno
import logging
import socket
import ssl
import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.download_folder import Refusal, TransferRefused
from lanchat.core.transfers.file_sink import FileSink
from lanchat.transports.lanchat.net.connection import Closure, ConnectionWorker, LocalPeer, Problem, RemotePeer
from lanchat.transports.lanchat.net.transfer import ReceivingWorker, SinkOpener
from lanchat.transports.lanchat.protocol.codec import Role
from lanchat.transports.workers import Worker, WorkerThread

log = logging.getLogger("lanchat.net.listener")

DEFAULT_PORT = 48484
MAX_PER_IP = 16
MAX_TOTAL = 256
ACCEPT_POLL_SECONDS = 0.5


class ListenerWorker(Worker):
    """Accepts TLS connections; every server-side connection's signals come out here."""

    established = Signal(object, RemotePeer)
    frame_received = Signal(object, object)
    problem = Signal(object, Problem)
    closed = Signal(object, Closure)

    def __init__(
        self,
        local: Callable[[], LocalPeer],
        context: ssl.SSLContext,
        *,
        allow: Callable[[str], bool] = lambda ip: True,
        open_sink: SinkOpener | None = None,
        clock: Clock = SYSTEM_CLOCK,
        host: str = "0.0.0.0",
    ) -> None:
        super().__init__()
        self._local = local
        self._context = context
        self._allow = allow
        self._open_sink = open_sink or _no_transfers
        self._clock = clock
        self._host = host
        self._sock: socket.socket | None = None
        self._stopping = False
        self._lock = threading.Lock()
        self._per_ip: collections.Counter[str] = collections.Counter()
        self._threads: dict[ConnectionWorker, WorkerThread[ConnectionWorker]] = {}

    def bind(self, port: int = DEFAULT_PORT) -> int:
        """Listen on `port`, or on any free port if it is taken; return the port.

        Raises:
            OSError: no port could be had at all.
        """
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, port))
        except OSError as e:
            if e.errno != errno.EADDRINUSE or port == 0:
                sock.close()
                raise
            log.info("TCP port %d is taken; using a free port", port)
            sock.bind((self._host, 0))
        sock.listen(128)
        sock.settimeout(ACCEPT_POLL_SECONDS)
        self._sock = sock
        return int(sock.getsockname()[1])

    @property
    def connection_count(self) -> int:
        with self._lock:
            return sum(self._per_ip.values())

    def stop(self) -> None:
        self._stopping = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes accept()
            except OSError:
                pass

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None, "bind() first"
        try:
            while not self._stopping:
                try:
                    conn, _address = sock.accept()
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
                self._admit(conn)
                self._reap()
        finally:
            sock.close()
            self._stop_connections()

    def _admit(self, conn: socket.socket) -> None:
        try:
            ip = conn.getpeername()[0]
        except OSError:
            conn.close()
            return
        with self._lock:
            refused = (
                not self._allow(ip)
                or self._per_ip[ip] >= MAX_PER_IP
                or sum(self._per_ip.values()) >= MAX_TOTAL
            )
            if not refused:
                self._per_ip[ip] += 1
        if refused:
            log.debug("refusing a connection from %s", ip)
            conn.close()
            return
        worker = ReceivingWorker(
            self._local(), role=Role.SERVER, sock=conn, server_context=self._context,
            clock=self._clock, open_sink=self._open_sink,
        )
        direct = Qt.ConnectionType.DirectConnection
        worker.established.connect(self.established, direct)
        worker.frame_received.connect(self.frame_received, direct)
        worker.problem.connect(self.problem, direct)
        worker.closed.connect(self._on_closed, direct)
        thread = WorkerThread(worker, f"lanchat-conn-{ip}")
        with self._lock:
            self._threads[worker] = thread
        thread.start()

    def _on_closed(self, worker: ConnectionWorker, closure: Closure) -> None:
        """Runs in the connection's thread as its last act."""
        with self._lock:
            ip = worker.address[0]
            self._per_ip[ip] -= 1
            if self._per_ip[ip] <= 0:
                del self._per_ip[ip]
        self.closed.emit(worker, closure)

    def _reap(self) -> None:
        """Forget the threads of connections that have ended."""
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


def _no_transfers(sender: str, stop: Callable[[], None]) -> FileSink:
    raise TransferRefused(Refusal.BUSY, "this peer takes no transfers")
