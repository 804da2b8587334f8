"""One TLS connection to a peer, either end, served in its own thread (docs/protocol.md §3).

A `ConnectionWorker` opens (client) or takes over (server) a socket, runs
TLS 1.3 and the handshake of §3.2, then turns frames into signals and
sends what it is given. `send()` and `stop()` may be called from any
thread: the worker sits in `select()` on its socket and a wake-up pipe, so
a queued frame goes out at once.
"""

from __future__ import annotations

import collections
import logging
import secrets
import select
import socket
import ssl
import threading
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.identity import Identity, verify_client_cert
from lanchat.transports.lanchat.net import tls
from lanchat.transports.lanchat.protocol import codec
from lanchat.transports.lanchat.protocol.codec import (
    NEED_DATA,
    BodyChunk,
    BodyEnd,
    ConnectionClosed,
    FrameDecoder,
    Role,
)
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import (
    CHAT_TYPES,
    TRANSFER_TYPES,
    Avatar,
    ClientHello,
    Error,
    Frame,
    Ping,
    Pong,
    Purpose,
    ServerHello,
    Welcome,
)
from lanchat.transports.lanchat.protocol.handshake import NONCE_BYTES, client_auth_payload, peer_id
from lanchat.transports.workers import WakeUp, Worker

log = logging.getLogger("lanchat.net.connection")

HANDSHAKE_SECONDS = 10.0
IDLE_SECONDS = 90.0
PING_SECONDS = 30.0
CONNECT_SECONDS = 5.0
WRITE_SECONDS = 30.0
DISCARD_SECONDS = 1.0
RECV_BYTES = 256 * 1024
RECV_BATCH_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LocalPeer:
    """What our side of a handshake says about us."""

    identity: Identity
    name: str
    port: int  # our TCP listening port


@dataclass(frozen=True)
class RemotePeer:
    """Who is at the other end, once the handshake verified it."""

    id: str
    name: str
    address: str
    port: int  # its TCP listening port
    purpose: Purpose


@dataclass(frozen=True)
class AvatarImage:
    """An `avatar` frame together with its body."""

    sha256: str
    data: bytes


@dataclass(frozen=True)
class Problem:
    """A protocol error on a connection: sent by us (`ours`) or received."""

    code: str
    message: str
    ours: bool


class CertificateMismatch(Exception):
    """The server's certificate is not the one of the id we meant to reach."""


class Closed(Exception):
    """The connection ended; the message says why."""


