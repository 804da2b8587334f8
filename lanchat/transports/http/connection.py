"""One accepted HTTP/1.1 connection, server side, on h11: requests in, responses out, bounded in size and time.

h11 parses (request line, headers, Content-Length and chunked bodies); this
class does the IO with limits: a request head must arrive within
`head_seconds` and fit `max_head` bytes, a keep-alive connection idles at
most `idle_seconds`, and a body that stalls for `body_seconds` is cut.
Any thread may `abort()` it (shutdown), which ends a blocked read at once.
"""

from __future__ import annotations

import logging
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import h11

log = logging.getLogger("lanchat.http.connection")

READ_SIZE = 1024 * 1024
REASONS = {200: b"OK", 204: b"No Content", 400: b"Bad Request", 401: b"Unauthorized", 403: b"Forbidden",
           404: b"Not Found", 405: b"Method Not Allowed", 408: b"Request Timeout", 409: b"Conflict",
           411: b"Length Required", 413: b"Content Too Large", 422: b"Unprocessable Content",
           429: b"Too Many Requests", 431: b"Request Header Fields Too Large", 500: b"Internal Server Error",
           503: b"Service Unavailable", 507: b"Insufficient Storage"}


@dataclass(frozen=True)
class Limits:
    max_head: int = 16 * 1024  # request line and headers
    head_seconds: float = 10.0  # from a request's first byte to its last header
    idle_seconds: float = 30.0  # a keep-alive connection waiting for its next request
    body_seconds: float = 30.0  # no body byte for this long: the upload is cut
    handshake_seconds: float = 10.0
    drain_bytes: int = 64 * 1024  # an unread request body up to this is skipped to keep the connection


