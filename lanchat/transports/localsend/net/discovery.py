"""LocalSend discovery: UDP 53317, the multicast group 224.0.0.167 joined on every interface, in a thread of its own.

Datagrams out go through `send_multicast` (to the group, once per
interface that can multicast) or `send_to` (unicast: --only-targets), any
thread. Datagrams in are filtered (the address filter, 50 a second per
source), parsed, and reported as `Heard`.
"""

from __future__ import annotations

import collections
import fcntl
import logging
import socket
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.localsend.protocol.device import (
    MAX_DATAGRAM,
    MULTICAST_GROUP,
    PORT,
    Announcement,
    BadMessage,
    normalise_address,
    parse_announcement,
)
from lanchat.transports.ratelimit import RateLimiter
from lanchat.transports.workers import WakeUp, Worker

log = logging.getLogger("lanchat.localsend.discovery")

MAX_QUEUED = 1024
TTL = 1
_SIOCGIFFLAGS = 0x8913
_SIOCGIFADDR = 0x8915
_IFF_UP = 0x1
_IFF_LOOPBACK = 0x8
_IFF_MULTICAST = 0x1000


@dataclass(frozen=True)
class Heard:
    """A datagram from `address` (normalised IPv4)."""

    address: str
    announcement: Announcement


def multicast_interfaces() -> list[str]:
    """The IPv4 address of every interface that is up, not loopback, and can multicast.

    Elsewhere than Linux: "0.0.0.0", the interface the system picks.
    """
    if not sys.platform.startswith("linux"):
        return ["0.0.0.0"]
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                flags = struct.unpack_from("H", fcntl.ioctl(sock.fileno(), _SIOCGIFFLAGS, request), 16)[0]
                if not flags & _IFF_UP or flags & _IFF_LOOPBACK or not flags & _IFF_MULTICAST:
                    continue
                answer = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # no IPv4 address here
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


class DiscoveryWorker(Worker):
    """Owns the UDP socket. With `multicast` off (--only-targets) it joins no group and sends unicast only."""

    heard = Signal(Heard)

    def __init__(self, allow: Callable[[str], bool], multicast: bool, clock: Clock = SYSTEM_CLOCK,
                 port: int = PORT, group: str = MULTICAST_GROUP) -> None:
        super().__init__()
        self._allow = allow
        self._multicast = multicast
        self._clock = clock
        self._port = port
        self._group = group
        self._sock: socket.socket | None = None
        self._wakeup = WakeUp()
        self._lock = threading.Lock()
        self._outgoing: collections.deque[tuple[bytes, tuple[str, int] | None]] = collections.deque()
        self._joined: set[str] = set()
        self._limiter = RateLimiter()
        self._stopping = False
        self._failed: set[str] = set()

    def bind(self) -> None:
        """Bind UDP 53317. Raises OSError when it cannot be used."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # LocalSend peers on one host share it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)  # a --target may be a subnet's broadcast
        try:
            sock.bind(("0.0.0.0", self._port))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, TTL)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        self._sock = sock
        if self._multicast:
            self._join(sock)

    def _join(self, sock: socket.socket) -> list[str]:
        """Join the group on every multicast interface not joined yet; returns the interfaces now."""
        interfaces = multicast_interfaces()
        for address in interfaces:
            if address in self._joined:
                continue
            mreq = socket.inet_aton(self._group) + socket.inet_aton(address)
            try:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
            except OSError as e:
                log.info("cannot join %s on %s: %s", self._group, address, e.strerror)
                continue
            self._joined.add(address)
            log.info("LocalSend discovery joined %s on %s", self._group, address)
        self._joined &= set(interfaces)  # an interface that went away took its membership with it
        return interfaces

    # --- any thread ---------------------------------------------------------------

    def send_multicast(self, data: bytes) -> None:
        """To the group on every interface (nothing when multicast is off)."""
        if self._multicast:
            self._queue(data, None)

    def send_to(self, data: bytes, address: tuple[str, int]) -> None:
        self._queue(data, address)

    def _queue(self, data: bytes, address: tuple[str, int] | None) -> None:
        with self._lock:
            if len(self._outgoing) >= MAX_QUEUED:
                return
            self._outgoing.append((data, address))
        self._wakeup.wake()

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.wake()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._wakeup.close()

    # --- the worker's thread ---------------------------------------------------------

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None, "bind() first"
        try:
            while not self._stopping:
                self._flush(sock)
                if self._wakeup.wait(sock, 5.0):
                    self._receive(sock)
        finally:
            sock.close()
            self._wakeup.close()

    def _flush(self, sock: socket.socket) -> None:
        with self._lock:
            waiting, self._outgoing = self._outgoing, collections.deque()
        for data, address in waiting:
            if address is not None:
                self._send(sock, data, address, address[0])
                continue
            for interface in self._join(sock):
                try:
                    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
                except OSError:
                    continue
                self._send(sock, data, (self._group, self._port), interface)

    def _send(self, sock: socket.socket, data: bytes, address: tuple[str, int], label: str) -> None:
        try:
            sock.sendto(data, address)
            self._failed.discard(label)
        except OSError as e:  # one failing target never stops the others
            if label not in self._failed:
                self._failed.add(label)
                log.info("cannot send a LocalSend datagram via %s: %s", label, e.strerror)

    def _receive(self, sock: socket.socket) -> None:
        for _ in range(256):
            try:
                data, source = sock.recvfrom(MAX_DATAGRAM + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                log.debug("receive: %s", e)
                continue
            ip = normalise_address(str(source[0]))
            if not self._allow(ip) or not self._limiter.allow(ip, self._clock.monotonic()):
                continue
            try:
                announcement = parse_announcement(data)
            except BadMessage as e:
                log.debug("a bad LocalSend datagram from %s: %s", ip, e)
                continue
            self.heard.emit(Heard(ip, announcement))
