"""Our offers: making them, the receiver's answers, streaming through the transport, retry and resume."""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history.records import Direction
from lanchat.core.ids import new_id
from lanchat.core.private_files import private_folder, write_private
from lanchat.core.rooms import Room
from lanchat.core.transfers.book import TransferBook
from lanchat.core.transfers.offer_files import collect_files, make_thumbnail
from lanchat.core.transfers.offers import Album, Offer, OfferedFile, OfferKind
from lanchat.core.transfers.outgoing_pictures import readable_name
from lanchat.core.transfers.paths import free_name
from lanchat.core.transfers.pictures import PICTURE_SUFFIXES
from lanchat.core.transfers.state import TransferEvent
from lanchat.core.transfers.stats import TransferStats
from lanchat.core.transfers.transfer import Transfer, TransferFile
from lanchat.core.transport import (
    FileSent,
    OfferAnswer,
    OutgoingFile,
    SendEnd,
    SendEnded,
    SendProgress,
    Transport,
    Transports,
)

log = logging.getLogger("lanchat.core.sending")

#: How long a sender waits before offering a cut transfer again (a `cancel`
#: from the receiver usually arrives first).
RESUME_DELAY_MS = 1500


@dataclass(frozen=True)
class Thumbnail:
    tid: str
    jpeg: bytes | None


