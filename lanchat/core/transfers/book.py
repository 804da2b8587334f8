"""The transfers of this run, shared by the sending and receiving halves: lookup, views, history."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history.records import Direction, FileRecord, TransferRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.state import TransferEvent, TransferState
from lanchat.core.transfers.transfer import Transfer, TransferView

#: A transfer is announced at most this often for its files finishing one by one.
ANNOUNCE_SECONDS = 0.1


class TransferBook(QObject):
    """Every transfer by tid; `changed` tells the window and headless mode what moved."""

    changed = Signal(TransferView)

    def __init__(self, store: HistoryStore, downloads: DownloadFolder, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.store = store
        self.downloads = downloads
        self._clock = clock
        self._transfers: dict[str, Transfer] = {}
        self._announced_at: dict[str, float] = {}
        self._announce_due: set[str] = set()  # changed since they were last announced; the timer tells
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.timeout.connect(self._announce_due_now)

    def get(self, tid: str) -> Transfer | None:
        return self._transfers.get(tid)

    def all(self) -> list[Transfer]:
        return list(self._transfers.values())

    def add(self, transfer: Transfer) -> None:
        self._transfers[transfer.tid] = transfer

    def view(self, t: Transfer) -> TransferView:
        files = t.shown_files()
        done = sum(t.have)
        if t.direction is Direction.IN and (held_bytes := self.downloads.bytes_held(t.tid)) is not None:
            done = held_bytes
        elif t.stats is not None:  # sending: bytes streamed so far count too
            done = max(done, t.stats.done)
        stats = t.stats
        return TransferView(
            t.tid, t.direction, t.peer, t.offer.kind, files, t.state, done, t.total,
            stats.speed if stats else 0.0, stats.eta if stats else None, t.reason, t.offer.thumb,
            t.offer.room.id if t.offer.room else None, t.needs_decision,
            t.offer.album.id if t.offer.album else None,
        )

    def announce(self, t: Transfer) -> None:
        """Tell listeners the transfer looks different now."""
        self._announce_due.discard(t.tid)
        self._announced_at[t.tid] = self._clock.monotonic()
        self.changed.emit(self.view(t))

    def announce_soon(self, t: Transfer) -> None:
        """Announce `t` now, or within `ANNOUNCE_SECONDS` when it was announced less than that ago.

        For changes that come in bursts, one file at a time: a folder of
        1,000 small files makes about ten views a second, not a thousand
        (a view holds every file, so one per file is quadratic).
        """
        wait = self._announced_at.get(t.tid, -ANNOUNCE_SECONDS) + ANNOUNCE_SECONDS - self._clock.monotonic()
        if wait <= 0:
            self.announce(t)
            return
        self._announce_due.add(t.tid)
        if not self._announce_timer.isActive():
            self._announce_timer.start(max(1, round(wait * 1000)))

    @Slot()
    def _announce_due_now(self) -> None:
        due, self._announce_due = self._announce_due, set()
        for tid in due:
            transfer = self._transfers.get(tid)
            if transfer is not None:
                self.announce(transfer)

    def move(self, t: Transfer, event: TransferEvent, reason: str | None = None) -> bool:
        """Move `t` by `event`, store the new state and announce it; False when the event does not apply."""
        if not t.move(event, reason):
            return False
        if t.state is not TransferState.PROGRESS:  # shown, not stored: history keeps `accepted`
            self.store.set_transfer_state(t.tid, t.state, t.reason)
        self.announce(t)
        return True

    def save(self, t: Transfer) -> None:
        """Store a new transfer (or its offer again, once its thumbnail is made)."""
        offer = t.offer
        files = tuple(
            FileRecord(f.path, f.size, source=t.sources[i] if t.sources else None)
            for i, f in enumerate(offer.files)
        )
        self.store.save_transfer(
            TransferRecord(
                t.tid, t.peer, t.direction, offer.kind, files,
                room=offer.room.id if offer.room else None, thumb=offer.thumb,
                album=offer.album.id if offer.album else None, album_n=offer.album.n if offer.album else None,
            )
        )
