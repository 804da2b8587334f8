"""The transfer book's announcements (core/transfers/book.py): files finishing one by one are coalesced.

A view holds every file of a transfer, so announcing one per finished file
of a 1,000-file folder is quadratic; `announce_soon` announces at most every
`ANNOUNCE_SECONDS` per transfer, and the last change always goes out.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Slot

from lanchat.clock import FakeClock
from lanchat.core.history.records import Direction
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.book import ANNOUNCE_SECONDS, TransferBook
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind
from lanchat.core.transfers.transfer import Transfer, TransferFile, TransferView

PEER = "b" * 64


class Announced(QObject):
    def __init__(self, book: TransferBook) -> None:
        super().__init__()
        self.views: list[TransferView] = []
        book.changed.connect(self.on_changed)

    @Slot(TransferView)
    def on_changed(self, view: TransferView) -> None:
        self.views.append(view)

    def of(self, tid: str) -> list[TransferView]:
        return [v for v in self.views if v.tid == tid]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def book(qapp, tmp_path, clock):
    store = HistoryStore(tmp_path / "history.sqlite3", clock)
    store.open()
    yield TransferBook(store, DownloadFolder(tmp_path / "downloads", clock), clock)
    store.close()


def outgoing(book: TransferBook, tid: str, files: int) -> Transfer:
    offer = Offer(tid, OfferKind.FILES, tuple(OfferedFile(f"f{i}", 10) for i in range(files)))
    transfer = Transfer(Direction.OUT, PEER, offer, [f"/src/f{i}" for i in range(files)], have=[0] * files)
    book.add(transfer)
    return transfer


def finish(transfer: Transfer, index: int) -> None:
    transfer.results[index] = TransferFile(f"f{index}", 10, ok=True)


def test_files_finishing_in_a_burst_make_one_view_now_and_one_with_the_last_of_them(book, clock, qtbot):
    announced = Announced(book)
    transfer = outgoing(book, "1" * 32, 50)
    for i in range(50):  # no time passes on the clock: a burst
        finish(transfer, i)
        book.announce_soon(transfer)
    assert [sum(bool(f.ok) for f in v.files) for v in announced.views] == [1]
    qtbot.waitUntil(lambda: len(announced.views) == 2, timeout=2000)  # the timer sends the rest
    assert all(f.ok for f in announced.views[-1].files)
    clock.advance(ANNOUNCE_SECONDS)
    book.announce_soon(transfer)  # long enough after the last one: at once
    assert len(announced.views) == 3


def test_an_announcement_made_now_takes_the_place_of_a_due_one(book, qtbot):
    announced = Announced(book)
    first, second = outgoing(book, "1" * 32, 2), outgoing(book, "2" * 32, 2)
    for transfer in (first, second):
        book.announce_soon(transfer)  # at once
        finish(transfer, 0)
        book.announce_soon(transfer)  # due
    finish(first, 1)
    book.announce(first)  # e.g. a state change: shows everything, the due one is not needed
    qtbot.waitUntil(lambda: len(announced.of(second.tid)) == 2, timeout=2000)  # the timer has fired
    assert len(announced.of(first.tid)) == 2
    assert all(f.ok for f in announced.of(first.tid)[-1].files)
