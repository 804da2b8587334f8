"""Pictures and files both ways, on every network: the one service the window and the command line use.

`TransferService` lives on the main thread. It hands offers to the
contact's transport (`Sending`), checks and decides the offers transports
report (`Receiving`, with the accept policy), and keeps every change in
history, so a cut transfer resumes with the same tid when both sides are
online again, even after a restart. Received bytes go to the
`DownloadFolder`, written by the transports' receiving threads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import ContactBook
from lanchat.core.history.records import Direction, TransferRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.notices import Notices
from lanchat.core.rooms import Room
from lanchat.core.settings import Settings
from lanchat.core.transfers.book import TransferBook
from lanchat.core.transfers.download_folder import DownloadFolder, FileFinished, ReceiveProgress
from lanchat.core.transfers.offers import Album, Offer, OfferedFile, OfferKind
from lanchat.core.transfers.policy import AcceptPolicy
from lanchat.core.transfers.receiving import Receiving
from lanchat.core.transfers.sending import Sending
from lanchat.core.transfers.state import TransferEvent, TransferState
from lanchat.core.transfers.transfer import Transfer, TransferFile, TransferView
from lanchat.core.transfers.trust import Trust
from lanchat.core.transport import (
    FileSent,
    IncomingOffer,
    OfferAnswer,
    RemoteCancel,
    SendEnded,
    SendProgress,
    Transports,
)

log = logging.getLogger("lanchat.core.transfers")

#: The reason of a transfer cancelled because nothing happened to it for 7 days.
EXPIRED = "expired"


class TransferService(QObject):
    """Every transfer of this run; `transfer_changed` says what moved."""

    transfer_changed = Signal(TransferView)

    def __init__(
        self,
        store: HistoryStore,
        transports: Transports,
        contacts: ContactBook,
        downloads: DownloadFolder,
        notices: Notices,
        settings: Settings,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.downloads = downloads
        self._transports = transports
        self._book = TransferBook(store, downloads, clock)
        self._book.changed.connect(self.transfer_changed)
        self._sending = Sending(self._book, transports, clock)
        self._receiving = Receiving(self._book, Trust(store, contacts, settings, clock), notices, clock)
        self._stopped = False
        for transport in transports.all():
            transport.peer_ready.connect(self._on_peer_ready)
            transport.offer_received.connect(self._on_offer)
            transport.offer_answered.connect(self._on_answer)
            transport.send_progress.connect(self._on_send_progress)
            transport.file_sent.connect(self._on_file_sent)
            transport.send_ended.connect(self._on_send_ended)
            transport.remote_cancelled.connect(self._on_remote_cancel)
        downloads.progress.connect(self._on_receive_progress)
        downloads.file_finished.connect(self._on_file_finished)
        downloads.connection_ended.connect(self._on_connection_ended)

    @property
    def policy(self) -> AcceptPolicy:
        return self._receiving.policy

    @policy.setter
    def policy(self, policy: AcceptPolicy) -> None:
        self._receiving.policy = policy

    # --- reading --------------------------------------------------------------------

    def view(self, tid: str) -> TransferView | None:
        transfer = self._book.get(tid)
        return self._book.view(transfer) if transfer else None

    def transfers(self) -> list[TransferView]:
        return [self._book.view(t) for t in self._book.all()]

    # --- what a person or a script asks ----------------------------------------------------

    def offer(self, to: str, paths: list[Path], kind: OfferKind | None = None, room: Room | None = None) -> list[str]:
        """Offer files and folders to a contact; returns the tids (1000 files per offer).

        Raises:
            ValueError: a path cannot be read, there is nothing to send, or the contact's network is off.
        """
        return self._sending.offer(to, paths, kind, room)

    def offer_pictures(self, to: str, paths: list[Path], room: Room | None = None) -> list[str]:
        """Offer pictures, one `image` offer each; two or more go as one album (1.1). Returns the tids.

        Raises:
            ValueError: as for `offer`.
        """
        return self._sending.offer_pictures(to, paths, room)

    def offer_image_data(
        self, to: str, data: bytes, folder: Path, room: Room | None = None, name: str | None = None
    ) -> str:
        """Offer a picture given as bytes (pasted, captured), kept in `folder` to be sent from under `name`."""
        return self._sending.offer_image_data(to, data, folder, room, name)

    def accept(self, tid: str) -> bool:
        """Accept an incoming offer; False when there is none waiting under `tid` (any more)."""
        transfer = self._book.get(tid)
        return transfer is not None and self._receiving.accept(transfer)

    def decline(self, tid: str) -> bool:
        transfer = self._book.get(tid)
        return transfer is not None and self._receiving.decline(transfer)

    def cancel(self, tid: str, reason: str = "cancelled") -> bool:
        """Cancel from our side, either direction; False when it has ended already."""
        transfer = self._book.get(tid)
        if transfer is None or transfer.finished:
            return False
        if transfer.direction is Direction.OUT:
            self._sending.cancel(transfer, reason)
        else:
            transport = self._transports.of(transfer.peer)
            self._book.move(transfer, TransferEvent.CANCEL, reason)
            if transport is not None:
                transport.cancel(transfer.peer, tid)
            self._receiving.cancel(transfer)
        return True

    def expire_stale(self) -> list[str]:
        """Cancel the transfers untouched for 7 days (partial files are kept that long); returns their tids."""
        return [r.tid for r in self._book.store.stale_transfers() if self.cancel(r.tid, EXPIRED)]

    def retry(self, tid: str) -> bool:
        """Send a failed outgoing transfer again; False when it is not one."""
        transfer = self._book.get(tid)
        return transfer is not None and transfer.direction is Direction.OUT and self._sending.retry(transfer)

    # --- from transports and the download folder ---------------------------------------------

    @Slot(str)
    def _on_peer_ready(self, peer: str) -> None:
        if not self._stopped:
            self._sending.on_peer_ready(peer)

    @Slot(IncomingOffer)
    def _on_offer(self, incoming: IncomingOffer) -> None:
        if not self._stopped:
            self._receiving.on_offer(incoming)

    @Slot(OfferAnswer)
    def _on_answer(self, answer: OfferAnswer) -> None:
        if not self._stopped:
            self._sending.on_answer(answer)

    @Slot(SendProgress)
    def _on_send_progress(self, progress: SendProgress) -> None:
        if not self._stopped:
            self._sending.on_progress(progress)

    @Slot(FileSent)
    def _on_file_sent(self, sent: FileSent) -> None:
        if not self._stopped:
            self._sending.on_file_sent(sent)

    @Slot(SendEnded)
    def _on_send_ended(self, ended: SendEnded) -> None:
        if not self._stopped:
            self._sending.on_send_ended(ended)

    @Slot(RemoteCancel)
    def _on_remote_cancel(self, cancel: RemoteCancel) -> None:
        transfer = self._book.get(cancel.tid)
        if self._stopped or transfer is None or transfer.peer != cancel.peer:
            return
        if self._book.move(transfer, TransferEvent.CANCEL, "cancelled by the other side"):
            transfer.sending = False
            if transfer.direction is Direction.IN:
                self._receiving.cancel(transfer)

    @Slot(ReceiveProgress)
    def _on_receive_progress(self, progress: ReceiveProgress) -> None:
        if not self._stopped:
            self._receiving.on_progress(progress)

    @Slot(FileFinished)
    def _on_file_finished(self, finished: FileFinished) -> None:
        if not self._stopped:
            self._receiving.on_file_finished(finished)

    @Slot(str)
    def _on_connection_ended(self, tid: str) -> None:
        if not self._stopped:
            self._receiving.on_connection_ended(tid)

    # --- start and stop ----------------------------------------------------------------

    def sources_in_use(self) -> set[Path]:
        """The local files outgoing transfers of this run may still send (unfinished, or failed: retry)."""
        return {
            Path(source)
            for t in self._book.all()
            if t.direction is Direction.OUT and (not t.finished or t.state is TransferState.FAILED)
            for source in t.sources if source
        }

    def restore(self) -> None:
        """Pick up the unfinished transfers of earlier runs from history."""
        for record in self._book.store.unfinished_transfers():
            transfer = _from_record(record)
            if record.direction == Direction.OUT:
                self._sending.restore(transfer)
                transport = self._transports.of(record.peer)
                if transport is not None:
                    transport.reach(record.peer)
            else:
                self._receiving.restore(transfer)

    def stop(self) -> None:
        """Ignore late signals from workers that have stopped."""
        self._stopped = True
        self._sending.stop()


def _from_record(record: TransferRecord) -> Transfer:
    album = Album(record.album, record.album_n or 1) if record.album else None
    offer = Offer(record.tid, OfferKind(record.kind), tuple(OfferedFile(f.path, f.size) for f in record.files),
                  record.thumb, album=album)
    sources = [f.source or "" for f in record.files] if record.direction == Direction.OUT else []
    transfer = Transfer(Direction(record.direction), record.peer, offer, sources, TransferState(record.state))
    transfer.results.update(
        (i, TransferFile(f.path, f.size, f.saved_as, f.sha256, f.ok))
        for i, f in enumerate(record.files) if f.ok is not None
    )
    return transfer
