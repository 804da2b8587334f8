"""An HTTP(S) server worker: accepts connections and serves each in a thread of its own, within caps.

The handler is called in the connection's thread once per request and must
answer it (`ServerConnection.respond`). At most `MAX_PER_IP` connections
from one address and `MAX_TOTAL` in all; more are closed at once, before TLS.
"""

from __future__ import annotations

import collections
import errno
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Slot

from lanchat.transports.http.connection import HttpRequest, Limits, ServerConnection
from lanchat.transports.workers import Worker

log = logging.getLogger("lanchat.http.server")

MAX_PER_IP = 16
MAX_TOTAL = 128
ACCEPT_POLL_SECONDS = 0.5

Handler = Callable[[ServerConnection, HttpRequest], None]


def normalise_ip(address: str) -> str:
    """`::ffff:10.0.0.5` (a dual-stack socket's IPv4 peer) as `10.0.0.5`."""
    return address[7:] if address.startswith("::ffff:") and "." in address else address.split("%", 1)[0]


class HttpServer(Worker):
    """Listens on `port` (IPv6 dual-stack where possible, else IPv4); `handler` answers each request."""

    def __init__(
        self,
        handler: Handler,
        context: ssl.SSLContext | None,
        allow: Callable[[str], bool],
        port: int,
        limits: Limits | None = None,
        name: str = "http",
    ) -> None:
        super().__init__()
        self._handler = handler
        self._context = context
        self._allow = allow
        self._port = port
        self._limits = limits or Limits()
        self._name = name
        self._sock: socket.socket | None = None
        self._stopping = False
        self._lock = threading.Lock()
        self._per_ip: collections.Counter[str] = collections.Counter()
        self._live: dict[threading.Thread, ServerConnection | socket.socket] = {}

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1] if self._sock is not None else self._port

    def bind(self, host: str | None = None) -> None:
        """Listen. Raises OSError when another program holds the port."""
        sock: socket.socket | None = None
        if host is None and socket.has_ipv6:
            try:
                sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except OSError:
                if sock is not None:
                    sock.close()
                sock = None
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart finds it free at once
        try:
            sock.bind((host or ("::" if sock.family == socket.AF_INET6 else "0.0.0.0"), self._port))
            sock.listen(64)
        except OSError:
            sock.close()
            raise
        sock.settimeout(ACCEPT_POLL_SECONDS)
        self._sock = sock

    def close(self) -> None:
        """Give the socket back when the worker will not run after all."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

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
                    conn, address = sock.accept()
                except TimeoutError:
                    continue
                except OSError as e:
                    if self._stopping:
                        break
                    if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM, errno.ECONNABORTED):
                        log.warning("cannot accept more connections: %s", e)
                        continue
                    raise
                self._admit(conn, normalise_ip(str(address[0])))
        finally:
            sock.close()
            self._stop_connections()

    def _admit(self, conn: socket.socket, ip: str) -> None:
        with self._lock:
            full = self._per_ip[ip] >= MAX_PER_IP or len(self._live) >= MAX_TOTAL
            refused = full or not self._allow(ip)
            if not refused:
                self._per_ip[ip] += 1
        if refused:
            conn.close()
            return
        thread = threading.Thread(target=self._serve, args=(conn, ip), name=f"lanchat-{self._name}-{ip}",
                                  daemon=True)
        with self._lock:
            self._live[thread] = conn
        thread.start()

    def _serve(self, raw: socket.socket, ip: str) -> None:
        thread = threading.current_thread()
        sock = raw
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._context is not None:
                raw.settimeout(self._limits.handshake_seconds)
                sock = self._context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
                sock.do_handshake()
            connection = ServerConnection(sock, ip, self._limits)
            with self._lock:
                if self._stopping:
                    return
                self._live[thread] = connection
            while not self._stopping:
                request = connection.next_request()
                if request is None:
                    break
                self._handler(connection, request)
                if not connection.finish_exchange():
                    break
            if not self._stopping and not connection.aborted:
                _linger(sock)
        except (OSError, ValueError) as e:  # TLS failures, resets; ValueError: a socket closed under us
            log.debug("connection from %s ended: %s", ip, e)
        finally:
            try:
                sock.close()
            except OSError:
                pass
            with self._lock:
                self._live.pop(thread, None)
                self._per_ip[ip] -= 1
                if self._per_ip[ip] <= 0:
                    del self._per_ip[ip]

    def _stop_connections(self) -> None:
        with self._lock:
            live = list(self._live.items())
        for _thread, conn in live:
            if isinstance(conn, ServerConnection):
                conn.abort()
            else:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        deadline = time.monotonic() + 0.8
        for thread, _conn in live:
            thread.join(max(0.0, deadline - time.monotonic()))


LINGER_SECONDS = 1.0
LINGER_BYTES = 1024 * 1024


def _linger(sock: socket.socket) -> None:
    """Close gently: stop writing, then discard what the peer still sends (1 s, 1 MiB at most).

    Closing with unread bytes would reset the connection and could destroy
    our last answer (a 413, say) before the peer reads it.
    """
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        return
    deadline = time.monotonic() + LINGER_SECONDS
    left = LINGER_BYTES
    while left > 0:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        try:
            sock.settimeout(remaining)
            data = socket.socket.recv(sock, 65536)  # raw bytes: past TLS, nothing to decrypt
        except (OSError, ValueError):
            return
        if not data:
            return
        left -= len(data)
