"""The presence worker: UDP announce/query/leave and the table of who is online (§2)."""

from __future__ import annotations

import logging
import random
import select
import socket
import sys
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
    Status,
    encode_datagram,
    parse_datagram,
)
from lanchat.transports.lanchat.protocol.presence_table import Candidate, PresenceTable
from lanchat.transports.ratelimit import RateLimiter
from lanchat.transports.workers import WakeUp, Worker

log = logging.getLogger("lanchat.net.presence")

DEFAULT_PORT = 48484
ANNOUNCE_SECONDS = 5.0
JITTER = 0.2
QUERY_REPLY_SECONDS = 0.3
#: (1.1) Queries are answered by broadcast at most once a second (coalesced, never dropped).
QUERY_BROADCAST_SECONDS = 1.0
#: Distinct query sources waiting for their unicast answer at once (more wait for the next broadcast).
MAX_PENDING_REPLIES = 256
EXPIRE_CHECK_SECONDS = 1.0
TARGETS_REFRESH_SECONDS = 30.0
#: (1.1) Room for a burst of 2,000 datagrams (a whole school leaving at once).
RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024
#: Datagrams taken per wake-up before timers are looked at again.
RECEIVE_BATCH = 512
#: After a batch, datagrams are left to gather this long (they wait in the 4 MiB buffer).
RECEIVE_HOLD_SECONDS = 0.05
#: Linux's SO_RCVBUFFORCE (not in Python's socket module): a buffer over rmem_max, for root.
_SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33 if sys.platform.startswith("linux") else None)


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
    #: (1.1) A known online contact was announced from another address: probe it before it moves.
    candidate_seen = Signal(Candidate)

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
        self._remembered: list[tuple[PeerState, tuple[str, int], float]] = []
        self._confirmed: list[Candidate] = []
        self._replies: dict[tuple[str, int], float] = {}  # query source -> when its unicast answer is due
        self._broadcast_due: float | None = None  # a query waits for a broadcast answer
        self._last_broadcast = float("-inf")
        self._sock: socket.socket | None = None
        self._wakeup = WakeUp()
        self._targets: list[tuple[str, int]] = []
        self._failed_targets: set[tuple[str, int]] = set()
        self.receive_buffer = 0  # bytes the kernel gave the socket

    def bind(self) -> None:
        """Bind the shared presence port. Raises OSError when that fails."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.receive_buffer = _grow_receive_buffer(sock)
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

    def remember(self, state: PeerState, source: tuple[str, int], heard: float | None = None) -> None:
        """A contact from earlier runs, last heard at `heard` (seconds since the epoch; None: never).

        Presence is unicast to its last source address while it was heard within 7 days.
        """
        with self._lock:
            self._remembered.append((state, source, float("-inf") if heard is None else heard))
        self._wakeup.wake()

    def confirm(self, candidate: Candidate) -> None:
        """(1.1) A TLS probe proved the candidate address: the contact moves there."""
        with self._lock:
            self._confirmed.append(candidate)
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
            self._send(Kind.QUERY, broadcast=True)
            self._send(Kind.ANNOUNCE, broadcast=True)
            next_announce = now + self._interval()
            next_expire = now + EXPIRE_CHECK_SECONDS
            next_refresh = now + TARGETS_REFRESH_SECONDS
            hold_until = now
            while not self._stopping:
                self._take_inputs()
                now = self._clock.monotonic()
                if self._announce_now or now >= next_announce:
                    self._announce_now = False
                    self._send(Kind.ANNOUNCE, broadcast=True)
                    next_announce = now + self._interval()
                self._send_due_replies(now)
                if now >= next_expire:
                    for state in self._table.expire(now):
                        self.peer_changed.emit(state, 0)
                    next_expire = now + EXPIRE_CHECK_SECONDS
                for candidate in self._table.take_candidates(now):
                    self.candidate_seen.emit(candidate)
                if now >= next_refresh:
                    self._refresh_targets()
                    next_refresh = now + TARGETS_REFRESH_SECONDS
                due = [next_announce, next_expire, *self._replies.values()]
                if self._broadcast_due is not None:
                    due.append(self._broadcast_due)
                timeout = max(0.0, min(due) - self._clock.monotonic())
                held = hold_until - self._clock.monotonic()
                if held > 0:
                    # Let datagrams gather in the socket's buffer for a moment: a batch every 50 ms costs
                    # far less than a wake-up per datagram when 2,000 peers announce (400 a second).
                    if select.select([self._wakeup], [], [], min(timeout, held))[0]:
                        self._wakeup.drain()
                    continue
                if self._wakeup.wait(sock, timeout):
                    self._receive(sock)
                    hold_until = self._clock.monotonic() + RECEIVE_HOLD_SECONDS
            self._send(Kind.LEAVE, broadcast=True)
        finally:
            sock.close()
            self._wakeup.close()

    def _interval(self) -> float:
        return ANNOUNCE_SECONDS * (1 + random.uniform(0, JITTER))

    def _take_inputs(self) -> None:
        with self._lock:
            remembered, self._remembered = self._remembered, []
            confirmed, self._confirmed = self._confirmed, []
        if remembered:
            # Wall time to this clock's monotonic time; the oldest go in first (each before the newer).
            offset = self._clock.monotonic() - self._clock.now()
            for state, source, heard in sorted(remembered, key=lambda r: r[2], reverse=True):
                if self._filter.allows(source[0]):
                    self._table.remember(state, source, heard + offset)
        now = self._clock.monotonic()
        for candidate in confirmed:
            moved = self._table.confirm(candidate, now)
            if moved is not None:
                log.info("contact %s moved to %s:%d (proven by TLS)", candidate.id[:8], *candidate.address)
                self.peer_changed.emit(moved, candidate.source[1])

    def _receive(self, sock: socket.socket) -> None:
        for _ in range(RECEIVE_BATCH):  # drain what is queued, but keep sending on time
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
                self._on_query((ip, port), now)

    def _on_query(self, source: tuple[str, int], now: float) -> None:
        """(1.1) One unicast answer to the asker after 0-300 ms; one coalesced broadcast at most each second."""
        delay = random.uniform(0, QUERY_REPLY_SECONDS)
        if source not in self._replies and len(self._replies) < MAX_PENDING_REPLIES:
            self._replies[source] = now + delay
        if self._broadcast_due is None:
            self._broadcast_due = max(now + delay, self._last_broadcast + QUERY_BROADCAST_SECONDS)

    def _send_due_replies(self, now: float) -> None:
        due = [source for source, when in self._replies.items() if when <= now]
        for source in due:
            del self._replies[source]
        if due:
            self._send(Kind.ANNOUNCE, extra=due)
        if self._broadcast_due is not None and self._broadcast_due <= now:
            self._send(Kind.ANNOUNCE, broadcast=True, unicast=False)

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

    def _send(
        self,
        kind: Kind,
        extra: list[tuple[str, int]] | None = None,
        broadcast: bool = False,
        unicast: bool = True,
    ) -> None:
        """Send one datagram (one `seq`) to `extra`, plus, with `broadcast`, the broadcast and configured
        targets, and then with `unicast` the remembered contacts (§2 targets)."""
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
        now = self._clock.monotonic()
        targets: list[tuple[str, int]] = []
        if broadcast:
            targets += self._targets
            self._last_broadcast = now
            self._broadcast_due = None  # every query so far is answered by this one
            if unicast and not self._config.only_targets:
                targets += self._table.sources(now)
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


def _grow_receive_buffer(sock: socket.socket) -> int:
    """(1.1) Ask for a 4 MiB receive buffer (forced where permitted); log and return what the kernel gave."""
    try:
        if _SO_RCVBUFFORCE is None:
            raise PermissionError("no SO_RCVBUFFORCE here")
        sock.setsockopt(socket.SOL_SOCKET, _SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES)
        how = "SO_RCVBUFFORCE"
    except OSError:  # not root: the kernel caps SO_RCVBUF at net.core.rmem_max
        how = "SO_RCVBUF"
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        except OSError as e:
            log.info("cannot grow the presence receive buffer: %s", e.strerror)
    size = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    log.info("presence receive buffer: %d KiB (asked %d KiB with %s)", size // 1024,
             RECEIVE_BUFFER_BYTES // 1024, how)
    return int(size)
