"""Offers to us: checks, the accept policy, decisions, and the files arriving in the download folder."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history.records import Direction
from lanchat.core.notices import Level, Notices
from lanchat.core.transfers.book import TransferBook
from lanchat.core.transfers.download_folder import FileFinished, ReceiveProgress
from lanchat.core.transfers.offers import FileFailure, Offer, RejectReason, offer_problem
from lanchat.core.transfers.policy import AcceptPolicy, Decision
from lanchat.core.transfers.state import TransferEvent, TransferState
from lanchat.core.transfers.stats import TransferStats
from lanchat.core.transfers.transfer import Transfer, TransferFile, reject_reason
from lanchat.core.transfers.trust import Trust
from lanchat.core.transport import IncomingOffer, OfferReply

log = logging.getLogger("lanchat.core.receiving")

MAX_PENDING_PER_SENDER = 256


class Receiving(QObject):
    """The incoming half of `TransferService` (main thread)."""

    def __init__(self, book: TransferBook, trust: Trust, notices: Notices, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self._book = book
        self._downloads = book.downloads
        self._trust = trust
        self._notices = notices
        self._clock = clock
        self.policy = AcceptPolicy()

    # --- offers ---------------------------------------------------------------------

    def on_offer(self, incoming: IncomingOffer) -> None:
        sender, offer, reply = incoming.sender, incoming.offer, incoming.reply
        known = self._book.get(offer.tid)
        if known is not None and (known.direction is not Direction.IN or known.peer != sender):
            reply.reject(RejectReason.BAD_OFFER)
            return
        if known is not None and known.state is not TransferState.CANCELLED:
            self._offered_again(known, offer, reply)
            return
        if known is None and self._answer_from_history(sender, offer, reply):
            return
        problem = offer_problem(offer)
        if problem is not None:
            log.info("rejecting offer %s: %s", offer.tid, problem.detail)
            reply.reject(problem.reason)
            return
        pending = sum(1 for t in self._book.all() if t.peer == sender and t.needs_decision)
        if pending >= MAX_PENDING_PER_SENDER:
            reply.reject(RejectReason.BUSY)
            return
        transfer = Transfer(Direction.IN, sender, offer, reply=reply)
        self._book.add(transfer)
        self._book.save(transfer)
        decision = self.policy.decide(offer, self._trust.facts(sender))
        if decision is Decision.ASK:
            transfer.needs_decision = True
        self._book.announce(transfer)
        if decision in (Decision.ACCEPT, Decision.ACCEPT_PICTURE):
            self.accept(transfer, check_picture=decision is Decision.ACCEPT_PICTURE)
        elif decision is Decision.DECLINE:
            self.decline(transfer)

    def _offered_again(self, known: Transfer, offer: Offer, reply: OfferReply) -> None:
        """The sender offers a tid we know (it reconnected, resumes or retries)."""
        if known.offer.files != offer.files or known.offer.kind != offer.kind:
            reply.reject(RejectReason.BAD_OFFER)
        elif known.state is TransferState.REJECTED:
            reply.reject(reject_reason(known.reason))
        elif known.needs_decision:
            known.reply = reply  # still waiting for a person
        else:  # resume (or a retry after a failure): answer at once with what we hold
            saved = {i: r.saved_as for i, r in known.results.items() if r.ok and r.saved_as}
            have = self._downloads.accept(offer.tid, known.peer, offer.files, saved)
            reply.accept(tuple(have))
            self._book.move(known, TransferEvent.ACCEPT)

    def _answer_from_history(self, sender: str, offer: Offer, reply: OfferReply) -> bool:
        """Answer an offer of a tid finished in an earlier run; False if it is new to us."""
        record = self._book.store.transfer(offer.tid)
        if record is None or record.state == TransferState.CANCELLED:
            return False
        same = record.peer == sender and record.direction == Direction.IN and [
            (f.path, f.size) for f in record.files
        ] == [(f.path, f.size) for f in offer.files]
        if not same:
            reply.reject(RejectReason.BAD_OFFER)
        elif record.state == TransferState.REJECTED:
            reply.reject(reject_reason(record.reason))
        else:  # done or failed: what completed stays complete
            reply.accept(tuple(f.size if f.ok else 0 for f in record.files))
        return True

    # --- decisions ---------------------------------------------------------------------

    def accept(self, transfer: Transfer, check_picture: bool = False) -> bool:
        """Accept an offer (a person or the policy said yes); False when it cannot be accepted now.

        `check_picture`: taken without asking as a picture, so its bytes must decode as one.
        """
        if transfer.direction is not Direction.IN or transfer.state is not TransferState.OFFERED:
            return False
        if not self._downloads.free_space_ok(transfer.total):
            self._refuse(transfer, RejectReason.NO_SPACE, RejectReason.NO_SPACE)
            return True
        try:
            have = self._downloads.accept(transfer.tid, transfer.peer, transfer.offer.files,
                                          check_pictures=check_picture)
        except OSError as e:
            self._notices.post(Level.ERROR, "io-error", f"Cannot use the download folder: {e.strerror}.")
            self._refuse(transfer, RejectReason.NO_SPACE, "io-error")
            return True
        transfer.needs_decision = False
        transfer.stats = TransferStats(transfer.total, sum(have))
        self._sync_results(transfer)
        if transfer.reply is not None:
            transfer.reply.accept(tuple(have))
        if self._complete(transfer):
            transfer.move(TransferEvent.ACCEPT)
            self._book.move(transfer, TransferEvent.FINISH)
        else:
            self._book.move(transfer, TransferEvent.ACCEPT)
        return True

    def decline(self, transfer: Transfer) -> bool:
        if transfer.direction is not Direction.IN or transfer.state is not TransferState.OFFERED:
            return False
        self._refuse(transfer, RejectReason.DECLINED, RejectReason.DECLINED)
        return True

    def _refuse(self, transfer: Transfer, answer: RejectReason, reason: str) -> None:
        transfer.needs_decision = False
        if transfer.reply is not None:
            transfer.reply.reject(answer)  # if it is gone, the sender offers again and hears it then
        self._book.move(transfer, TransferEvent.REJECT, reason)

    def cancel(self, transfer: Transfer) -> None:
        """We, or the sender, cancelled: its connection closes and its partial files go."""
        self._downloads.cancel(transfer.tid)

    # --- bytes arriving ------------------------------------------------------------------

    def on_progress(self, progress: ReceiveProgress) -> None:
        transfer = self._book.get(progress.tid)
        if transfer is None or transfer.finished:
            return
        if transfer.stats is None:
            transfer.stats = TransferStats(transfer.total)
        transfer.stats.update(self._clock.monotonic(), progress.bytes_done)
        if not self._book.move(transfer, TransferEvent.START):
            self._book.announce_soon(transfer)  # with the files finishing: at most ten views a second

    def on_file_finished(self, finished: FileFinished) -> None:
        transfer = self._book.get(finished.tid)
        if transfer is None:
            return
        self._book.store.finish_transfer_file(
            finished.tid, finished.index, finished.ok, finished.saved_as, finished.sha256
        )
        shown = transfer.results.get(finished.index)
        self._sync_results(transfer, finished.index)
        if finished.reason is FileFailure.NOT_A_PICTURE:
            log.info("%s sent a picture that is none; its pictures will wait for a decision", transfer.peer)
            self._trust.mark_suspect(transfer.peer)
            self._notices.post(
                Level.WARNING, "not-a-picture",
                f"{transfer.offer.files[finished.index].path} is not the picture its name says; lanchat deleted it. "
                "Pictures from this contact now wait for you to accept them.", transfer.peer,
            )
        if finished.reason in (FileFailure.NO_SPACE, FileFailure.IO_ERROR):
            self._notices.post(
                Level.ERROR, finished.reason.value,
                f"Could not save {transfer.offer.files[finished.index].path}: "
                + ("the disk is full." if finished.reason is FileFailure.NO_SPACE
                   else "the disk refused to write it."),
                transfer.peer,
            )
        finishing = not transfer.finished and self._complete(transfer)
        if finishing:  # every file: the signals of the last ones may still be queued
            self._sync_results(transfer)
            if self._book.move(transfer, TransferEvent.FINISH):
                return
        if transfer.results.get(finished.index) != shown:  # (the signal of a file synced at the finish: not)
            self._book.announce_soon(transfer)  # files finish one by one: a few views a second

    def on_connection_ended(self, tid: str) -> None:
        transfer = self._book.get(tid)
        if transfer is None or transfer.finished:
            self._downloads.forget(tid)  # nothing more comes for it: its partial folder goes
            return
        held = self._downloads.held(tid)
        if held is not None:
            for i, f in enumerate(held.files):
                if f.ok is None:
                    self._book.store.update_transfer_progress(tid, i, f.have, f.partial)
        failed = [f.error for f in held.files if f.ok is None and f.error] if held else []
        if failed:
            self._book.move(transfer, TransferEvent.FAIL, failed[0])
            self._downloads.forget(tid)
        else:  # cut off: the sender offers again to resume
            self._book.move(transfer, TransferEvent.CUT)

    def _sync_results(self, transfer: Transfer, index: int | None = None) -> None:
        """What the download folder says of finished files, all of them or file `index`, into `results`."""
        if index is None:
            held = self._downloads.held(transfer.tid)
            files = list(enumerate(held.files)) if held is not None else []
        else:
            file = self._downloads.held_file(transfer.tid, index)
            files = [(index, file)] if file is not None else []
        for i, f in files:
            if f.ok or f.error:
                transfer.results[i] = TransferFile(f.path, f.size, f.saved_as, f.sha256, bool(f.ok))

    def _complete(self, transfer: Transfer) -> bool:
        return self._downloads.complete(transfer.tid)

    def restore(self, transfer: Transfer) -> None:
        """An unfinished incoming transfer of an earlier run: waits for a decision, or for the sender to resume."""
        self._book.add(transfer)
        if transfer.state is TransferState.OFFERED:
            transfer.needs_decision = True
        else:
            saved = {i: r.saved_as for i, r in transfer.results.items() if r.ok and r.saved_as}
            self._downloads.accept(transfer.tid, transfer.peer, transfer.offer.files, saved, resume=True)
            self._sync_results(transfer)