class Refused(Closed):
    """The peer answered our hello or request with `error` `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Closure:
    """How a connection ended: `cert_mismatch` when the server was not who we meant to reach,
    `refused` the error code the peer refused us with (e.g. `busy`)."""

    reason: str
    cert_mismatch: bool = False
    refused: str | None = None


class ConnectionWorker(Worker):
    """A TLS connection with the lanchat handshake, as client or server."""

    #: (worker, RemotePeer) once the handshake verified the peer.
    established = Signal(object, RemotePeer)
    #: (worker, Frame | AvatarImage) for every frame the owner must handle.
    frame_received = Signal(object, object)
    #: (worker, Problem) a protocol error, ours or theirs.
    problem = Signal(object, Problem)
    #: (worker, Closure) always the last signal.
    closed = Signal(object, Closure)

    def __init__(
        self,
        local: LocalPeer,
        *,
        role: Role,
        sock: socket.socket | None = None,
        address: tuple[str, int] | None = None,
        expected_id: str | None = None,
        purpose: Purpose = Purpose.CHAT,
        server_context: ssl.SSLContext | None = None,
        client_context: ssl.SSLContext | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.local = local
        self.role = role
        self.purpose = purpose
        self.remote: RemotePeer | None = None
        self._raw = sock
        self._address = address if address else _peer_address(sock)
        self._expected_id = expected_id
        self._server_context = server_context
        self._client_context = client_context
        self._clock = clock
        self._started_at = clock.monotonic()
        self._decoder = FrameDecoder(role)
        self._tls: ssl.SSLSocket | None = None
        self._outgoing: collections.deque[bytes] = collections.deque()
        self._lock = threading.Lock()
        self._wakeup = WakeUp()
        self._thread_id: int | None = None
        self._stopping = False
        self._established = False
        self._last_rx = self._last_tx = self._started_at
        self._avatar: tuple[Avatar, bytearray] | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The peer's (IP, port) as connected."""
        return self._address

    # --- any thread ---------------------------------------------------------

    def send(self, frame: Frame, body: bytes = b"") -> None:
        """Queue a frame (and its body) to send.

        Raises:
            LocalProtocolError: the frame breaks a rule of the protocol.
        """
        data = codec.encode(frame) + body
        with self._lock:
            self._outgoing.append(data)
        if threading.get_ident() != self._thread_id:  # our own thread flushes before it waits
            self._wakeup.wake()

    def stop(self) -> None:
        """Close the connection soon; `closed` follows."""
        self._stopping = True
        self._wakeup.wake()
        sock = self._tls or self._raw
        if sock is not None and not self._established:
            # Wake a thread blocked in connect or the TLS handshake.
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    # --- the worker thread --------------------------------------------------

    @Slot()
    def run(self) -> None:
        self._thread_id = threading.get_ident()
        closure = Closure("closed")
        try:
            self._open()
            self._established = True
            self.established.emit(self, self.remote)
            self._serve()
        except RemoteProtocolError as e:
            self._fail(e)
            closure = Closure(f"{e.code.value}: {e.message}")
        except CertificateMismatch as e:
            closure = Closure(str(e), cert_mismatch=True)
        except Refused as e:
            closure = Closure(str(e), refused=e.code)
        except Closed as e:
            closure = Closure(str(e))
        except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
            closure = Closure(_describe(e))
        finally:
            self._close_sockets()
            self._after_close()
            log.debug("connection %s closed: %s", self._address, closure.reason)
            self.closed.emit(self, closure)

    def _open(self) -> None:
        if self.role is Role.SERVER:
            self._accept_handshake()
        else:
            self._connect_handshake()

    def _remaining(self) -> float:
        left = self._started_at + HANDSHAKE_SECONDS - self._clock.monotonic()
        if left <= 0:
            raise Closed("the handshake took longer than 10 s")
        return left

    def _accept_handshake(self) -> None:
        assert self._raw is not None and self._server_context is not None
        self._raw.settimeout(self._remaining())
        _no_delay(self._raw)
        tls = self._server_context.wrap_socket(
            self._raw, server_side=True, do_handshake_on_connect=False
        )
        self._tls, self._raw = tls, None
        if self._stopping:
            raise Closed("stopped")
        tls.do_handshake()
        nonce = secrets.token_bytes(NONCE_BYTES)
        identity = self.local.identity
        self._write(codec.encode(ServerHello(identity.id, self.local.name, nonce.hex())))
        hello = self._handshake_frame()
        if not isinstance(hello, ClientHello):
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, "expected a hello")
        problem = verify_client_cert(
            hello.cert, hello.id, client_auth_payload(nonce, identity.id), hello.sig
        )
        if problem is not None:
            raise RemoteProtocolError(ErrorCode.AUTH_FAILED, problem)
        self.purpose = hello.purpose
        self.remote = RemotePeer(hello.id, hello.name, self._address[0], hello.port, hello.purpose)
        self._before_welcome(self.remote)
        self._write(codec.encode(Welcome()))

    def _before_welcome(self, remote: RemotePeer) -> None:
        """Server side, after the hello verified: may refuse with RemoteProtocolError."""

    def _after_close(self) -> None:
        """Runs in the worker thread once the connection is closed."""

    def _connect_handshake(self) -> None:
        assert self._client_context is not None and self._expected_id is not None
        raw = socket.create_connection(self._address, timeout=min(CONNECT_SECONDS, self._remaining()))
        self._raw = raw
        if self._stopping:
            raise Closed("stopped")
        raw.settimeout(self._remaining())
        _no_delay(raw)
        tls = self._client_context.wrap_socket(raw, do_handshake_on_connect=False)
        self._tls, self._raw = tls, None
        tls.do_handshake()
        cert = tls.getpeercert(binary_form=True)
        if cert is None or peer_id(cert) != self._expected_id:
            raise CertificateMismatch(
                f"the certificate at {self._address[0]}:{self._address[1]} "
                "does not match the announced id"
            )
        hello = self._handshake_frame()
        if not isinstance(hello, ServerHello) or hello.id != self._expected_id:
            raise Closed("the peer's hello does not match its certificate")
        identity = self.local.identity
        payload = client_auth_payload(bytes.fromhex(hello.nonce), hello.id)
        self._write(
            codec.encode(
                ClientHello(
                    identity.id, self.local.name, self.local.port, self.purpose,
                    identity.cert_der, identity.sign(payload),
                )
            )
        )
        answer = self._handshake_frame()
        if not isinstance(answer, Welcome):
            raise Closed(f"the peer answered the handshake with {answer.T!r}")
        self.remote = RemotePeer(hello.id, hello.name, self._address[0], self._address[1], self.purpose)

    def _handshake_frame(self) -> Frame:
        """The next frame, read before the handshake deadline."""
        assert self._tls is not None
        while True:
            event = self._decoder.next_event()
            if event is NEED_DATA:
                self._tls.settimeout(self._remaining())
                try:
                    data = self._tls.recv(RECV_BYTES)
                except TimeoutError:
                    raise Closed("the handshake took longer than 10 s") from None
                self._decoder.feed(data)
                continue
            if isinstance(event, ConnectionClosed):
                raise Closed("the peer closed the connection during the handshake")
            if isinstance(event, Frame):
                if self.role is Role.CLIENT and isinstance(event, Error):
                    raise Refused(event.code, f"the peer refused the handshake: {event.code}: {event.message}")
                return event
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, "unexpected frame during the handshake")

    def _serve(self) -> None:
        tls = self._tls
        assert tls is not None
        tls.settimeout(WRITE_SECONDS)
        while not self._stopping:
            now = self._clock.monotonic()
            if now - self._last_rx > IDLE_SECONDS:
                raise Closed("no data for 90 s")
            if self.role is Role.CLIENT and now - self._last_tx >= PING_SECONDS:
                self.send(Ping())
            self._flush()  # what this thread queued itself (answers, pings) goes out first
            timeout = min(
                self._last_rx + IDLE_SECONDS - now,
                self._last_tx + PING_SECONDS - now if self.role is Role.CLIENT else IDLE_SECONDS,
            )
            has_data = self._wakeup.wait(tls, max(timeout, 0.01))
            self._flush()
            if has_data:
                self._receive(tls)

    def _receive(self, tls: ssl.SSLSocket) -> None:
        """Read what has arrived (up to ~1 MiB, several TLS records), then handle it."""
        try:
            data = tls.recv(RECV_BYTES)
        except (TimeoutError, ssl.SSLWantReadError):
            return
        self._last_rx = self._clock.monotonic()
        self._decoder.feed(data)
        batch = len(data)
        while data and batch < RECV_BATCH_BYTES and (tls.pending() or select.select([tls], [], [], 0)[0]):
            try:
                data = tls.recv(RECV_BYTES)
            except (TimeoutError, ssl.SSLWantReadError):
                break
            self._decoder.feed(data)
            batch += len(data)
        while True:
            event = self._decoder.next_event()
            if event is NEED_DATA:
                return
            if isinstance(event, ConnectionClosed):
                raise Closed("the peer closed the connection")
            self._handle(event)

    def _handle(self, event: object) -> None:
        if isinstance(event, Frame):
            allowed = CHAT_TYPES if self.purpose is Purpose.CHAT else TRANSFER_TYPES
            if event.T not in allowed:
                raise RemoteProtocolError(
                    ErrorCode.BAD_FRAME, f"'{event.T}' is not allowed on a {self.purpose} connection"
                )
            if isinstance(event, Ping):
                self.send(Pong())
            elif isinstance(event, Pong):
                pass
            elif isinstance(event, Avatar):
                self._avatar = (event, bytearray())
            else:
                self._on_frame(event)
        elif isinstance(event, BodyChunk):
            self._on_body_chunk(event.data)
        elif isinstance(event, BodyEnd):
            self._on_body_end()
        # UnknownFrame after the handshake: skipped (forward compatibility).

    def _on_frame(self, frame: Frame) -> None:
        self.frame_received.emit(self, frame)

    def _on_body_chunk(self, data: bytes) -> None:
        if self._avatar is not None:
            self._avatar[1].extend(data)

    def _on_body_end(self) -> None:
        if self._avatar is not None:
            frame, data = self._avatar
            self._avatar = None
            self.frame_received.emit(self, AvatarImage(frame.sha256, bytes(data)))

    def _flush(self) -> None:
        with self._lock:
            if not self._outgoing:
                return
            data = b"".join(self._outgoing)
            self._outgoing.clear()
        self._write(data)

    def _write(self, data: bytes | bytearray | memoryview) -> None:
        assert self._tls is not None
        self._tls.sendall(data)
        self._last_tx = self._clock.monotonic()

    def _fail(self, error: RemoteProtocolError) -> None:
        """Send `error`, stop writing, discard input for up to 1 s, then close."""
        self.problem.emit(self, Problem(error.code.value, error.message, ours=True))
        tls = self._tls
        if tls is None:
            return
        try:
            tls.settimeout(DISCARD_SECONDS)
            tls.sendall(codec.encode_error(error))
            deadline = self._clock.monotonic() + DISCARD_SECONDS
            while not self._stopping:
                left = deadline - self._clock.monotonic()
                if left <= 0:
                    break
                tls.settimeout(left)
                if not tls.recv(RECV_BYTES):
                    break
        except (OSError, ValueError):
            pass

    def _close_sockets(self) -> None:
        self._wakeup.close()
        for sock in (self._tls, self._raw):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass


