"""ContactsModel at scale (issue 13): rows change in place, bursts are coalesced, nothing resets, selection survives.

A real HistoryStore (SQLite) and a QListView over the same proxy the window
uses; the Qt event loop runs (qtbot waits on the model's own signals).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QListView

from lanchat.clock import FakeClock
from lanchat.core.contacts import Contact, ContactBook, Status
from lanchat.core.contacts_model import ChatKind, ContactsModel
from lanchat.core.history import HistoryStore, MessageRecord
from lanchat.core.rooms import EVERYONE_ROOM_ID
from lanchat.ui.contacts_view import ChatsProxy

ME = "e" * 64


def pid(i: int) -> str:
    return f"{i:064x}"


def contact(i: int, online: bool = True, name: str | None = None) -> Contact:
    return Contact(pid(i), name or f"peer {i:04d}", f"127.0.{i // 250}.{i % 250 + 1}", 40000,
                   Status.ONLINE if online else None)


@pytest.fixture
def store(tmp_path, qapp):
    store = HistoryStore(tmp_path / "history.sqlite3", FakeClock(), own_id=ME)
    store.open()
    yield store
    store.close()


class Recorder:
    """Counts the structural signals a model sends."""

    def __init__(self, model: ContactsModel) -> None:
        self.resets = self.inserts = self.moves = self.removes = self.changes = 0
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._insert)
        model.rowsMoved.connect(self._move)
        model.rowsRemoved.connect(self._remove)
        model.dataChanged.connect(self._change)

    def _reset(self) -> None:
        self.resets += 1

    def _insert(self, *args: object) -> None:
        self.inserts += 1

    def _move(self, *args: object) -> None:
        self.moves += 1

    def _remove(self, *args: object) -> None:
        self.removes += 1

    def _change(self, *args: object) -> None:
        self.changes += 1


def ids_of(model: ContactsModel) -> list[str]:
    return [e.id for e in model.entries()]


def check_sorted(model: ContactsModel) -> None:
    entries = model.entries()
    kinds = [e.kind for e in entries]
    assert kinds[0] == ChatKind.EVERYONE
    contacts = [e for e in entries if e.kind == ChatKind.CONTACT]
    keys = [(not e.online, e.name.casefold(), e.id) for e in contacts]
    assert keys == sorted(keys)
    for row, entry in enumerate(entries):
        assert model.row_of(entry.id) == row


def test_arrivals_are_coalesced_and_inserted_in_place_keeping_the_selection(store, qtbot):
    book = ContactBook()
    model = ContactsModel(book, store, ME)
    proxy = ChatsProxy(model)
    view = QListView()
    view.setModel(proxy)
    recorder = Recorder(model)
    book.update(contact(1, name="mmm middle"))
    with qtbot.waitSignal(model.rowsInserted, timeout=2000):
        pass
    selected = proxy.mapFromSource(model.index(model.row_of(pid(1))))
    view.selectionModel().setCurrentIndex(selected, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    # 500 arrive at once: applied in one coalesced batch, row by row, never a reset
    for i in range(2, 502):
        book.update(contact(i))
    assert len(model.entries()) == 2  # nothing yet: coalesced for ~50 ms
    qtbot.waitUntil(lambda: len(model.entries()) == 502, timeout=2000)
    assert recorder.resets == 0 and recorder.inserts == 501
    check_sorted(model)
    current = view.selectionModel().currentIndex()
    assert current.data(ContactsModel.IdRole) == pid(1)
    assert [i.data(ContactsModel.IdRole) for i in view.selectionModel().selectedIndexes()] == [pid(1)]
    assert model.entries()[0].members == tuple(sorted(pid(i) for i in range(1, 502)))
    # a rename moves one row; a status change changes one row in place
    book.update(contact(300, name="aaa first"))
    book.update(Contact(pid(301), "peer 0301", "127.0.1.52", 40000, Status.AWAY))
    qtbot.waitUntil(lambda: model.entry(pid(300)).name == "aaa first", timeout=2000)
    assert recorder.moves == 1 and recorder.resets == 0
    assert model.row_of(pid(300)) == 1 and model.entry(pid(301)).contact.status == Status.AWAY
    check_sorted(model)
    assert view.selectionModel().currentIndex().data(ContactsModel.IdRole) == pid(1)


def test_offline_contacts_without_history_go_and_those_with_history_sink(store, qtbot):
    book = ContactBook()
    for i in (1, 2, 3):
        book.update(contact(i))
    store.save_incoming(MessageRecord("a" * 32, pid(2), pid(2), "in", 1, "hi", "received"))
    assert store.flush()
    model = ContactsModel(book, store, ME)
    recorder = Recorder(model)
    assert ids_of(model) == [EVERYONE_ROOM_ID, pid(1), pid(2), pid(3)]
    for i in (1, 2):
        book.update(contact(i, online=False))
    qtbot.waitUntil(lambda: model.entry(pid(1)) is None, timeout=2000)
    # peer 1 (no history) is not listed; peer 2 (a 1:1 message) is, under the online ones
    assert ids_of(model) == [EVERYONE_ROOM_ID, pid(3), pid(2)]
    assert model.entry(pid(2)).online is False and recorder.resets == 0
    assert recorder.removes == 1 and recorder.moves == 1
    # a room message does not count as history; a 1:1 message does
    book.update(contact(1))
    qtbot.waitUntil(lambda: model.entry(pid(1)) is not None, timeout=2000)
    store.save_outgoing(MessageRecord("b" * 32, pid(1), ME, "out", 2, "hello", "pending"), [pid(1)])
    qtbot.waitUntil(lambda: model.entry(pid(1)).preview.endswith("hello"), timeout=2000)
    book.update(contact(1, online=False))
    qtbot.waitUntil(lambda: model.entry(pid(1)) is not None and not model.entry(pid(1)).online, timeout=2000)
    assert recorder.resets == 0
    # a contact removed from the book leaves the list
    book.remove(pid(3))
    qtbot.waitUntil(lambda: model.entry(pid(3)) is None, timeout=2000)
    check_sorted(model)


def test_unread_counts_stay_right_through_moves(store, qtbot):
    book = ContactBook()
    model = ContactsModel(book, store, ME)
    for i in range(1, 20):
        book.update(contact(i))
    qtbot.waitUntil(lambda: len(model.entries()) == 20, timeout=2000)
    for n in range(3):
        store.save_incoming(MessageRecord(f"{n + 1:032x}", pid(5), pid(5), "in", 1, "hey", "received"))
    qtbot.waitUntil(lambda: model.total_unread() == 3, timeout=2000)
    book.update(contact(5, name="zzz last"))
    qtbot.waitUntil(lambda: model.entry(pid(5)).name == "zzz last", timeout=2000)
    assert model.total_unread() == 3 and model.entry(pid(5)).unread == 3
    store.mark_seen_read(pid(5))
    qtbot.waitUntil(lambda: model.total_unread() == 0, timeout=2000)
    check_sorted(model)
