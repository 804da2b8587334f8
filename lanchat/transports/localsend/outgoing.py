"""Our offers and messages to LocalSend devices (main thread): one `SendWorker` each, 8 at a time.

Outcomes, as docs/cli.md lists them: 204 → done (a message: delivered);
401 → rejected `pin-required`; 403 → rejected `declined`; 409 or 429 →
rejected `busy` (a message tries 3 times, 2 s apart, first); a certificate
that is not the announced one → failed `cert-mismatch`; anything else →
failed `io-error`. A message goes as one text/plain file whose `preview`
holds the text; a receiver that answers 200 gets the text as the body too.
"""

from __future__ import annotations

import logging
import mimetypes
import ssl
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.core.transfers.offers import Offer
from lanchat.core.transport import (
    Delivery,
    DeliveryFailure,
    FileSent,
    LinkFailure,
    OfferAnswer,
    OutgoingMessage,
    RemoteCancel,
    SendEnd,
    SendEnded,
    SendProgress,
)
from lanchat.transports.localsend.devices import Device
from lanchat.transports.localsend.net.sender import (
    Answered,
    FileResult,
    Finished,
    PlannedFile,
    Progress,
    SendPlan,
    SendWorker,
)
from lanchat.transports.localsend.protocol.device import DeviceInfo
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.localsend.outgoing")

MAX_RUNNING = 8
BUSY_TRIES = 3
BUSY_RETRY_MS = 2000
REJECTED = {401: "pin-required", 403: "declined", 409: "busy", 429: "busy"}


@dataclass
class _Job:
    peer: str
    plan: SendPlan
    message: OutgoingMessage | None = None
    sizes: tuple[int, ...] = ()
    tries: int = 1
    thread: WorkerThread[SendWorker] | None = None
    started: bool = False  # core said go (or had nothing to wait for)
    answered: bool = False
    session: str | None = None
    cancelled: bool = False
    accepted: tuple[int, ...] = field(default_factory=tuple)


