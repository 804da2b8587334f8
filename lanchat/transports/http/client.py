"""An HTTP/1.1 client on h11 for one server: HTTPS pinned to a certificate fingerprint, or plain HTTP.

The server's certificate is checked (SHA-256 of its DER against the pinned
fingerprint, any case) right after the TLS handshake, before any request
byte is sent. Keep-alive is used when the server allows it; a connection
the server closed is opened again (and checked again) for the next request.
Any thread may `abort()` a request in progress.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import h11

READ_SIZE = 256 * 1024


class FingerprintMismatch(Exception):
    """The server's certificate is not the one we were told (its SHA-256 is `actual`)."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"the certificate's SHA-256 is {actual[:16]}…, not {expected[:16]}…")
        self.expected = expected
        self.actual = actual


class HttpError(Exception):
    """The exchange failed: no connection, a timeout, a cut, or an answer that is not HTTP."""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def certificate_fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate, upper-case hex (LocalSend's form)."""
    return hashlib.sha256(der).hexdigest().upper()


class HttpClient:
    """Requests to one server. `context` None means plain HTTP (nothing to pin)."""

    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext | None,
        fingerprint: str | None,
        connect_seconds: float = 5.0,
    ) -> None:
        self.host = host
        self.port = port
        self._context = context
        self._fingerprint = fingerprint
        self._connect_seconds = connect_seconds
        self._sock: socket.socket | None = None
        self._h11: h11.Connection | None = None
        self._aborted = threading.Event()
        self._lock = threading.Lock()
        #: The server certificate's fingerprint, once connected over TLS.
        self.server_fingerprint: str | None = None

    # --- any thread -----------------------------------------------------------------

    def abort(self) -> None:
        """End a request in progress at once (it raises HttpError); later requests fail too."""
        self._aborted.set()
        with self._lock:
            sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # --- the caller's thread -----------------------------------------------------------

    def connect(self) -> None:
        """Open (and check) a connection if none is open.

        Raises:
            FingerprintMismatch: the certificate is not the pinned one (nothing was sent).
            HttpError: no connection.
        """
        if self._sock is not None:
            return
        if self._aborted.is_set():
            raise HttpError("aborted")
        try:
            raw = socket.create_connection((self.host, self.port), timeout=self._connect_seconds)
        except OSError as e:
            raise HttpError(f"cannot connect to {self.host}:{self.port}: {e}") from None
        sock: socket.socket = raw
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._context is not None:
                sock = self._context.wrap_socket(raw, do_handshake_on_connect=False)
                with self._lock:
                    self._sock = sock
                sock.do_handshake()
                der = sock.getpeercert(binary_form=True) or b""
                self.server_fingerprint = certificate_fingerprint(der)
                if self._fingerprint is not None and self.server_fingerprint != self._fingerprint.upper():
                    raise FingerprintMismatch(self._fingerprint.upper(), self.server_fingerprint)
        except FingerprintMismatch:
            self._drop(sock)
            raise
        except (OSError, ValueError) as e:
            self._drop(sock)
            raise HttpError(f"TLS with {self.host}:{self.port} failed: {e}") from None
        with self._lock:
            self._sock = sock
        if self._aborted.is_set():
            self.close()
            raise HttpError("aborted")
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=64 * 1024)

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = None
        try:
            sock.close()
        except OSError:
            pass

    def request(
        self,
        method: str,
        target: str,
        body: bytes | Iterable[bytes] = b"",
        *,
        length: int | None = None,
        content_type: str = "application/json",
        send_seconds: float = 30.0,
        answer_seconds: float = 30.0,
        max_answer: int = 1024 * 1024,
    ) -> HttpResponse:
        """Send one request and read its answer.

        `body` is bytes, or blocks streamed with `length` bytes in all (they
        must add up). `answer_seconds` bounds the wait for the answer after
        the body is sent (a receiver may wait for a person).

        Raises:
            FingerprintMismatch: on (re)connecting.
            HttpError: anything else that went wrong.
        """
        if self._h11 is not None and self._h11.our_state is not h11.IDLE:
            self.close()  # the last exchange did not end cleanly or the server wants a new connection
        self.connect()
        assert self._sock is not None and self._h11 is not None
        sock, conn = self._sock, self._h11
        size = len(body) if isinstance(body, bytes) else length
        if size is None:
            raise ValueError("a streamed body needs its length")
        headers = [(b"host", self.host.encode("idna") if not _is_ip(self.host) else self.host.encode()),
                   (b"content-length", str(size).encode()), (b"accept", b"*/*")]
        if size:
            headers.append((b"content-type", content_type.encode()))
        try:
            sock.settimeout(send_seconds)
            head = conn.send(h11.Request(method=method, target=target, headers=headers)) or b""
            if isinstance(body, bytes):
                data = conn.send(h11.Data(data=body)) or b"" if size else b""
                sock.sendall(head + data + (conn.send(h11.EndOfMessage()) or b""))
            else:
                sock.sendall(head)
                sent = 0
                for block in body:
                    sent += len(block)
                    if sent > size:
                        raise HttpError("the body grew while it was sent")
                    for part in conn.send_with_data_passthrough(h11.Data(data=block)) or []:
                        sock.sendall(part)
                if sent != size:
                    raise HttpError("the body shrank while it was sent")
                sock.sendall(conn.send(h11.EndOfMessage()) or b"")
            return self._answer(sock, conn, answer_seconds, max_answer)
        except (OSError, h11.ProtocolError) as e:
            self.close()
            raise HttpError(f"{method} {target.split('?', 1)[0]}: {e}") from None
        except HttpError:
            self.close()
            raise

    def _answer(self, sock: socket.socket, conn: h11.Connection, seconds: float, limit: int) -> HttpResponse:
        sock.settimeout(seconds)
        response: h11.Response | None = None
        parts: list[bytes] = []
        size = 0
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                if self._aborted.is_set():
                    raise HttpError("aborted")
                try:
                    data = sock.recv(READ_SIZE)
                except TimeoutError:
                    raise HttpError(f"no answer within {seconds:g} s") from None
                if self._aborted.is_set():
                    raise HttpError("aborted")
                conn.receive_data(data)
            elif isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.InformationalResponse):
                continue
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if size > limit:
                    raise HttpError(f"an answer over {limit} bytes")
                parts.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                assert response is not None
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
                if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
                    conn.start_next_cycle()
                else:
                    self.close()
                return HttpResponse(response.status_code, headers, b"".join(parts))
            elif isinstance(event, h11.ConnectionClosed):
                raise HttpError("the server closed the connection without an answer")

    def close(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        self._h11 = None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass


def _is_ip(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return False
    return True
