"""The IP Messenger UDP socket (port 2425): packets in, packets out, in a thread of its own."""

from __future__ import annotations

import collections
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.ipmsg.protocol.packet import MAX_PACKET, PORT, Packet, parse_packet
from lanchat.transports.ratelimit import RateLimiter
from lanchat.transports.workers import WakeUp, Worker

log = logging.getLogger("lanchat.ipmsg.udp")

RECEIVE_BUFFER = 4 * 1024 * 1024
MAX_QUEUED = 4096  # datagrams waiting to go out; more are dropped (and logged)


@dataclass(frozen=True)
class Received:
    """A packet and where it came from."""

    address: str
    port: int
    packet: Packet


class UdpWorker(Worker):
    """Owns the UDP socket; `send()` may be called from any thread."""

    received = Signal(Received)

    def __init__(self, allow: Callable[[str], bool], clock: Clock = SYSTEM_CLOCK,
                 host: str = "0.0.0.0", port: int = PORT) -> None:
        super().__init__()
        self._allow = allow
        self._clock = clock
        self._host = host
        self._port = port
        self._sock: socket.socket | None = None
        self._wakeup = WakeUp()
        self._lock = threading.Lock()
        self._outgoing: collections.deque[tuple[bytes, tuple[str, int]]] = collections.deque()
        self._limiter = RateLimiter()
        self._stopping = False
        self._failed_targets: set[str] = set()

    def bind(self) -> None:
        """Bind UDP 2425 on its own: another program holding it makes this fail (OSError)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError:
            sock.close()
            raise
        _grow_receive_buffer(sock)
        sock.setblocking(False)
        self._sock = sock

    # --- any thread ---------------------------------------------------------

    def send(self, data: bytes, address: tuple[str, int]) -> None:
        with self._lock:
            if len(self._outgoing) >= MAX_QUEUED:
                log.info("dropping a packet to %s: %d are waiting", address[0], MAX_QUEUED)
                return
            self._outgoing.append((data, address))
        self._wakeup.wake()

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.wake()

    def close(self) -> None:
        """Give the socket back when the worker will not run after all."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._wakeup.close()

    # --- the worker thread --------------------------------------------------

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None, "bind() first"
        try:
            while not self._stopping:
                self._flush(sock)
                if self._wakeup.wait(sock, 5.0):
                    self._receive(sock)
            self._flush(sock)  # a BR_EXIT queued on the way out
        finally:
            sock.close()
            self._wakeup.close()

    def _flush(self, sock: socket.socket) -> None:
        with self._lock:
            waiting, self._outgoing = self._outgoing, collections.deque()
        for data, address in waiting:
            try:
                sock.sendto(data, address)
                self._failed_targets.discard(address[0])
            except OSError as e:  # one failing target never stops the others
                if address[0] not in self._failed_targets:
                    self._failed_targets.add(address[0])
                    log.info("cannot send to %s: %s", address[0], e.strerror)

    def _receive(self, sock: socket.socket) -> None:
        for _ in range(256):  # drain what is queued, but keep sending on time
            try:
                data, (ip, port) = sock.recvfrom(MAX_PACKET + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:  # e.g. ICMP unreachable from an earlier send
                log.debug("receive: %s", e)
                continue
            if not self._allow(ip) or not self._limiter.allow(ip, self._clock.monotonic()):
                continue
            packet = parse_packet(data)
            if packet is not None:
                self.received.emit(Received(ip, port, packet))


def _grow_receive_buffer(sock: socket.socket) -> None:
    """Room for a burst (a whole class arriving at once); more where permitted (root on Linux)."""
    force = getattr(socket, "SO_RCVBUFFORCE", None)
    try:
        if force is not None:
            sock.setsockopt(socket.SOL_SOCKET, force, RECEIVE_BUFFER)
        else:
            raise PermissionError
    except OSError:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        except OSError:
            pass
    log.info("IP Messenger receive buffer: %d bytes", sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