def _no_delay(sock: socket.socket) -> None:
    """Send small frames at once: every frame is written whole (one `sendall`), and an answer that waits
    for the peer's delayed ACK (Nagle) costs 40 ms: a handshake, each `offer`/`accept`, each `end`/`done`."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass


def _peer_address(sock: socket.socket | None) -> tuple[str, int]:
    if sock is None:
        raise ValueError("a connection needs a socket or an address")
    host, port = sock.getpeername()[:2]
    return str(host), int(port)


def _describe(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed: {error.reason or error}"
    return str(error) or type(error).__name__


_client_context: ssl.SSLContext | None = None


def client_context_cached() -> ssl.SSLContext:
    """The one client context every outgoing connection shares."""
    global _client_context
    if _client_context is None:
        _client_context = tls.client_context()
    return _client_context


def client_worker(
    local: LocalPeer,
    address: tuple[str, int],
    expected_id: str,
    purpose: Purpose,
    clock: Clock = SYSTEM_CLOCK,
) -> ConnectionWorker:
    """A worker that will connect to `address` and accept only the peer `expected_id`."""
    return ConnectionWorker(
        local, role=Role.CLIENT, address=address, expected_id=expected_id,
        purpose=purpose, client_context=client_context_cached(), clock=clock,
    )
