"""The presence worker: UDP announce/query/leave and the table of who is online (§2)."""

from __future__ import annotations

import logging
import random
import socket
import threading
from dataclasses import dataclass, replace

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.addresses import LIMITED_BROADCAST, AddressFilter, Target, interface_broadcasts
from lanchat.transports.lanchat.protocol.presence import (
    MAX_DATAGRAM,
    Datagram,
    Kind,
    PeerState,
    PresenceTable,
    Status,
    encode_datagram,
    parse_datagram,
)
from lanchat.transports.ratelimit import RateLimiter
from lanchat.transports.workers import WakeUp, Worker

log = logging.getLogger("lanchat.net.presence")

DEFAULT_PORT = 48484
ANNOUNCE_SECONDS = 5.0
JITTER = 0.2
QUERY_REPLY_SECONDS = 0.3
EXPIRE_CHECK_SECONDS = 1.0
TARGETS_REFRESH_SECONDS = 30.0


@dataclass(frozen=True)
class Profile:
    """What our announces say about us."""

    id: str
    name: str
    port: int  # our TCP port
    status: Status = Status.ONLINE
    group: str | None = None
    avatar: str | None = None


@dataclass(frozen=True)
class PresenceConfig:
    port: int = DEFAULT_PORT
    targets: tuple[Target, ...] = ()  # --target and --peer
    only_targets: bool = False
    bind_host: str = "0.0.0.0"


class PresenceWorker(Worker):
    """Owns the UDP socket: sends our presence, reports others' (docs/protocol.md §2)."""

    #: (PeerState, source_port) whenever a contact appears, changes or goes offline.
    peer_changed = Signal(PeerState, int)

    def __init__(
        self,
        profile: Profile,
        config: PresenceConfig,
        address_filter: AddressFilter,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._profile = profile
        self._config = config
        self._filter = address_filter
        self._clock = clock
        self._table = PresenceTable(profile.id)
        self._limiter = RateLimiter()
        self._seq = clock.now_ms()
        self._lock = threading.Lock()
        self._stopping = False
        self._announce_now = False
        self._remembered: list[tuple[PeerState, tuple[str, int]]] = []
        self._replies: list[tuple[float, tuple[str, int]]] = []  # (due, query source)
        self._sock: socket.socket | None = None
        self._wakeup = WakeUp()
        self._targets: list[tuple[str, int]] = []
        self._failed_targets: set[tuple[str, int]] = set()

    def bind(self) -> None:
        """Bind the shared presence port. Raises OSError when that fails."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            sock.bind((self._config.bind_host, self._config.port))
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        self._sock = sock

    # --- any thread ---------------------------------------------------------

    def set_profile(self, profile: Profile) -> None:
        """Change what we announce; an announce goes out at once."""
        with self._lock:
            self._profile = profile
            self._announce_now = True
        self._wakeup.wake()

    def remember(self, state: PeerState, source: tuple[str, int]) -> None:
        """A contact from earlier runs: unicast presence to its last source address."""
        with self._lock:
            self._remembered.append((state, source))
        self._wakeup.wake()

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.wake()

    # --- the worker thread --------------------------------------------------

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None, "bind() first"
        try:
            self._refresh_targets()
            now = self._clock.monotonic()
            self._send(Kind.QUERY)
            self._send(Kind.ANNOUNCE)
            next_announce = now + self._interval()
            next_expire = now + EXPIRE_CHECK_SECONDS
            next_refresh = now + TARGETS_REFRESH_SECONDS
            while not self._stopping:
                self._take_inputs()
                now = self._clock.monotonic()
                if self._announce_now or now >= next_announce:
                    self._announce_now = False
                    self._send(Kind.ANNOUNCE)
                    next_announce = now + self._interval()
                self._send_due_replies(now)
                if now >= next_expire:
                    for state in self._table.expire(now):
                        self.peer_changed.emit(state, 0)
                    next_expire = now + EXPIRE_CHECK_SECONDS
                if now >= next_refresh:
                    self._refresh_targets()
                    next_refresh = now + TARGETS_REFRESH_SECONDS
                due = [next_announce, next_expire] + [d for d, _ in self._replies]
                timeout = max(0.0, min(due) - self._clock.monotonic())
                if self._wakeup.wait(sock, timeout):
                    self._receive(sock)
            self._send(Kind.LEAVE)
        finally:
            sock.close()
            self._wakeup.close()

    def _interval(self) -> float:
        return ANNOUNCE_SECONDS * (1 + random.uniform(0, JITTER))

    def _take_inputs(self) -> None:
        with self._lock:
            remembered, self._remembered = self._remembered, []
        for state, source in remembered:
            if self._filter.allows(source[0]):
                self._table.remember(state, source)

    def _receive(self, sock: socket.socket) -> None:
        for _ in range(64):  # drain what is queued, but keep sending on time
            try:
                data, (ip, port) = sock.recvfrom(MAX_DATAGRAM + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:  # e.g. ICMP unreachable from an earlier send
                log.debug("presence receive: %s", e)
                continue
            now = self._clock.monotonic()
            if not self._filter.allows(ip) or not self._limiter.allow(ip, now):
                continue
            datagram = parse_datagram(data)
            if datagram is None:
                continue
            changed = self._table.receive(datagram, (ip, port), now)
            if changed is not None:
                self.peer_changed.emit(changed, port)
            if datagram.kind is Kind.QUERY and datagram.id != self._profile.id:
                delay = random.uniform(0, QUERY_REPLY_SECONDS)
                self._replies.append((now + delay, (ip, port)))

    def _send_due_replies(self, now: float) -> None:
        due = [source for when, source in self._replies if when <= now]
        if not due:
            return
        self._replies = [(w, s) for w, s in self._replies if w > now]
        self._send(Kind.ANNOUNCE, extra=due)

    def _refresh_targets(self) -> None:
        port = self._config.port
        hosts: list[tuple[str, int]] = []
        if not self._config.only_targets:
            hosts.append((LIMITED_BROADCAST, port))
            hosts += [(address, port) for address in interface_broadcasts()]
        for target in self._config.targets:
            resolved = target.resolve(port)
            if resolved is not None:
                hosts.append(resolved)
                self._filter.add(resolved[0])
        self._targets = list(dict.fromkeys(hosts))

    def _send(self, kind: Kind, extra: list[tuple[str, int]] | None = None) -> None:
        with self._lock:
            profile = self._profile
        self._seq += 1
        datagram = Datagram(kind, profile.id, profile.name, self._seq)
        if kind is Kind.ANNOUNCE:
            datagram = replace(
                datagram, port=profile.port, status=profile.status,
                group=profile.group, avatar=profile.avatar,
            )
        data = encode_datagram(datagram)
        targets = list(self._targets)
        if not self._config.only_targets:
            targets += self._table.sources()
        targets += extra or []
        assert self._sock is not None
        for target in dict.fromkeys(targets):
            try:
                self._sock.sendto(data, target)
                self._failed_targets.discard(target)
            except OSError as e:  # one failing target never stops the others
                if target not in self._failed_targets:
                    self._failed_targets.add(target)
                    log.info("cannot send presence to %s:%d: %s", target[0], target[1], e.strerror)

