"""Streaming accepted offers to lanchat contacts: one transfer connection each, at most 8 at once.

A receiver runs at most 8 transfer connections and answers more with
`busy` (docs/protocol.md §5); a busy transfer waits here and tries again
after 2 s. Core hears `send_progress`, `file_sent` and `send_ended`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transport import FileSent, OutgoingFile, SendEnd, SendEnded, SendProgress
from lanchat.transports.lanchat.net.connection import Closure, LocalPeer
from lanchat.transports.lanchat.net.transfer import TransferSendWorker
from lanchat.transports.lanchat.protocol.errors import ErrorCode
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.net.sending")

MAX_RUNNING = 8
BUSY_RETRY_MS = 2000


@dataclass(frozen=True)
class _Job:
    peer: str
    tid: str
    files: tuple[OutgoingFile, ...]


class SendQueue(QObject):
    """Transfer connections waiting and running (main thread)."""

    progress = Signal(SendProgress)
    file_sent = Signal(FileSent)
    ended = Signal(SendEnded)

    def __init__(
        self,
        local: Callable[[], LocalPeer],
        address_of: Callable[[str], tuple[str, int] | None],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._local = local
        self._address_of = address_of
        self._clock = clock
        self._waiting: deque[_Job] = deque()
        self._running: dict[str, tuple[_Job, WorkerThread[TransferSendWorker]]] = {}
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._start_waiting)
        self._stopped = False

    def start(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        self._waiting.append(_Job(peer, tid, tuple(files)))
        self._start_waiting()

    def stop(self, peer: str, tid: str) -> None:
        """Stop streaming `tid` to `peer` (cancelled); `ended` says STOPPED."""
        for job in [j for j in self._waiting if (j.peer, j.tid) == (peer, tid)]:
            self._waiting.remove(job)
            self.ended.emit(SendEnded(tid, SendEnd.STOPPED, "cancelled"))
        running = self._running.get(tid)
        if running is not None and running[0].peer == peer:
            running[1].worker.stop()

    def stop_all(self) -> None:
        self._stopped = True
        self._retry.stop()
        threads = [thread for _, thread in self._running.values()]
        for thread in threads:
            thread.worker.stop()
        for thread in threads:
            thread.thread.quit()
            thread.thread.wait(1000)

    @Slot()
    def _start_waiting(self) -> None:
        while self._waiting and len(self._running) < MAX_RUNNING and not self._stopped:
            job = self._waiting.popleft()
            address = self._address_of(job.peer)
            if address is None:  # offline: offered again (and resumed) when it is back
                self.ended.emit(SendEnded(job.tid, SendEnd.CUT, "the contact is offline"))
                continue
            worker = TransferSendWorker(self._local(), address, job.peer, job.tid, list(job.files), self._clock)
            worker.progress.connect(self._on_progress)
            worker.file_done.connect(self._on_file_done)
            worker.closed.connect(self._on_closed)
            thread = WorkerThread(worker, f"lanchat-send-{job.tid[:8]}")
            self._running[job.tid] = (job, thread)
            thread.start()

    @Slot(SendProgress)
    def _on_progress(self, progress: SendProgress) -> None:
        if not self._stopped:
            self.progress.emit(progress)

    @Slot(FileSent)
    def _on_file_done(self, sent: FileSent) -> None:
        if not self._stopped:
            self.file_sent.emit(sent)

    @Slot(object, Closure)
    def _on_closed(self, worker: TransferSendWorker, closure: Closure) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        job, thread = self._running.pop(worker.tid, (None, None))
        if job is None or thread is None:
            return
        thread.thread.wait(1000)
        if closure.refused == ErrorCode.BUSY.value:
            self._waiting.append(job)
            self._retry.start(BUSY_RETRY_MS)
        elif worker.stopped_by_us:
            self.ended.emit(SendEnded(job.tid, SendEnd.STOPPED, closure.reason))
        elif worker.answered_all:
            self.ended.emit(SendEnded(job.tid, SendEnd.ANSWERED, closure.reason))
        else:
            self.ended.emit(SendEnded(job.tid, SendEnd.CUT, closure.reason))
        self._start_waiting()
