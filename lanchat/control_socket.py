"""The profile's local control socket (`<profile>/lanchat.sock`): JSON command lines in, event lines out.

A second `lanchat` (`lanchat send`, or a window started twice) hands its
work to the one already running with that profile through this socket.
One IO thread of its own serves every client with non-blocking sockets: a
command line becomes `command_received` on the main thread, and what the
main thread writes goes into that client's bounded queue, so a client that
stops reading never blocks anyone. A client more than `MAX_QUEUED_BYTES`
behind is dropped.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import socket
import threading
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("lanchat.control")

SOCKET_NAME = "lanchat.sock"
MAX_QUEUED_BYTES = 4 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
MAX_CLIENTS = 64


class _Client:
    def __init__(self, number: int, conn: socket.socket) -> None:
        self.number = number
        self.conn = conn
        self.inbox = b""
        self.outbox: deque[bytes] = deque()
        self.queued = 0
        self.closing = False  # drop once the outbox is written (or at once when it fell behind)


class ControlServer(QObject):
    """Serves the control socket in its own thread; `send`/`broadcast` may be called from any thread."""

    #: (client number, the parsed JSON command, or None for a line that is not JSON)
    command_received = Signal(int, object)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._sock: socket.socket | None = None
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._lock = threading.Lock()
        self._clients: dict[int, _Client] = {}
        self._next_number = 1
        self._stopping = False
        self._thread: threading.Thread | None = None

    def bind(self) -> None:
        """Take over the socket path. Raises OSError if another lanchat answers on it."""
        if is_running(self.path):
            raise OSError(f"another lanchat is running with this profile ({self.path.parent})")
        self.path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)  # owner-only from the start, not only after chmod
        try:
            sock.bind(str(self.path))
        finally:
            os.umask(old_umask)
        self.path.chmod(0o600)
        sock.listen(8)
        sock.setblocking(False)
        self._sock = sock

    def start(self) -> None:
        assert self._sock is not None, "bind() first"
        self._thread = threading.Thread(target=self._run, name="lanchat-control", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stopping = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # --- any thread -------------------------------------------------------------

    def send(self, client: int, line: bytes) -> None:
        """Queue `line` for one client (dropped silently when that client is gone)."""
        with self._lock:
            target = self._clients.get(client)
            if target is not None:
                self._queue(target, line)
        self._wake()

    def broadcast(self, line: bytes) -> None:
        """Queue an event line for every connected client."""
        with self._lock:
            for target in self._clients.values():
                self._queue(target, line)
        self._wake()

    def _queue(self, client: _Client, line: bytes) -> None:
        if client.closing:
            return
        if client.queued + len(line) > MAX_QUEUED_BYTES:
            log.info("dropping control client %d: it stopped reading", client.number)
            client.outbox.clear()
            client.closing = True
            return
        client.outbox.append(line)
        client.queued += len(line)

    def _wake(self) -> None:
        try:
            self._wake_write.send(b"x")
        except OSError:
            pass  # full: a wake-up is pending already; closed: the thread has ended

    # --- the IO thread ------------------------------------------------------------

    def _run(self) -> None:
        sock = self._sock
        assert sock is not None
        self._selector.register(sock, selectors.EVENT_READ, None)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        try:
            while not self._stopping:
                self._update_interest()
                for key, events in self._selector.select(timeout=5.0):
                    if key.fileobj is sock:
                        self._accept(sock)
                    elif key.fileobj is self._wake_read:
                        self._drain_wakeups()
                    else:
                        client = key.data
                        assert isinstance(client, _Client)
                        if events & selectors.EVENT_READ:
                            self._read(client)
                        if events & selectors.EVENT_WRITE:
                            self._write(client)
        finally:
            with self._lock:
                clients = list(self._clients.values())
                self._clients.clear()
            for client in clients:
                self._close(client)
            self._selector.close()
            sock.close()
            self._wake_read.close()
            self._wake_write.close()
            self.path.unlink(missing_ok=True)

    def _update_interest(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
        for client in clients:
            with self._lock:
                if client.closing and not client.outbox:
                    del self._clients[client.number]
                    closing = True
                else:
                    closing = False
                wants = selectors.EVENT_READ | (selectors.EVENT_WRITE if client.outbox else 0)
            if closing:
                self._close(client)
            else:
                self._selector.modify(client.conn, wants, client)

    def _accept(self, sock: socket.socket) -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with self._lock:
            if len(self._clients) >= MAX_CLIENTS:
                conn.close()
                return
            client = _Client(self._next_number, conn)
            self._next_number += 1
            self._clients[client.number] = client
        conn.setblocking(False)
        self._selector.register(conn, selectors.EVENT_READ, client)

    def _drain_wakeups(self) -> None:
        try:
            while self._wake_read.recv(4096):
                pass
        except OSError:
            pass

    def _read(self, client: _Client) -> None:
        try:
            data = client.conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client left: what it still had queued goes nowhere
            with self._lock:
                client.outbox.clear()
                client.closing = True
            return
        client.inbox += data
        *lines, client.inbox = client.inbox.split(b"\n")
        if len(client.inbox) > MAX_LINE_BYTES:
            log.info("dropping control client %d: a line over %d bytes", client.number, MAX_LINE_BYTES)
            with self._lock:
                client.closing = True
            return
        for line in lines:
            if line.strip():
                self.command_received.emit(client.number, _parse(line))

    def _write(self, client: _Client) -> None:
        with self._lock:
            data = b"".join(client.outbox)
            client.outbox.clear()
            client.queued = 0
        try:
            sent = client.conn.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            with self._lock:
                client.closing = True
            return
        if sent < len(data):
            with self._lock:
                client.outbox.appendleft(data[sent:])
                client.queued += len(data) - sent

    def _close(self, client: _Client) -> None:
        try:
            self._selector.unregister(client.conn)
        except (KeyError, ValueError):
            pass
        try:
            client.conn.close()
        except OSError:
            pass


def _parse(line: bytes) -> object:
    try:
        return json.loads(line)
    except ValueError:
        return None


def is_running(path: Path) -> bool:
    """True when a lanchat answers on the control socket at `path`."""
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True
