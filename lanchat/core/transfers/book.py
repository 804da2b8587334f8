"""The transfers of this run, shared by the sending and receiving halves: lookup, views, history."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lanchat.core.history.records import Direction, FileRecord, TransferRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.state import TransferEvent, TransferState
from lanchat.core.transfers.transfer import Transfer, TransferFile, TransferView


class TransferBook(QObject):
    """Every transfer by tid; `changed` tells the window and headless mode what moved."""

    changed = Signal(TransferView)

    def __init__(self, store: HistoryStore, downloads: DownloadFolder) -> None:
        super().__init__()
        self.store = store
        self.downloads = downloads
        self._transfers: dict[str, Transfer] = {}

    def get(self, tid: str) -> Transfer | None:
        return self._transfers.get(tid)

    def all(self) -> list[Transfer]:
        return list(self._transfers.values())

    def add(self, transfer: Transfer) -> None:
        self._transfers[transfer.tid] = transfer

    def view(self, t: Transfer) -> TransferView:
        files = tuple(t.results.get(i, TransferFile(f.path, f.size)) for i, f in enumerate(t.offer.files))
        done = sum(t.have)
        if t.direction is Direction.IN and (held := self.downloads.held(t.tid)) is not None:
            done = held.bytes_done
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
        self.changed.emit(self.view(t))

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
