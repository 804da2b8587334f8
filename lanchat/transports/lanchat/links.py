"""Our own chat connections to lanchat contacts: opened when needed, reconnected with backoff.

A peer talks to another only on the connection it opened (docs/protocol.md §3.2),
so every request we make goes through the link this service keeps per
contact; answers come back as `frame_received`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.lanchat.net.connection import Closure, ConnectionWorker, LocalPeer, RemotePeer, client_worker
from lanchat.transports.lanchat.protocol.frames import Frame, Purpose
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.net.links")

BACKOFF_START_MS = 500
BACKOFF_MAX_MS = 30_000


@dataclass
class _Link:
    thread: WorkerThread[ConnectionWorker]
    up: bool = False


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
        self._wanted: set[str] = set()
        self._backoff: dict[str, int] = {}
        self._retry_timers: dict[str, QTimer] = {}
        self._stopping = False

    def is_up(self, peer_id: str) -> bool:
        link = self._links.get(peer_id)
        return link is not None and link.up

    def ensure(self, peer_id: str) -> None:
        """Open a link to `peer_id` if there is none and it is online."""
        self._wanted.add(peer_id)
        if peer_id in self._links or self._stopping:
            return
        address = self._address_of(peer_id)
        if address is None:
            return
        if not self._allow(address[0]):
            log.info("not connecting to %s: address %s is not allowed", peer_id[:8], address[0])
            return
        worker = client_worker(self._local(), address, peer_id, Purpose.CHAT, self._clock)
        worker.established.connect(self._on_established)
        worker.frame_received.connect(self._on_frame)
        worker.closed.connect(self._on_closed)
        thread = WorkerThread(worker, f"lanchat-link-{peer_id[:8]}")
        self._links[peer_id] = _Link(thread)
        thread.start()

    def send(self, peer_id: str, frame: Frame) -> bool:
        """Send on the link if it is up; else make sure one is being opened. True if sent."""
        link = self._links.get(peer_id)
        if link is not None and link.up:
            link.thread.worker.send(frame)
            return True
        self.ensure(peer_id)
        return False

    def drop(self, peer_id: str) -> None:
        """Close the link to `peer_id` (it will not be reopened until asked)."""
        self._wanted.discard(peer_id)
        link = self._links.get(peer_id)
        if link is not None:
            link.thread.worker.stop()

    def stop(self, timeout_ms: int = 1000) -> None:
        self._stopping = True
        for timer in self._retry_timers.values():
            timer.stop()
        links = list(self._links.values())
        for link in links:
            link.thread.worker.stop()
        for link in links:
            link.thread.thread.quit()
            link.thread.thread.wait(timeout_ms)

    @Slot(object, RemotePeer)
    def _on_established(self, worker: ConnectionWorker, remote: RemotePeer) -> None:
        link = self._links.get(remote.id)
        if link is None or link.thread.worker is not worker:
            return
        link.up = True
        self._backoff.pop(remote.id, None)
        self.link_up.emit(remote.id)

    @Slot(object, object)
    def _on_frame(self, worker: ConnectionWorker, frame: Frame) -> None:
        peer_id = worker.remote.id if worker.remote else None
        if peer_id is not None:
            self.frame_received.emit(peer_id, frame)

    @Slot(object, Closure)
    def _on_closed(self, worker: ConnectionWorker, closure: Closure) -> None:
        peer_id = next((p for p, link in self._links.items() if link.thread.worker is worker), None)
        if peer_id is None:
            return
        link = self._links.pop(peer_id)
        link.thread.thread.wait(1000)
        log.debug("link to %s closed: %s", peer_id[:8], closure.reason)
        self.link_down.emit(peer_id, closure)
        if peer_id in self._wanted and not self._stopping and not closure.cert_mismatch:
            self._schedule_retry(peer_id)

    def _schedule_retry(self, peer_id: str) -> None:
        delay = self._backoff.get(peer_id, BACKOFF_START_MS)
        self._backoff[peer_id] = min(delay * 2, BACKOFF_MAX_MS)
        timer = self._retry_timers.get(peer_id)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(self._retry_due)
            timer.setProperty("peer", peer_id)
            self._retry_timers[peer_id] = timer
        timer.start(delay)

    @Slot()
    def _retry_due(self) -> None:
        for peer_id, timer in self._retry_timers.items():
            if not timer.isActive() and peer_id not in self._links and peer_id in self._wanted:
                self.ensure(peer_id)

    def on_presence(self, peer_id: str, online: bool) -> None:
        """A contact came online (connect now if we want to) or went offline (stop retrying)."""
        if online and peer_id in self._wanted and peer_id not in self._links:
            self._backoff.pop(peer_id, None)
            self.ensure(peer_id)
        elif not online:
            timer = self._retry_timers.get(peer_id)
            if timer is not None:
                timer.stop()