class BodyError(Exception):
    """The request body cannot be read whole: cut, too slow, malformed, or larger than allowed."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    peer_ip: str

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("content-length")
        return int(value) if value is not None and value.isdigit() else None


class ServerConnection:
    """Reads requests and writes responses on one socket (its thread only, but `abort`)."""

    def __init__(self, sock: socket.socket, peer_ip: str, limits: Limits) -> None:
        self.sock = sock
        self.peer_ip = peer_ip
        self.limits = limits
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=limits.max_head)
        self._aborted = threading.Event()
        self._eof = False
        self._declared: int | None = None  # the current request's Content-Length
        self._view = memoryview(bytearray(READ_SIZE))
        self._chunked = False
        self._keep_alive = True
        self._raw_left: int | None = None  # body bytes still unread past h11, once it is bypassed

    # --- any thread -------------------------------------------------------------

    def abort(self) -> None:
        """Cut the connection: a blocked read or write ends at once."""
        self._aborted.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    # --- the connection's thread ----------------------------------------------------

    def _fill(self, timeout: float, limit: int = READ_SIZE) -> bool:
        """Feed h11 more bytes; False when none came within `timeout` (the peer is slow)."""
        data = self._read(limit, timeout)
        if data is None:
            return False
        self._h11.receive_data(data)
        return True

    def _read(self, limit: int, timeout: float) -> bytes | None:
        """Up to `limit` bytes (b"" at the end of the stream); None when none came within `timeout`.

        TLS hands out one record (16 KiB) a read: what is already waiting is
        read too, so the file sees large blocks.
        """
        if self._aborted.is_set():
            raise ConnectionAbortedError("aborted")
        self.sock.settimeout(max(timeout, 0.001))
        view = self._view[:limit]
        try:
            got = self.sock.recv_into(view)
        except (TimeoutError, ssl.SSLWantReadError):
            return None
        if self._aborted.is_set():
            raise ConnectionAbortedError("aborted")
        if got:
            self.sock.settimeout(0.0)
            try:
                while got < limit:
                    more = self.sock.recv_into(view[got:])
                    if not more:
                        break
                    got += more
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
            except OSError:
                pass  # an error shows on the next read
        self._eof = not got
        return bytes(view[:got])

    def next_request(self) -> HttpRequest | None:
        """The next request's head; None when the peer closed, idled out, or sent garbage (answered 4xx)."""
        idle_until = time.monotonic() + self.limits.idle_seconds
        head_until: float | None = None
        try:
            while True:
                event = self._h11.next_event()
                if isinstance(event, h11.Request):
                    if _head_size(event) > self.limits.max_head:  # it came whole in one read
                        self._answer_error(431)
                        return None
                    return self._request(event)
                if event is not h11.NEED_DATA or self._eof:
                    return None  # closed, or PAUSED after a response that must close
                now = time.monotonic()
                deadline = head_until if head_until is not None else idle_until
                if now >= deadline:
                    if head_until is not None:
                        self._answer_error(408)
                    return None
                if self._fill(deadline - now, self.limits.max_head) and head_until is None:
                    head_until = time.monotonic() + self.limits.head_seconds
        except h11.RemoteProtocolError as e:
            log.info("bad request from %s: %s", self.peer_ip, e)
            self._answer_error(e.error_status_hint)
            return None
        except (OSError, ConnectionAbortedError):
            return None

    def _request(self, event: h11.Request) -> HttpRequest:
        target = event.target.decode("ascii", "replace")
        parts = urlsplit(target)
        query: dict[str, str] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            query.setdefault(name, value)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in event.headers}
        length = headers.get("content-length", "")
        self._declared = int(length) if length.isdigit() else None
        self._chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        self._keep_alive = event.http_version == b"1.1" and "close" not in headers.get("connection", "").lower()
        self._raw_left = None
        return HttpRequest(event.method.decode("ascii", "replace"), parts.path, query, headers, self.peer_ip)

    def body(self) -> Iterator[bytes]:
        """The request body as it arrives (Content-Length or chunked).

        Raises:
            BodyError: the peer closed early, stalled for `body_seconds`, or broke the framing.
        """
        if self._declared is not None and not self._chunked:
            yield from self._length_body(self._declared)
            return
        while True:
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as e:
                raise BodyError(f"bad body: {e}") from None
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            elif event is h11.NEED_DATA:
                if self._eof:
                    raise BodyError("the peer closed before the body ended")
                try:
                    if not self._fill(self.limits.body_seconds):
                        raise BodyError(f"no data for {self.limits.body_seconds:g} s")
                except (OSError, ConnectionAbortedError) as e:
                    raise BodyError(f"connection lost: {e}") from None
            else:
                raise BodyError(f"unexpected {type(event).__name__}")

    def _length_body(self, length: int) -> Iterator[bytes]:
        """A Content-Length body: what h11 holds already, then straight from the socket (one copy).

        h11 then no longer follows this exchange: `respond` writes the
        answer itself and the next request gets a fresh h11 connection.
        """
        left = length
        while True:
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as e:
                raise BodyError(f"bad body: {e}") from None
            if isinstance(event, h11.Data):
                left -= len(event.data)
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return  # all of it was in h11's buffer (an empty body too)
            elif event is h11.NEED_DATA and left > 0:
                break  # h11 holds no more: the rest comes from the socket
            else:
                raise BodyError(f"unexpected {type(event).__name__}")
        self._raw_left = left
        while self._raw_left:
            try:
                data = self._read(min(self._raw_left, READ_SIZE), self.limits.body_seconds)
            except (OSError, ConnectionAbortedError) as e:
                raise BodyError(f"connection lost: {e}") from None
            if data is None:
                raise BodyError(f"no data for {self.limits.body_seconds:g} s")
            if not data:
                raise BodyError("the peer closed before the body ended")
            self._raw_left -= len(data)
            yield data

    def read_body(self, limit: int) -> bytes:
        """The whole body, at most `limit` bytes.

        Raises:
            BodyError: as `body()`, or more than `limit` bytes.
        """
        declared = self._declared
        if declared is not None and declared > limit:
            raise BodyError(f"a body of {declared} bytes (at most {limit})")
        parts: list[bytes] = []
        size = 0
        for chunk in self.body():
            size += len(chunk)
            if size > limit:
                raise BodyError(f"a body over {limit} bytes")
            parts.append(chunk)
        return b"".join(parts)

    def wait_for(self, done: threading.Event, seconds: float) -> bool:
        """Wait for `done` while the request waits for an answer; False when the peer left or `seconds` passed."""
        deadline = time.monotonic() + seconds
        while not done.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or self._aborted.is_set():
                return False
            if done.wait(min(left, 0.25)):
                return True
            if self._peer_left():
                return False
        return True

    def _peer_left(self) -> bool:
        """Whether the peer closed its side (a byte it sent early is kept for h11)."""
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        try:
            if not pending and not select.select([self.sock], [], [], 0)[0]:
                return False
            self._fill(0.001)
            return self._eof
        except (OSError, ConnectionAbortedError):
            return True
        except h11.RemoteProtocolError:
            return True

    def respond(self, status: int, body: bytes = b"", content_type: str = "application/json",
                close: bool = False) -> bool:
        """Send a whole response; False when it could not be sent (the connection is done)."""
        if self._raw_left is not None:
            return self._respond_raw(status, body, content_type, close or self._raw_left > 0 or not self._keep_alive)
        headers = [(b"content-length", str(len(body)).encode())]
        if body:
            headers.append((b"content-type", content_type.encode()))
        if close:
            headers.append((b"connection", b"close"))
        try:
            data = self._h11.send(h11.Response(status_code=status, headers=headers,
                                               reason=REASONS.get(status, b"")))
            data = (data or b"") + (self._h11.send(h11.Data(data=body)) or b"") if body else (data or b"")
            data += self._h11.send(h11.EndOfMessage()) or b""
            self.sock.sendall(data)
            return True
        except (h11.LocalProtocolError, OSError) as e:
            log.debug("cannot answer %s: %s", self.peer_ip, e)
            return False

    def _respond_raw(self, status: int, body: bytes, content_type: str, close: bool) -> bool:
        """The answer after a body read past h11 (same bytes as h11 writes)."""
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, b'').decode()}", f"content-length: {len(body)}"]
        if body:
            lines.append(f"content-type: {content_type}")
        if close:
            lines.append("connection: close")
            self._keep_alive = False
        try:
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            return True
        except OSError as e:
            log.debug("cannot answer %s: %s", self.peer_ip, e)
            self._keep_alive = False
            return False

    def _answer_error(self, status: int) -> None:
        if self._h11.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            self.respond(status, b"", close=True)

    def finish_exchange(self) -> bool:
        """After a response: skip a small unread body and get ready for the next request; False to close."""
        if self._raw_left is not None:  # h11 was bypassed for the body: a fresh one for the next request
            if self._aborted.is_set() or self._raw_left or not self._keep_alive:
                return False
            self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head)
            self._raw_left = None
            return True
        if self._aborted.is_set() or self._h11.our_state is not h11.DONE:
            return False
        if self._h11.their_state is h11.SEND_BODY:
            skipped = 0
            try:
                for chunk in self.body():
                    skipped += len(chunk)
                    if skipped > self.limits.drain_bytes:
                        return False
            except BodyError:
                return False
        if self._h11.their_state is not h11.DONE:
            return False
        try:
            self._h11.start_next_cycle()
        except h11.LocalProtocolError:
            return False
        return True


def _head_size(event: h11.Request) -> int:
    """About the bytes of a request's head (its line and headers)."""
    return len(event.method) + len(event.target) + 12 + sum(len(k) + len(v) + 4 for k, v in event.headers)
