"""Forgetting contacts (docs/protocol.md §4, issue 13): 4096 without history at most, the 30-day rule, across restarts.

Real SQLite files; the clock is a FakeClock, so 30 days pass in a call.
"""

from __future__ import annotations

from lanchat.clock import FakeClock
from lanchat.core.contacts import Contact, ContactBook, Status
from lanchat.core.history import ContactRecord, HistoryStore, MessageRecord
from lanchat.core.history.records import FileRecord, TransferRecord
from lanchat.core.history.retention import FORGET_AFTER_SECONDS, MAX_WITHOUT_HISTORY, ContactRetention

ME = "e" * 64
DAY = 24 * 3600.0


def pid(i: int) -> str:
    return f"{i:064x}"


class Profile:
    """One profile's history and contacts, opened and closed like a run of lanchat."""

    def __init__(self, path, clock: FakeClock, qtbot, limit: int = MAX_WITHOUT_HISTORY) -> None:
        self.path, self.clock, self.qtbot, self.limit = path, clock, qtbot, limit
        self.store: HistoryStore | None = None

    def start(self) -> tuple[ContactBook, ContactRetention, HistoryStore]:
        store = HistoryStore(self.path, self.clock, own_id=ME)
        store.open()
        self.store = store
        book = ContactBook()
        retention = ContactRetention(book, store, self.clock, self.limit)
        for record in retention.load():
            book.add_remembered(Contact(record.id, record.name, record.address, record.port, None))
        # the runtime stores every contact change (app.Runtime._on_contact_changed)
        book.changed.connect(lambda c: store.upsert_contact(ContactRecord(c.id, c.name, c.address, c.port)))
        return book, retention, store

    def stop(self) -> None:
        assert self.store is not None
        self.store.flush()
        self.store.close()


def online(i: int) -> Contact:
    return Contact(pid(i), f"peer {i}", "127.0.0.1", 40000, Status.ONLINE)


def offline(i: int) -> Contact:
    return Contact(pid(i), f"peer {i}", "127.0.0.1", 40000, None)


def test_nine_batches_of_500_churning_peers_stay_within_4096_before_and_after_a_restart(tmp_path, qapp, qtbot):
    clock = FakeClock()
    profile = Profile(tmp_path / "history.sqlite3", clock, qtbot)
    book, retention, store = profile.start()
    store.save_outgoing(MessageRecord("a" * 32, pid(7), ME, "out", 1, "hi", "pending"), [pid(7)])  # history
    for batch in range(9):
        for i in range(batch * 500 + 1, batch * 500 + 501):
            book.update(online(i))
        clock.advance(60)
        for i in range(batch * 500 + 1, batch * 500 + 501):
            book.update(offline(i))
        clock.advance(60)
        qtbot.waitUntil(lambda: book.has_history(pid(7)), timeout=5000)
        without = [c for c in book.all() if not book.has_history(c.id)]
        assert len(without) <= MAX_WITHOUT_HISTORY
    assert retention.count_without_history() == MAX_WITHOUT_HISTORY
    assert book.get(pid(7)) is not None  # with history: kept and not counted
    assert book.get(pid(1)) is None and book.get(pid(4500)) is not None  # the oldest went first
    assert store.flush()
    assert len(store.contacts()) == MAX_WITHOUT_HISTORY + 1
    profile.stop()
    # after a restart: the same
    book, retention, store = profile.start()
    assert len(book) == MAX_WITHOUT_HISTORY + 1 and len(store.contacts()) == MAX_WITHOUT_HISTORY + 1
    profile.stop()


def test_contacts_without_history_unheard_for_30_days_are_forgotten(tmp_path, qapp, qtbot):
    clock = FakeClock()
    profile = Profile(tmp_path / "history.sqlite3", clock, qtbot)
    book, retention, store = profile.start()
    store.save_transfer(TransferRecord("c" * 32, pid(3), "in", "files", (FileRecord("a.txt", 1),)))
    room = "f" * 32
    store.save_outgoing(MessageRecord("d" * 32, room, ME, "out", 1, "to a room", "pending", room=room), [pid(4)])
    for i in (1, 2, 3, 4):
        book.update(online(i))
        book.update(offline(i))
    qtbot.waitUntil(lambda: book.has_history(pid(3)), timeout=5000)
    clock.advance(FORGET_AFTER_SECONDS - DAY)
    book.update(online(2))  # heard again: the 30 days start again
    book.update(offline(2))
    clock.advance(2 * DAY)
    retention.forget_stale()
    # 1 and 4 (a room message is no history) are forgotten; 2 was heard lately; 3 has a transfer
    assert [c.id for c in book.all() if book.get(c.id)] == [pid(2), pid(3)]
    assert store.flush()
    assert sorted(r.id for r in store.contacts()) == [pid(2), pid(3)]
    profile.stop()
    # at the next start, 2 goes too once 30 days have passed
    clock.advance(FORGET_AFTER_SECONDS)
    book, retention, store = profile.start()
    assert [c.id for c in book.all()] == [pid(3)]
    assert store.flush() and [r.id for r in store.contacts()] == [pid(3)]
    profile.stop()


def test_online_contacts_are_never_forgotten(tmp_path, qapp, qtbot):
    clock = FakeClock()
    profile = Profile(tmp_path / "history.sqlite3", clock, qtbot, limit=3)
    book, retention, _store = profile.start()
    for i in range(1, 6):
        book.update(online(i))
    assert len(book) == 5  # over the cap, but all online
    book.update(offline(2))  # over the cap and offline: it goes at once
    assert book.get(pid(2)) is None and len(book) == 4
    clock.advance(FORGET_AFTER_SECONDS + 1)
    retention.forget_stale()
    assert len(book) == 4  # unheard for 30 days, but online
    book.update(offline(1))
    assert book.get(pid(1)) is None and len(book) == 3
    profile.stop()
