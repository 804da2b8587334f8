"""Our own chat connections to lanchat contacts: opened when needed, a bounded number at a time.

A peer talks to another only on the connection it opened (docs/protocol.md §3.2),
so every request we make goes through the link this service keeps per
contact; answers come back as `frame_received`.

Bounds, so that Everyone to 2,000 contacts neither starts 2,000 threads nor
hammers dead addresses:

- at most `MAX_OPENING` (32) links are being opened (connect, TLS, hello)
  at a time; the other contacts wait in a queue, in the order asked;
- past `MAX_LINKS` open links, a link with nothing awaiting an answer is
  closed to make room for a waiting contact (least recently used first);
  a link idle for `IDLE_CLOSE_SECONDS` closes anyway;
- a link that failed is retried with backoff only while the contact is
  online; an offline contact is not retried at all, and its link is opened
  again when presence sees it come back.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.lanchat.net.connection import Closure, ConnectionWorker, LocalPeer, RemotePeer, client_worker
from lanchat.transports.lanchat.protocol.frames import Accept, Ack, Error, Frame, Msg, Offer, Purpose, Reject
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.net.links")

BACKOFF_START_MS = 500
BACKOFF_MAX_MS = 30_000
#: Links being opened at once (a fan-out waits for a free slot).
MAX_OPENING = 32
#: Open links at once while others wait: past it, links with nothing outstanding close for them.
MAX_LINKS = 64
#: A link with nothing outstanding and no traffic for this long closes.
IDLE_CLOSE_SECONDS = 60.0
SWEEP_MS = 1000


@dataclass
class _Link:
    thread: WorkerThread[ConnectionWorker]
    used: float  # when a frame last went out or came in
    up: bool = False
    closing: bool = False
    awaiting: set[str] = field(default_factory=set)  # mids and tids sent and not answered yet

    @property
    def idle(self) -> bool:
        return self.up and not self.closing and not self.awaiting


class PeerLinks(QObject):
    """One outgoing chat connection per contact we have something to say to."""

    #: peer id: the link is up (resend what is unacked).
    link_up = Signal(str)
    #: (peer id, Frame) an answer on our link.
    frame_received = Signal(str, object)  # Frame, or AvatarImage
    #: (peer id, how our link to it ended)
    link_down = Signal(str, Closure)

    def __init__(
        self,
        local: Callable[[], LocalPeer],
        address_of: Callable[[str], tuple[str, int] | None],
        allow: Callable[[str], bool],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`address_of(peer)` is the (IP, TCP port) of an online contact, else None."""
        super().__init__()
        self._local = local
        self._address_of = address_of
        self._allow = allow
        self._clock = clock
        self._links: dict[str, _Link] = {}
        self._queue: OrderedDict[str, None] = OrderedDict()  # contacts waiting for a link slot
        self._wanted: set[str] = set()
        self._backoff: dict[str, int] = {}
        self._retry_timers: dict[str, QTimer] = {}
        self._stopping = False
        self._sweeper = QTimer(self)
        self._sweeper.setInterval(SWEEP_MS)
        self._sweeper.timeout.connect(self._sweep)
        #: Links ever opened (for tests and benchmarks: a fan-out's cost).
        self.opened = 0

    def is_up(self, peer_id: str) -> bool:
        link = self._links.get(peer_id)
        return link is not None and link.up

    def counts(self) -> tuple[int, int, int]:
        """(links open, links being opened, contacts waiting for a slot)."""
        opening = sum(1 for link in self._links.values() if not link.up)
        return len(self._links), opening, len(self._queue)

    def ensure(self, peer_id: str) -> None:
        """Open a link to `peer_id` if there is none and it is online (as soon as a slot is free)."""
        self._wanted.add(peer_id)
        if peer_id in self._links or peer_id in self._queue or self._stopping:
            return
        if self._address_of(peer_id) is None:
            return  # offline: presence says when it is back (on_presence)
        self._queue[peer_id] = None
        self._pump()

    def send(self, peer_id: str, frame: Frame) -> bool:
        """Send on the link if it is up; else make sure one is being opened. True if sent."""
        link = self._links.get(peer_id)
        if link is not None and link.up and not link.closing:
            if isinstance(frame, Msg):
                link.awaiting.add(frame.mid)
            elif isinstance(frame, Offer):
                link.awaiting.add(frame.tid)
            link.used = self._clock.monotonic()
            link.thread.worker.send(frame)
            return True
        self.ensure(peer_id)
        return False

    def drop(self, peer_id: str) -> None:
        """Close the link to `peer_id` (it will not be reopened until asked)."""
        self._wanted.discard(peer_id)
        self._queue.pop(peer_id, None)
        link = self._links.get(peer_id)
        if link is not None:
            link.closing = True
            link.thread.worker.stop()

    def stop(self, timeout_ms: int = 1000) -> None:
        self._stopping = True
        self._sweeper.stop()
        self._queue.clear()
        for timer in self._retry_timers.values():
            timer.stop()
        links = list(self._links.values())
        for link in links:
            link.thread.worker.stop()
        for link in links:
            link.thread.thread.quit()
            link.thread.thread.wait(timeout_ms)

    def on_presence(self, peer_id: str, online: bool) -> None:
        """A contact came online (connect now if we want to) or went offline (stop trying)."""
        if online:
            if peer_id in self._wanted and peer_id not in self._links:
                self._backoff.pop(peer_id, None)
                self.ensure(peer_id)
            return
        self._queue.pop(peer_id, None)
        timer = self._retry_timers.pop(peer_id, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    # --- opening, a bounded number at a time ----------------------------------------

    def _pump(self) -> None:
        """Open links for waiting contacts while slots are free."""
        while self._queue and not self._stopping:
            opening = sum(1 for link in self._links.values() if not link.up)
            if opening >= MAX_OPENING:
                return
            active = sum(1 for link in self._links.values() if not link.closing)
            if active >= MAX_LINKS:
                self._close_idle(active - MAX_LINKS + 1)
            peer_id, _ = self._queue.popitem(last=False)
            if peer_id not in self._wanted or peer_id in self._links:
                continue
            address = self._address_of(peer_id)
            if address is None:
                continue  # went offline while it waited
            if not self._allow(address[0]):
                log.info("not connecting to %s: address %s is not allowed", peer_id[:8], address[0])
                continue
            self._open(peer_id, address)

    def _open(self, peer_id: str, address: tuple[str, int]) -> None:
        worker = client_worker(self._local(), address, peer_id, Purpose.CHAT, self._clock)
        worker.established.connect(self._on_established)
        worker.frame_received.connect(self._on_frame)
        worker.closed.connect(self._on_closed)
        thread = WorkerThread(worker, f"lanchat-link-{peer_id[:8]}")
        self._links[peer_id] = _Link(thread, self._clock.monotonic())
        self.opened += 1
        if not self._sweeper.isActive():
            self._sweeper.start()
        thread.start()

    def _close_idle(self, count: int) -> None:
        """Close up to `count` links with nothing outstanding, least recently used first."""
        idle = sorted((link.used, peer_id) for peer_id, link in self._links.items() if link.idle)
        for _used, peer_id in idle[:count]:
            self._close(peer_id)

    def _close(self, peer_id: str) -> None:
        link = self._links[peer_id]
        link.closing = True
        self._wanted.discard(peer_id)  # nothing to say: reopened when something comes
        link.thread.worker.stop()

    @Slot()
    def _sweep(self) -> None:
        """Close links idle for a while; more when contacts wait for a slot."""
        now = self._clock.monotonic()
        for peer_id, link in list(self._links.items()):
            if link.idle and now - link.used > IDLE_CLOSE_SECONDS:
                log.debug("closing the idle link to %s", peer_id[:8])
                self._close(peer_id)
        if self._queue:
            self._pump()
        if not self._links and not self._queue:
            self._sweeper.stop()

    # --- from the link threads -------------------------------------------------------

    @Slot(object, RemotePeer)
    def _on_established(self, worker: ConnectionWorker, remote: RemotePeer) -> None:
        link = self._links.get(remote.id)
        if link is None or link.thread.worker is not worker:
            return
        link.up = True
        link.used = self._clock.monotonic()
        self._backoff.pop(remote.id, None)
        self.link_up.emit(remote.id)
        self._pump()

    @Slot(object, object)
    def _on_frame(self, worker: ConnectionWorker, frame: Frame) -> None:
        peer_id = worker.remote.id if worker.remote else None
        if peer_id is None:
            return
        link = self._links.get(peer_id)
        if link is not None and link.thread.worker is worker:
            link.used = self._clock.monotonic()
            answered = _answered(frame)
            if answered is not None:
                link.awaiting.discard(answered)
        self.frame_received.emit(peer_id, frame)
        if self._queue and link is not None and link.idle:
            self._pump()  # a fan-out may take this link's place now

    @Slot(object, Closure)
    def _on_closed(self, worker: ConnectionWorker, closure: Closure) -> None:
        peer_id = next((p for p, link in self._links.items() if link.thread.worker is worker), None)
        if peer_id is None:
            return
        link = self._links.pop(peer_id)
        link.thread.thread.wait(1000)
        log.debug("link to %s closed: %s", peer_id[:8], closure.reason)
        self.link_down.emit(peer_id, closure)
        retry = (
            peer_id in self._wanted and not self._stopping and not closure.cert_mismatch
            and self._address_of(peer_id) is not None  # no retries to offline contacts
        )
        if retry:
            self._schedule_retry(peer_id)
        self._pump()

    def _schedule_retry(self, peer_id: str) -> None:
        delay = self._backoff.get(peer_id, BACKOFF_START_MS)
        self._backoff[peer_id] = min(delay * 2, BACKOFF_MAX_MS)
        timer = self._retry_timers.get(peer_id)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(self._retry_due)
            self._retry_timers[peer_id] = timer
        timer.start(delay)

    @Slot()
    def _retry_due(self) -> None:
        for peer_id, timer in list(self._retry_timers.items()):
            if timer.isActive():
                continue
            del self._retry_timers[peer_id]
            timer.deleteLater()
            if peer_id not in self._links and peer_id in self._wanted:
                self.ensure(peer_id)


def _answered(frame: object) -> str | None:
    """The mid or tid an answer frame settles."""
    if isinstance(frame, Ack):
        return frame.mid
    if isinstance(frame, (Accept, Reject)):
        return frame.tid
    if isinstance(frame, Error):
        return frame.mid or frame.tid
    return None
