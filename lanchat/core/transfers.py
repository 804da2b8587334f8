"""Pictures and files: offers both ways, the accept policy, streaming, resume, cancel (§3.3–3.4).

`TransferService` lives on the main thread. Outgoing offers go on our
link to the contact; once accepted, a `TransferSendWorker` streams the
files (at most 8 at once, more wait). Incoming offers are checked, then
accepted, declined or left for a person to decide; their bytes arrive
through `IncomingFiles`. Every change is stored, so a cut transfer resumes
with the same tid when both sides are online again, even after a restart.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import ContactBook
from lanchat.core.history.records import FileRecord, TransferRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.incoming import FileFinished, IncomingFiles
from lanchat.core.links import PeerLinks
from lanchat.core.messaging import new_id
from lanchat.core.notices import Level, Notices
from lanchat.core.offer_files import collect_files, make_thumbnail
from lanchat.core.transfer_stats import TransferStats
from lanchat.transports.lanchat.net.connection import ConnectionWorker, LocalPeer
from lanchat.transports.lanchat.net.threads import WorkerThread
from lanchat.transports.lanchat.net.transfer import OutgoingFile, TransferSendWorker
from lanchat.transports.lanchat.protocol.frames import Accept, Cancel, Done, FileEntry, Frame, Offer, OfferKind, Reject, RejectReason, Room
from lanchat.transports.lanchat.protocol.offers import offer_problem

log = logging.getLogger("lanchat.core.transfers")

MAX_RUNNING = 8
MAX_PENDING_PER_SENDER = 256
BUSY_RETRY_MS = 2000
#: How long a sender waits before offering a cut transfer again (a `cancel`
#: from the receiver usually arrives first).
RESUME_DELAY_MS = 1500


@dataclass(frozen=True)
class TransferFile:
    path: str
    size: int
    saved_as: str | None = None
    sha256: str | None = None
    ok: bool | None = None


@dataclass(frozen=True)
class TransferView:
    """What the window and headless mode show of one transfer."""

    tid: str
    direction: str  # "in" | "out"
    peer: str
    kind: str
    files: tuple[TransferFile, ...]
    state: str  # offered accepted rejected progress done failed cancelled
    bytes_done: int
    total: int
    speed_bps: float = 0.0
    eta_s: float | None = None
    reason: str | None = None
    thumb: bytes | None = None
    room: str | None = None
    needs_decision: bool = False


@dataclass
class _Transfer:
    tid: str
    direction: str
    peer: str
    offer: Offer
    sources: list[Path] = field(default_factory=list)  # outgoing only
    state: str = "offered"
    have: list[int] = field(default_factory=list)
    results: dict[int, TransferFile] = field(default_factory=dict)
    reason: str | None = None
    needs_decision: bool = False
    answer_to: ConnectionWorker | None = None  # incoming: where the offer came from
    worker: WorkerThread | None = None  # outgoing: the streaming connection
    stats: TransferStats | None = None
    sent_base: int = 0  # outgoing: bytes the receiver held when the running connection began

    @property
    def total(self) -> int:
        return self.offer.total_size

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "rejected", "cancelled")


class TransferService(QObject):
    transfer_changed = Signal(object)  # TransferView
    _thumbnail_ready = Signal(str, object)  # tid, JPEG bytes or None (from a helper thread)

    def __init__(
        self,
        own_id: str,
        local: Callable[[], LocalPeer],
        store: HistoryStore,
        links: PeerLinks,
        contacts: ContactBook,
        incoming: IncomingFiles,
        notices: Notices,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._own_id = own_id
        self._local = local
        self._store = store
        self._links = links
        self._contacts = contacts
        self.incoming = incoming
        self._notices = notices
        self._clock = clock
        self.accept_policy = "ask"
        self.auto_accept_bytes = 25_000_000
        self._transfers: dict[str, _Transfer] = {}
        self._queue: deque[str] = deque()
        self._running: set[str] = set()
        links.link_up.connect(self._on_link_up)
        links.frame_received.connect(self._on_answer)
        incoming.progress.connect(self._on_incoming_progress)
        incoming.file_finished.connect(self._on_file_finished)
        incoming.connection_ended.connect(self._on_incoming_ended)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._start_queued)
        self._thumbnail_ready.connect(self._on_thumbnail_ready)
        self._stopped = False
        self._pending_cancels: dict[str, set[str]] = {}
        self._resume_soon: set[str] = set()
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.timeout.connect(self._resume_cut_transfers)

    # --- reading ------------------------------------------------------------

    def view(self, tid: str) -> TransferView | None:
        transfer = self._transfers.get(tid)
        return self._view(transfer) if transfer else None

    def transfers(self) -> list[TransferView]:
        return [self._view(t) for t in self._transfers.values()]

    def _view(self, t: _Transfer) -> TransferView:
        files = tuple(
            t.results.get(i, TransferFile(f.path, f.size)) for i, f in enumerate(t.offer.files)
        )
        done = sum(t.have) if t.have else 0
        if t.direction == "in" and (held := self.incoming.get(t.tid)) is not None:
            done = held.bytes_done
        elif t.stats is not None:  # sending: bytes streamed so far count too
            done = max(done, t.stats.done)
        stats = t.stats
        return TransferView(
            t.tid, t.direction, t.peer, t.offer.kind.value, files, t.state, done, t.total,
            stats.speed if stats else 0.0, stats.eta if stats else None, t.reason, t.offer.thumb,
            t.offer.room.id if t.offer.room else None, t.needs_decision,
        )

    def _changed(self, t: _Transfer) -> None:
        self.transfer_changed.emit(self._view(t))

    # --- sending ------------------------------------------------------------

    def offer(self, to: str, paths: list[Path], kind: str | None = None, room: Room | None = None) -> list[str]:
        """Offer files and folders to a contact; returns the tids (1000 files per offer).

        Raises:
            ValueError: a path cannot be read, or there is nothing to send.
        """
        groups = collect_files(paths)
        tids = []
        for group in groups:
            offer_kind = OfferKind(kind) if kind else (
                OfferKind.IMAGE if len(group) == 1 and _is_picture(group[0][1]) else OfferKind.FILES
            )
            if offer_kind is OfferKind.IMAGE and len(group) != 1:
                raise ValueError("a picture offer holds exactly one file")
            entries = tuple(FileEntry(rel, source.stat().st_size) for rel, source in group)
            offer = Offer(new_id(), offer_kind, entries, None, room)
            transfer = _Transfer(offer.tid, "out", to, offer, [source for _, source in group])
            self._transfers[offer.tid] = transfer
            tids.append(offer.tid)
            if offer_kind is OfferKind.IMAGE:  # the thumbnail is made off this thread first
                threading.Thread(
                    target=self._make_thumbnail, args=(offer.tid, group[0][1]), daemon=True
                ).start()
            else:
                self._send_offer(transfer)
        return tids

    def offer_image_data(self, to: str, data: bytes, folder: Path, room: Room | None = None) -> str:
        """Offer a picture given as bytes (e.g. pasted), kept in `folder` to be sent from."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"picture-{self._clock.now_ms()}.png"
        path.write_bytes(data)
        return self.offer(to, [path], OfferKind.IMAGE.value, room)[0]

    def _make_thumbnail(self, tid: str, source: Path) -> None:
        self._thumbnail_ready.emit(tid, make_thumbnail(source))

    @Slot(str, object)
    def _on_thumbnail_ready(self, tid: str, thumb: bytes | None) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(tid)
        if transfer is not None and not transfer.finished:
            transfer.offer = replace(transfer.offer, thumb=thumb)
            self._send_offer(transfer)

    def _send_offer(self, transfer: _Transfer) -> None:
        self._save(transfer)
        self._links.send(transfer.peer, transfer.offer)
        self._changed(transfer)

    def cancel(self, tid: str) -> None:
        """Cancel from our side; the other side is told."""
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.finished:
            return
        if not self._links.send(transfer.peer, Cancel(tid)):  # told once our link is up
            self._pending_cancels.setdefault(transfer.peer, set()).add(tid)
        self._end(transfer, "cancelled", "cancelled")
        if transfer.direction == "in":
            self.incoming.cancel(tid)
        elif transfer.worker is not None:
            transfer.worker.worker.stop()  # type: ignore[attr-defined]

    def retry(self, tid: str) -> None:
        """Send a failed outgoing transfer again: the files that did not arrive, same tid.

        Raises:
            KeyError: no such outgoing transfer, or it is not failed.
        """
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.direction != "out" or transfer.state != "failed":
            raise KeyError(tid)
        for i, result in list(transfer.results.items()):
            if not result.ok:
                del transfer.results[i]
        transfer.state, transfer.reason = "offered", None
        self._store.set_transfer_state(tid, "offered")
        self._links.send(transfer.peer, transfer.offer)
        self._changed(transfer)

    @Slot(str)
    def _on_link_up(self, peer_id: str) -> None:
        """Send waiting cancels; offer again what was not finished (the receiver answers with `have`)."""
        for tid in self._pending_cancels.pop(peer_id, set()):
            self._links.send(peer_id, Cancel(tid))
        for transfer in self._transfers.values():
            waiting = transfer.worker is None and transfer.tid not in self._queue
            if transfer.direction == "out" and transfer.peer == peer_id and not transfer.finished and waiting:
                self._links.send(peer_id, transfer.offer)

    @Slot(str, object)
    def _on_answer(self, peer_id: str, frame: Frame) -> None:
        tid = getattr(frame, "tid", None)
        transfer = self._transfers.get(tid) if isinstance(tid, str) else None
        if transfer is None or transfer.direction != "out" or transfer.peer != peer_id or transfer.finished:
            return
        if isinstance(frame, Reject):
            self._end(transfer, "rejected", frame.reason)
        elif isinstance(frame, Accept):
            if len(frame.have) != len(transfer.offer.files):
                self._end(transfer, "failed", "bad-accept")
                return
            transfer.have = [min(h, f.size) for h, f in zip(frame.have, transfer.offer.files, strict=True)]
            for i, f in enumerate(transfer.offer.files):
                if transfer.have[i] >= f.size:
                    transfer.results[i] = TransferFile(f.path, f.size, ok=True)
            transfer.state = "accepted"
            self._store.set_transfer_state(transfer.tid, "accepted")
            self._changed(transfer)
            if all(transfer.have[i] >= f.size for i, f in enumerate(transfer.offer.files)):
                self._end(transfer, "done", None)
            elif transfer.tid not in self._queue and transfer.worker is None:
                self._queue.append(transfer.tid)
                self._start_queued()

    @Slot()
    def _resume_cut_transfers(self) -> None:
        tids, self._resume_soon = self._resume_soon, set()
        for tid in tids:
            transfer = self._transfers.get(tid)
            waiting = transfer is not None and not transfer.finished and transfer.worker is None
            if waiting and transfer is not None and self._links.is_up(transfer.peer):
                self._links.send(transfer.peer, transfer.offer)  # else: _on_link_up offers it

    @Slot()
    def _start_queued(self) -> None:
        while self._queue and len(self._running) < MAX_RUNNING:
            transfer = self._transfers.get(self._queue.popleft())
            if transfer is None or transfer.finished:
                continue
            contact = self._contacts.get(transfer.peer)
            if contact is None or not contact.online or not contact.address or not contact.port:
                continue  # resumed by a new offer when the contact is back
            files = [
                OutgoingFile(i, transfer.sources[i], f.size, transfer.have[i])
                for i, f in enumerate(transfer.offer.files)
                if transfer.have[i] < f.size
            ]
            worker = TransferSendWorker(
                self._local(), (contact.address, contact.port), transfer.peer,
                transfer.tid, files, self._clock,
            )
            worker.progress.connect(self._on_send_progress)
            worker.file_done.connect(self._on_send_done)
            worker.closed.connect(self._on_send_closed)
            transfer.worker = WorkerThread(worker, f"lanchat-send-{transfer.tid[:8]}")
            transfer.sent_base = sum(transfer.have)  # what the receiver held when this connection began
            transfer.stats = TransferStats(transfer.total, transfer.sent_base)
            self._running.add(transfer.tid)
            transfer.state = "progress"
            self._changed(transfer)
            transfer.worker.start()

    @Slot(str, object)
    def _on_send_progress(self, tid: str, sent: int) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.stats is None:
            return
        transfer.stats.update(self._clock.monotonic(), transfer.sent_base + sent)
        self._changed(transfer)

    @Slot(str, object)
    def _on_send_done(self, tid: str, done: Done) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(tid)
        if transfer is None or not 0 <= done.i < len(transfer.offer.files):
            return
        entry = transfer.offer.files[done.i]
        transfer.results[done.i] = TransferFile(entry.path, entry.size, ok=done.ok)
        if done.ok:
            transfer.have[done.i] = entry.size
        self._store.finish_transfer_file(tid, done.i, done.ok, None, None)
        self._changed(transfer)

    @Slot(object, str, bool)
    def _on_send_closed(self, worker: TransferSendWorker, reason: str, mismatch: bool) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(worker.tid)
        self._running.discard(worker.tid)
        if transfer is None:
            return
        if transfer.worker is not None:
            transfer.worker.thread.wait(1000)
        transfer.worker = None
        if not transfer.finished:
            results = [transfer.results.get(i) for i in range(len(transfer.offer.files))]
            if all(r is not None and r.ok for r in results):
                self._end(transfer, "done", None)
            elif all(r is not None for r in results):
                self._end(transfer, "failed", "some files did not arrive intact")
            elif "busy" in reason:
                self._queue.append(transfer.tid)
                self._retry.start(BUSY_RETRY_MS)
            else:  # cut off: offered again soon (a cancel from the receiver may be on its way)
                transfer.state = "accepted"
                transfer.reason = reason
                self._changed(transfer)
                self._links.ensure(transfer.peer)
                self._resume_soon.add(transfer.tid)
                self._resume_timer.start(RESUME_DELAY_MS)
        self._start_queued()

    # --- receiving ----------------------------------------------------------

    @Slot(object, object)
    def on_request(self, worker: ConnectionWorker, frame: Frame) -> None:
        """An `offer` or `cancel` on a connection a peer opened to us."""
        if self._stopped:
            return  # a late signal from a worker that has stopped
        sender = worker.remote.id if worker.remote else None
        if sender is None:
            return
        if isinstance(frame, Offer):
            self._on_offer(worker, sender, frame)
        elif isinstance(frame, Cancel):
            transfer = self._transfers.get(frame.tid)
            if transfer is not None and transfer.peer == sender and not transfer.finished:
                self._end(transfer, "cancelled", "cancelled by the other side")
                if transfer.direction == "in":
                    self.incoming.cancel(frame.tid)
                elif transfer.worker is not None:
                    transfer.worker.worker.stop()  # type: ignore[attr-defined]

    def _on_offer(self, worker: ConnectionWorker, sender: str, offer: Offer) -> None:
        known = self._transfers.get(offer.tid)
        if known is not None and (known.direction != "in" or known.peer != sender):
            worker.send(Reject(offer.tid, RejectReason.BAD_OFFER))
            return
        if known is not None and known.state != "cancelled":
            if known.offer.files != offer.files or known.offer.kind != offer.kind:
                worker.send(Reject(offer.tid, RejectReason.BAD_OFFER))
            elif known.state == "rejected":
                worker.send(Reject(offer.tid, known.reason or RejectReason.DECLINED))
            elif known.needs_decision:
                known.answer_to = worker  # still waiting for a person
            else:  # resume (or a retry after a failure): answer at once with what we hold
                saved = {i: r.saved_as for i, r in known.results.items() if r.ok and r.saved_as}
                have = self.incoming.accept(offer.tid, sender, offer.files, saved)
                worker.send(Accept(offer.tid, tuple(have)))
                if not known.finished or known.state == "failed":
                    known.state, known.reason = "accepted", None
                    self._store.set_transfer_state(known.tid, "accepted")
                    self._changed(known)
            return
        if known is None and self._answer_from_history(worker, sender, offer):
            return
        problem = offer_problem(offer)
        if problem is not None:
            log.info("rejecting offer %s: %s", offer.tid, problem.detail)
            worker.send(Reject(offer.tid, problem.reason))
            return
        pending = sum(1 for t in self._transfers.values() if t.peer == sender and t.needs_decision)
        if pending >= MAX_PENDING_PER_SENDER:
            worker.send(Reject(offer.tid, RejectReason.BUSY))
            return
        transfer = _Transfer(offer.tid, "in", sender, offer, answer_to=worker)
        self._transfers[offer.tid] = transfer
        self._save(transfer)
        decision = self._policy(sender, offer)
        if decision is None:
            transfer.needs_decision = True
            self._changed(transfer)
        elif decision:
            self._changed(transfer)
            self.accept(offer.tid)
        else:
            self._changed(transfer)
            self.decline(offer.tid)

    def _answer_from_history(self, worker: ConnectionWorker, sender: str, offer: Offer) -> bool:
        """Answer an offer of a tid finished in an earlier run; False if it is new to us."""
        record = self._store.transfer(offer.tid)
        if record is None or record.state == "cancelled":
            return False
        same = record.peer == sender and record.direction == "in" and [
            (f.path, f.size) for f in record.files
        ] == [(f.path, f.size) for f in offer.files]
        if not same:
            worker.send(Reject(offer.tid, RejectReason.BAD_OFFER))
        elif record.state == "rejected":
            worker.send(Reject(offer.tid, record.reason or RejectReason.DECLINED))
        else:  # done or failed: what completed stays complete
            worker.send(Accept(offer.tid, tuple(f.size if f.ok else 0 for f in record.files)))
        return True

    def _policy(self, sender: str, offer: Offer) -> bool | None:
        """True accept, False decline, None ask a person."""
        if self.accept_policy == "auto":
            return True
        if self.accept_policy == "never":
            return False
        known = self._contacts.get(sender) is not None
        if known and offer.kind is OfferKind.IMAGE and offer.total_size <= self.auto_accept_bytes:
            return True
        return None

    def accept(self, tid: str) -> None:
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.direction != "in" or transfer.finished:
            raise KeyError(tid)
        needed = transfer.total
        if not self.incoming.free_space_ok(needed):
            self._answer(transfer, Reject(tid, RejectReason.NO_SPACE))
            self._end(transfer, "rejected", RejectReason.NO_SPACE)
            return
        try:
            have = self.incoming.accept(tid, transfer.peer, transfer.offer.files)
        except OSError as e:
            self._notices.post(Level.ERROR, "io-error", f"Cannot use the download folder: {e.strerror}.")
            self._answer(transfer, Reject(tid, RejectReason.NO_SPACE))
            self._end(transfer, "rejected", "io-error")
            return
        transfer.needs_decision = False
        transfer.state = "accepted"
        transfer.stats = TransferStats(transfer.total, sum(have))
        self._store.set_transfer_state(tid, "accepted")
        self._sync_results(transfer)
        self._answer(transfer, Accept(tid, tuple(have)))
        if self._complete(transfer):
            self._end(transfer, "done", None)
        else:
            self._changed(transfer)

    def decline(self, tid: str) -> None:
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.direction != "in" or transfer.finished:
            raise KeyError(tid)
        transfer.needs_decision = False
        self._answer(transfer, Reject(tid, RejectReason.DECLINED))
        self._end(transfer, "rejected", RejectReason.DECLINED)

    def _answer(self, transfer: _Transfer, frame: Frame) -> None:
        if transfer.answer_to is not None:
            transfer.answer_to.send(frame)  # if it closed meanwhile, the sender offers again

    @Slot(str, object)
    def _on_incoming_progress(self, tid: str, done: int) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.finished:
            return
        if transfer.stats is None:
            transfer.stats = TransferStats(transfer.total)
        transfer.stats.update(self._clock.monotonic(), done)
        transfer.state = "progress"
        self._changed(transfer)

    @Slot(object)
    def _on_file_finished(self, finished: FileFinished) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(finished.tid)
        if transfer is None:
            return
        self._store.finish_transfer_file(finished.tid, finished.index, finished.ok, finished.saved_as, finished.sha256)
        self._sync_results(transfer)
        if finished.reason in ("no-space", "io-error"):
            self._notices.post(
                Level.ERROR, finished.reason,
                f"Could not save {transfer.offer.files[finished.index].path}: "
                + ("the disk is full." if finished.reason == "no-space" else "the disk refused to write it."),
                transfer.peer,
            )
        if self._complete(transfer):
            self._end(transfer, "done", None)
        else:
            self._changed(transfer)

    @Slot(str)
    def _on_incoming_ended(self, tid: str) -> None:
        if self._stopped:
            return  # a late signal from a worker that has stopped
        transfer = self._transfers.get(tid)
        if transfer is None or transfer.finished:
            return
        held = self.incoming.get(tid)
        if held is not None:
            for i, f in enumerate(held.files):
                if f.ok is None:
                    self._store.update_transfer_progress(tid, i, f.have, str(f.partial))
        failed = [f.error for f in held.files if f.ok is None and f.error] if held else []
        if failed:
            self._end(transfer, "failed", failed[0])
            self.incoming.forget(tid)
        else:  # cut off: the sender offers again to resume
            transfer.state = "accepted"
            self._changed(transfer)

    def _sync_results(self, transfer: _Transfer) -> None:
        held = self.incoming.get(transfer.tid)
        if held is None:
            return
        for i, f in enumerate(held.files):
            if f.ok or f.error:
                transfer.results[i] = TransferFile(
                    f.path, f.size, str(f.saved_as) if f.saved_as else None, f.sha256,
                    bool(f.ok),
                )

    def _complete(self, transfer: _Transfer) -> bool:
        held = self.incoming.get(transfer.tid)
        return held is not None and held.complete

    # --- both ---------------------------------------------------------------

    def _end(self, transfer: _Transfer, state: str, reason: str | None) -> None:
        transfer.state, transfer.reason = state, reason
        transfer.needs_decision = False
        self._store.set_transfer_state(transfer.tid, state, reason)
        if transfer.tid in self._queue:
            self._queue.remove(transfer.tid)
        self._changed(transfer)

    def _save(self, transfer: _Transfer) -> None:
        offer = transfer.offer
        files = tuple(
            FileRecord(f.path, f.size, source=str(transfer.sources[i]) if transfer.sources else None)
            for i, f in enumerate(offer.files)
        )
        self._store.save_transfer(
            TransferRecord(
                transfer.tid, transfer.peer, transfer.direction, offer.kind.value, files,
                room=offer.room.id if offer.room else None, thumb=offer.thumb,
            )
        )

    def restore(self) -> None:
        """Pick up the unfinished transfers of earlier runs from history."""
        for record in self._store.unfinished_transfers():
            entries = tuple(FileEntry(f.path, f.size) for f in record.files)
            offer = Offer(record.tid, OfferKind(record.kind), entries, record.thumb)
            if record.direction == "out":
                sources = [Path(f.source) if f.source else Path() for f in record.files]
                transfer = _Transfer(record.tid, "out", record.peer, offer, sources, state=record.state)
                self._transfers[record.tid] = transfer
                self._links.ensure(record.peer)
            else:
                transfer = _Transfer(record.tid, "in", record.peer, offer, state=record.state)
                self._transfers[record.tid] = transfer
                if record.state == "offered":
                    transfer.needs_decision = True
                else:
                    saved = {i: f.saved_as for i, f in enumerate(record.files) if f.ok and f.saved_as}
                    self.incoming.accept(record.tid, record.peer, entries, saved)
                    self._sync_results(transfer)
            transfer.results.update(
                (i, replace(TransferFile(f.path, f.size), ok=f.ok, saved_as=f.saved_as, sha256=f.sha256))
                for i, f in enumerate(record.files) if f.ok is not None
            )

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()
        self._resume_timer.stop()
        for transfer in self._transfers.values():
            if transfer.worker is not None:
                transfer.worker.worker.stop()  # type: ignore[attr-defined]
        for transfer in list(self._transfers.values()):
            if transfer.worker is not None:
                transfer.worker.thread.quit()
                transfer.worker.thread.wait(1000)


def _is_picture(path: Path) -> bool:
    return path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