class Outgoing(QObject):
    offer_answered = Signal(OfferAnswer)
    send_progress = Signal(SendProgress)
    file_sent = Signal(FileSent)
    send_ended = Signal(SendEnded)
    delivered = Signal(Delivery)
    delivery_failed = Signal(DeliveryFailure)
    link_failed = Signal(LinkFailure)
    remote_cancelled = Signal(RemoteCancel)

    def __init__(self, context: Callable[[], ssl.SSLContext], hash_files: bool = True) -> None:
        super().__init__()
        self._context = context
        self._hash_files = hash_files
        self._jobs: dict[str, _Job] = {}  # tid or mid ->
        self._waiting: deque[str] = deque()
        self._stopped = False

    def busy_with(self, key: str) -> bool:
        return key in self._jobs

    # --- from the transport ----------------------------------------------------------------

    def offer(self, peer: str, device: Device, me: DeviceInfo, offer: Offer, sources: list[str],
              pin: str | None) -> None:
        if offer.tid in self._jobs:
            return  # asked already: the answer comes
        files = tuple(
            PlannedFile(uuid.uuid4().hex, f.path, f.size, _mime(f.path), source=source)
            for f, source in zip(offer.files, sources, strict=True)
        )
        plan = SendPlan(offer.tid, device.address, device.info.port, device.info.https, device.fingerprint,
                        me, files, pin, self._hash_files)
        self._add(_Job(peer, plan, sizes=tuple(f.size for f in offer.files)))

    def send_text(self, peer: str, device: Device, me: DeviceInfo, message: OutgoingMessage,
                  pin: str | None) -> None:
        if message.mid in self._jobs:
            return
        data = message.text.encode("utf-8")
        text = PlannedFile(str(uuid.uuid4()), f"{uuid.uuid4()}.txt", len(data), "text/plain", data=data,
                           preview=message.text)
        plan = SendPlan(message.mid, device.address, device.info.port, device.info.https, device.fingerprint,
                        me, (text,), pin, True)
        self._add(_Job(peer, plan, message=message, started=True))

    def go(self, tid: str) -> None:
        """Core's start_sending: upload what was accepted."""
        job = self._jobs.get(tid)
        if job is not None and not job.started:
            job.started = True
            if job.thread is not None:
                job.thread.worker.go()

    def cancel(self, tid: str) -> bool:
        """We cancelled our offer; False when it is not ours."""
        job = self._jobs.get(tid)
        if job is None:
            return False
        job.cancelled = True
        if job.thread is not None:
            job.thread.worker.stop()
        else:
            self._jobs.pop(tid, None)
            self._waiting = deque(k for k in self._waiting if k != tid)
        return True

    def remote_cancel(self, address: str, session_id: str) -> None:
        """The receiver cancelled a session we send (`POST /cancel` to us)."""
        for key, job in list(self._jobs.items()):
            if job.session == session_id and job.plan.address == address and not job.cancelled:
                job.cancelled = True
                if job.thread is not None:
                    job.thread.worker.stop()
                self.remote_cancelled.emit(RemoteCancel(job.peer, key))

    def stop(self) -> None:
        self._stopped = True
        threads = [job.thread for job in self._jobs.values() if job.thread is not None]
        for thread in threads:
            thread.worker.stop()
        for thread in threads:
            thread.thread.wait(1000)
        self._jobs.clear()
        self._waiting.clear()

    # --- running ------------------------------------------------------------------------------

    def _add(self, job: _Job) -> None:
        self._jobs[job.plan.key] = job
        self._waiting.append(job.plan.key)
        self._start_waiting()

    def _start_waiting(self) -> None:
        running = sum(1 for job in self._jobs.values() if job.thread is not None)
        while self._waiting and running < MAX_RUNNING and not self._stopped:
            job = self._jobs.get(self._waiting.popleft())
            if job is None or job.thread is not None:
                continue
            worker = SendWorker(job.plan, self._context())
            worker.answered.connect(self._on_answered)
            worker.progress.connect(self._on_progress)
            worker.file_done.connect(self._on_file_done)
            worker.finished.connect(self._on_finished)
            job.thread = WorkerThread(worker, f"lanchat-localsend-send-{job.plan.key[:8]}")
            if job.started:
                worker.go()
            job.thread.start()
            running += 1

    @Slot(Answered)
    def _on_answered(self, answered: Answered) -> None:
        job = self._jobs.get(answered.key)
        if job is None or self._stopped or job.cancelled:
            return
        job.answered = True
        job.session = answered.session_id
        job.accepted = answered.accepted
        if answered.mismatch:
            self.link_failed.emit(LinkFailure(job.peer, answered.error, cert_mismatch=True))
        if job.message is not None:
            self._message_answered(job, answered)
            return
        tid = answered.key
        if answered.status == 200:
            self.offer_answered.emit(OfferAnswer(job.peer, tid, tuple(0 for _ in job.sizes)))
            for index in range(len(job.sizes)):
                if index not in answered.accepted:
                    self.file_sent.emit(FileSent(tid, index, False, "declined"))
            if not job.started and not job.cancelled and job.thread is not None:
                job.started = True  # core had nothing left to ask for (empty files): send them anyway
                job.thread.worker.go()
        elif answered.status == 204:
            self.offer_answered.emit(OfferAnswer(job.peer, tid, job.sizes))
        elif answered.status in REJECTED:
            self.offer_answered.emit(OfferAnswer(job.peer, tid, None, REJECTED[answered.status]))
        else:
            reason = "cert-mismatch" if answered.mismatch else "io-error"
            log.info("offer %s to %s failed: %s", tid, job.peer, answered.error or answered.status)
            self.offer_answered.emit(OfferAnswer(job.peer, tid, None, reason, failed=True))

    def _message_answered(self, job: _Job, answered: Answered) -> None:
        assert job.message is not None
        if answered.status == 200:
            return  # the text goes as the body too: its upload decides
        if answered.status == 204:
            self.delivered.emit(Delivery(job.peer, job.message.mid))
            return
        if answered.status in (409, 429) and job.tries < BUSY_TRIES:
            job.tries += 1
            QTimer.singleShot(BUSY_RETRY_MS, lambda key=job.plan.key: self._retry(key))
            job.answered = False
            return
        reason = REJECTED.get(answered.status) or ("cert-mismatch" if answered.mismatch else "io-error")
        self.delivery_failed.emit(DeliveryFailure(job.peer, job.message.mid, reason))

    def _retry(self, key: str) -> None:
        job = self._jobs.get(key)
        if job is None or self._stopped or job.thread is not None:
            return
        self._waiting.append(key)
        self._start_waiting()

    @Slot(Progress)
    def _on_progress(self, progress: Progress) -> None:
        job = self._jobs.get(progress.key)
        if job is not None and job.message is None and not self._stopped and not job.cancelled:
            self.send_progress.emit(SendProgress(progress.key, progress.sent))

    @Slot(FileResult)
    def _on_file_done(self, result: FileResult) -> None:
        job = self._jobs.get(result.key)
        if job is None or self._stopped or job.cancelled:
            return
        if job.message is not None:
            if result.status == 200:
                self.delivered.emit(Delivery(job.peer, job.message.mid))
            else:
                self.delivery_failed.emit(DeliveryFailure(job.peer, job.message.mid, "io-error"))
            return
        reason = None if result.status == 200 else ("hash-mismatch" if result.status == 422 else "io-error")
        if reason is not None:
            log.info("file %d of %s: %s", result.index, result.key, result.error or f"answered {result.status}")
        self.file_sent.emit(FileSent(result.key, result.index, result.status == 200, reason))

    @Slot(Finished)
    def _on_finished(self, finished: Finished) -> None:
        job = self._jobs.get(finished.key)
        if job is None or self._stopped:
            return
        if job.thread is not None:
            job.thread.thread.wait(1000)
            job.thread = None
        retrying = job.message is not None and not job.answered and not job.cancelled
        if retrying:
            return  # _retry starts it again
        del self._jobs[finished.key]
        if job.message is None and job.started and job.answered:
            end = SendEnd.STOPPED if finished.stopped or job.cancelled else SendEnd.ANSWERED
            self.send_ended.emit(SendEnded(finished.key, end))
        self._start_waiting()


def _mime(path: str) -> str:
    return mimetypes.guess_type(path, strict=False)[0] or "application/octet-stream"