class Sending(QObject):
    """The outgoing half of `TransferService` (main thread)."""

    _thumbnail_ready = Signal(Thumbnail)  # from a helper thread

    def __init__(self, book: TransferBook, transports: Transports, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self._book = book
        self._transports = transports
        self._clock = clock
        self._thumbnail_ready.connect(self._on_thumbnail_ready)
        self._resume_soon: set[str] = set()
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.timeout.connect(self._resume_cut_transfers)
        self._stopped = False

    def _transport(self, peer: str) -> Transport:
        transport = self._transports.of(peer)
        if transport is None:
            raise ValueError(f"the network of {peer} is off")
        return transport

    # --- offering -----------------------------------------------------------------

    def offer(self, to: str, paths: list[Path], kind: OfferKind | None = None, room: Room | None = None) -> list[str]:
        """Offer files and folders to a contact; returns the tids (1000 files per offer).

        Raises:
            ValueError: a path cannot be read, there is nothing to send, or the contact's network is off.
        """
        self._transport(to)
        tids = []
        for group in collect_files(paths):
            offer_kind = kind or (
                OfferKind.IMAGE if len(group) == 1 and group[0][1].suffix.lower() in PICTURE_SUFFIXES
                else OfferKind.FILES
            )
            if offer_kind is OfferKind.IMAGE and len(group) != 1:
                raise ValueError("a picture offer holds exactly one file")
            entries = tuple(OfferedFile(rel, source.stat().st_size) for rel, source in group)
            offer = Offer(new_id(), offer_kind, entries, None, room)
            transfer = Transfer(Direction.OUT, to, offer, [str(source) for _, source in group])
            self._book.add(transfer)
            tids.append(offer.tid)
            if offer_kind is OfferKind.IMAGE:  # the thumbnail is made off this thread first
                threading.Thread(
                    target=self._make_thumbnail, args=(offer.tid, group[0][1]), daemon=True
                ).start()
            else:
                self._send_offer(transfer)
        return tids

    def offer_pictures(self, to: str, paths: list[Path], room: Room | None = None) -> list[str]:
        """Offer pictures, one `image` offer each; two or more go as one album. Returns the tids.

        Raises:
            ValueError: as for `offer`.
        """
        album = Album(new_id(), len(paths)) if len(paths) > 1 else None
        tids = []
        for path in paths:
            (group,) = collect_files([path])
            if len(group) != 1:
                raise ValueError(f"{path} is not one picture")
            rel, source = group[0]
            offer = Offer(new_id(), OfferKind.IMAGE, (OfferedFile(rel, source.stat().st_size),), None, room, album)
            self._book.add(Transfer(Direction.OUT, to, offer, [str(source)]))
            tids.append(offer.tid)
            threading.Thread(target=self._make_thumbnail, args=(offer.tid, source), daemon=True).start()
        return tids

    def offer_image_data(
        self, to: str, data: bytes, folder: Path, room: Room | None = None, name: str | None = None
    ) -> str:
        """Offer a picture given as bytes (pasted, captured), kept in `folder` to be sent from.

        `name` is the name it is offered under (default: `Picture <date> <time>.png`).
        """
        kept = private_folder(folder)
        wanted = name or readable_name("Picture", datetime.datetime.fromtimestamp(self._clock.now()))
        path = write_private(kept / free_name(wanted, lambda n: (kept / n).exists()), data)
        return self.offer(to, [path], OfferKind.IMAGE, room)[0]

    def _make_thumbnail(self, tid: str, source: Path) -> None:
        self._thumbnail_ready.emit(Thumbnail(tid, make_thumbnail(source)))

    @Slot(Thumbnail)
    def _on_thumbnail_ready(self, thumbnail: Thumbnail) -> None:
        if self._stopped:
            return  # a late signal from a helper that outlived us
        transfer = self._book.get(thumbnail.tid)
        if transfer is not None and not transfer.finished:
            transfer.offer = replace(transfer.offer, thumb=thumbnail.jpeg)
            self._send_offer(transfer)

    def _send_offer(self, transfer: Transfer) -> None:
        self._book.save(transfer)
        self._transport(transfer.peer).offer(transfer.peer, transfer.offer, transfer.sources)
        self._book.announce(transfer)

    def cancel(self, transfer: Transfer, reason: str = "cancelled") -> None:
        """Cancel from our side; the receiver is told (once it can be reached)."""
        if self._book.move(transfer, TransferEvent.CANCEL, reason):
            transfer.sending = False
            self._transport(transfer.peer).cancel(transfer.peer, transfer.tid)

    def retry(self, transfer: Transfer) -> bool:
        """Send a failed transfer again, same tid: the files that did not arrive. False if it cannot be."""
        if not self._book.move(transfer, TransferEvent.RETRY):
            return False
        for i, result in list(transfer.results.items()):
            if not result.ok:
                del transfer.results[i]
        self._transport(transfer.peer).offer(transfer.peer, transfer.offer, transfer.sources)
        return True

    # --- from the transport ---------------------------------------------------------

    def on_peer_ready(self, peer: str) -> None:
        """Offer again what was not finished (the receiver answers with what it holds)."""
        for transfer in self._book.all():
            if (transfer.direction is Direction.OUT and transfer.peer == peer and not transfer.finished
                    and not transfer.sending):
                self._transport(peer).offer(peer, transfer.offer, transfer.sources)

    def on_answer(self, answer: OfferAnswer) -> None:
        transfer = self._book.get(answer.tid)
        if transfer is None or transfer.direction is not Direction.OUT or transfer.peer != answer.peer:
            return
        if answer.have is None:
            self._book.move(transfer, TransferEvent.FAIL if answer.failed else TransferEvent.REJECT, answer.reason)
            return
        files = transfer.offer.files
        if len(answer.have) != len(files):
            self._book.move(transfer, TransferEvent.FAIL, "bad-accept")
            return
        if not self._book.move(transfer, TransferEvent.ACCEPT):
            return
        transfer.have = [min(h, f.size) for h, f in zip(answer.have, files, strict=True)]
        for i, f in enumerate(files):
            if transfer.have[i] >= f.size:
                transfer.results[i] = TransferFile(f.path, f.size, ok=True)
        if all(transfer.have[i] >= f.size for i, f in enumerate(files)):
            self._book.move(transfer, TransferEvent.FINISH)
        elif not transfer.sending:
            transfer.sending = True
            transfer.sent_base = sum(transfer.have)  # what the receiver held when streaming began
            transfer.stats = TransferStats(transfer.total, transfer.sent_base)
            outgoing = [
                OutgoingFile(i, transfer.sources[i], f.size, transfer.have[i])
                for i, f in enumerate(files) if transfer.have[i] < f.size
            ]
            self._transport(transfer.peer).start_sending(transfer.peer, transfer.tid, outgoing)

    def on_progress(self, progress: SendProgress) -> None:
        transfer = self._book.get(progress.tid)
        if transfer is None or transfer.stats is None or not transfer.sending:
            return
        transfer.stats.update(self._clock.monotonic(), transfer.sent_base + progress.sent)
        if not self._book.move(transfer, TransferEvent.START):
            self._book.announce_soon(transfer)  # with the files finishing: at most ten views a second

    def on_file_sent(self, sent: FileSent) -> None:
        transfer = self._book.get(sent.tid)
        if transfer is None or not 0 <= sent.index < len(transfer.offer.files):
            return
        entry = transfer.offer.files[sent.index]
        transfer.results[sent.index] = TransferFile(entry.path, entry.size, ok=sent.ok)
        if sent.ok:
            transfer.have[sent.index] = entry.size
        self._book.store.finish_transfer_file(sent.tid, sent.index, sent.ok, None, None)
        self._book.announce_soon(transfer)  # files finish one by one: a few views a second

    def on_send_ended(self, ended: SendEnded) -> None:
        transfer = self._book.get(ended.tid)
        if transfer is None:
            return
        transfer.sending = False
        if transfer.finished or ended.end is SendEnd.STOPPED:
            return
        results = [transfer.results.get(i) for i in range(len(transfer.offer.files))]
        if all(r is not None and r.ok for r in results):
            self._book.move(transfer, TransferEvent.FINISH)
        elif all(r is not None for r in results):
            self._book.move(transfer, TransferEvent.FAIL, "some files did not arrive intact")
        else:  # cut off: offered again soon (a cancel from the receiver may be on its way)
            self._book.move(transfer, TransferEvent.CUT, ended.reason)
            self._resume_soon.add(transfer.tid)
            self._resume_timer.start(RESUME_DELAY_MS)

    @Slot()
    def _resume_cut_transfers(self) -> None:
        tids, self._resume_soon = self._resume_soon, set()
        for tid in tids:
            transfer = self._book.get(tid)
            if transfer is not None and not transfer.finished and not transfer.sending:
                self._transport(transfer.peer).offer(transfer.peer, transfer.offer, transfer.sources)

    def restore(self, transfer: Transfer) -> None:
        """An unfinished outgoing transfer of an earlier run: offered again when its contact is reachable."""
        self._book.add(transfer)

    def stop(self) -> None:
        self._stopped = True
        self._resume_timer.stop()
