"""Fixtures for the history store: a store on tmp_path with a FakeClock, and signal recorders."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot

from lanchat.clock import FakeClock
from lanchat.core.history import HistoryStore, MessageRecord

ME = "e" * 64
ANA = "a" * 64
BEN = "b" * 64
CHLOE = "c" * 64
ROOM = "f" * 32

_mids = itertools.count(1)


def new_mid() -> str:
    return f"{next(_mids):032x}"


class Recorder(QObject):
    """Collects every signal of a store, on the GUI thread."""

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.saved: list[object] = []
        self.added: list[MessageRecord] = []
        self.changed: list[object] = []
        self.transfers: list[str] = []
        self.errors: list[str] = []
        self.deleted: list[object] = []
        self.contacts = 0
        self.threads: set[int] = set()
        store.incoming_saved.connect(self.on_saved)
        store.message_added.connect(self.on_added)
        store.message_changed.connect(self.on_changed)
        store.transfer_changed.connect(self.on_transfer)
        store.error.connect(self.on_error)
        store.history_deleted.connect(self.on_deleted)
        store.contacts_changed.connect(self.on_contacts)

    @Slot(object)
    def on_saved(self, event: object) -> None:
        self.threads.add(threading.get_ident())
        self.saved.append(event)

    @Slot(object)
    def on_added(self, record: MessageRecord) -> None:
        self.added.append(record)

    @Slot(object)
    def on_changed(self, event: object) -> None:
        self.changed.append(event)

    @Slot(str)
    def on_transfer(self, tid: str) -> None:
        self.transfers.append(tid)

    @Slot(str)
    def on_error(self, sentence: str) -> None:
        self.errors.append(sentence)

    @Slot(object)
    def on_deleted(self, chat: object) -> None:
        self.deleted.append(chat)

    @Slot()
    def on_contacts(self) -> None:
        self.contacts += 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "history.sqlite3"


@pytest.fixture
def make_store(db_path: Path, clock: FakeClock, qtbot) -> Iterator[Callable[..., HistoryStore]]:
    """Open stores on db_path (closing them at the end); reopen by calling again."""
    stores: list[HistoryStore] = []

    def make(path: Path | None = None, **kwargs: object) -> HistoryStore:
        store = HistoryStore(path or db_path, clock, own_id=ME, **kwargs)  # type: ignore[arg-type]
        store.open()
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., HistoryStore]) -> HistoryStore:
    return make_store()


@pytest.fixture
def recorder(store: HistoryStore) -> Recorder:
    return Recorder(store)


class Helpers:
    """What the tests share (test modules cannot import conftest): ids and record makers."""

    ME = ME
    ANA = ANA
    BEN = BEN
    CHLOE = CHLOE
    ROOM = ROOM
    Recorder = Recorder
    new_mid = staticmethod(new_mid)

    @staticmethod
    def incoming(
        sender: str = ANA, text: str = "hello", mid: str | None = None, room: str | None = None,
        ts: int = 1_800_000_000_000,
    ) -> MessageRecord:
        return MessageRecord(mid or new_mid(), room or sender, sender, "in", ts, text, "received", room)

    @staticmethod
    def outgoing(
        chat: str = ANA, text: str = "hi", mid: str | None = None, room: str | None = None,
        ts: int = 1_800_000_000_000,
    ) -> MessageRecord:
        return MessageRecord(mid or new_mid(), room or chat, ME, "out", ts, text, "pending", room)


@pytest.fixture
def h() -> type[Helpers]:
    return Helpers
