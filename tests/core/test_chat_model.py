"""ChatModel: the newest page first, older pages on demand, live updates from the store."""

from __future__ import annotations

import pytest

from lanchat.clock import FakeClock
from lanchat.core.chat_model import ChatModel
from lanchat.core.contacts import Contact, ContactBook, Status
from lanchat.core.contacts_model import ChatKind, ContactsModel
from lanchat.core.history import HistoryStore, MessageRecord
from lanchat.core.rooms import EVERYONE_ROOM_ID

ME, BEN = "e" * 64, "b" * 64


@pytest.fixture
def store(tmp_path, qapp):
    store = HistoryStore(tmp_path / "history.sqlite3", FakeClock(), own_id=ME)
    store.open()
    yield store
    store.close()


def incoming(i: int, sender: str = BEN) -> MessageRecord:
    return MessageRecord(f"{i:032x}", sender, sender, "in", 1_800_000_000_000 + i * 1000, f"message {i}", "received")


def test_pages_load_newest_first_then_older(store, qtbot):
    for i in range(450):
        store.save_incoming(incoming(i))
    assert store.flush()
    model = ChatModel(store, BEN, page_size=200)
    assert model.rowCount() == 200
    assert model.record(0).text == "message 250" and model.record(199).text == "message 449"
    assert model.load_older() == 200
    assert model.record(0).text == "message 50"
    assert model.load_older() == 50
    assert not model.has_older
    assert model.load_older() == 0
    assert model.rowCount() == 450
    assert model.data(model.index(0), ChatModel.DayBreakRole) is True
    assert model.data(model.index(1), ChatModel.GroupStartRole) is False


def test_new_and_changed_entries_arrive_live(store, qtbot):
    model = ChatModel(store, BEN)
    store.save_incoming(incoming(1))
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert [r.mid for r in model.unread_incoming()] == [f"{1:032x}"]
    store.mark_seen_read(BEN)
    qtbot.waitUntil(lambda: model.record(0).state == "read", timeout=5000)
    assert model.unread_incoming() == []
    found = store.search("message 1")
    assert model.load_until(found[0].row_id) == 0


def test_contacts_model_counts_unread_and_previews(store, qtbot):
    book = ContactBook()
    model = ContactsModel(book, store, ME)
    assert [e.kind for e in model.entries()] == [ChatKind.EVERYONE]
    assert model.entries()[0].id == EVERYONE_ROOM_ID
    store.save_incoming(incoming(7))
    assert store.flush()
    book.add_remembered(Contact(BEN, "ben", None, None, Status.ONLINE))
    model.reload()
    qtbot.waitUntil(lambda: model.entry(BEN) is not None and model.entry(BEN).unread == 1, timeout=5000)
    assert model.entry(BEN).preview == "message 7"
    assert model.entry(BEN).online is False  # remembered contacts are offline until presence says so
