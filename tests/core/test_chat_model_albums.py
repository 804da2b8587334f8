"""(1.1) An album's pictures are one row of a chat, however they are loaded or arrive (real SQLite)."""

from __future__ import annotations

import pytest

from lanchat.clock import FakeClock
from lanchat.core.chat_model import ChatModel
from lanchat.core.history import HistoryStore, MessageRecord
from lanchat.core.history.records import FileRecord, TransferRecord

ME, BEN = "e" * 64, "b" * 64
ALBUM, OTHER = "a1" * 16, "b2" * 16


@pytest.fixture
def store(tmp_path, qapp):
    store = HistoryStore(tmp_path / "history.sqlite3", FakeClock(), own_id=ME)
    store.open()
    yield store
    store.close()


def picture(i: int, album: str | None, state: str = "done") -> TransferRecord:
    return TransferRecord(f"{i:032x}", BEN, "in", "image", (FileRecord(f"IMG_{i}.jpg", 100),), state,
                          album=album, album_n=4 if album else None)


def text(i: int) -> MessageRecord:
    return MessageRecord(f"{1000 + i:032x}", BEN, BEN, "in", 1_800_000_000_000 + i, f"message {i}", "received")


def rows(model: ChatModel) -> list[list[str]]:
    return [[r.mid[-2:] for r in model.data(model.index(i), ChatModel.AlbumRole)] for i in range(model.rowCount())]


def test_an_album_is_one_row_and_other_entries_keep_theirs(store):
    store.save_incoming(text(1))
    for i in range(4):
        store.save_transfer(picture(i, ALBUM))
    store.save_transfer(picture(9, None))
    store.save_incoming(text(2))
    assert store.flush()
    model = ChatModel(store, BEN)
    assert rows(model) == [["e9"], ["00", "01", "02", "03"], ["09"], ["ea"]]
    assert model.row_of_mid(f"{2:032x}") == 1
    assert [r.mid[-2:] for r in model.unread_incoming()] == ["e9", "ea"]
    assert len(model.entries()) == 7


def test_pictures_arriving_join_their_album_row(store, qtbot):
    model = ChatModel(store, BEN)
    appended = []
    model.appended.connect(appended.append)
    store.save_transfer(picture(0, ALBUM, "offered"))
    store.save_transfer(picture(1, OTHER, "offered"))
    store.save_transfer(picture(2, ALBUM, "offered"))
    qtbot.waitUntil(lambda: len(appended) == 3, timeout=5_000)
    assert rows(model) == [["00", "02"], ["01"]]
    changed = []
    model.dataChanged.connect(lambda top, _bottom, *_: changed.append(top.row()))
    store.set_transfer_state(f"{2:032x}", "done")  # the second picture of the album moves on
    qtbot.waitUntil(lambda: 0 in changed, timeout=5_000)
    assert [r.state for r in model.data(model.index(0), ChatModel.AlbumRole)] == ["offered", "done"]


def test_an_album_split_across_pages_becomes_one_row(store):
    for i in range(3):
        store.save_incoming(text(i))
    for i in range(4):
        store.save_transfer(picture(i, ALBUM))
    assert store.flush()
    model = ChatModel(store, BEN, page_size=2)  # the newest page holds the album's last two pictures
    assert rows(model) == [["02", "03"]]
    model.load_older()
    assert rows(model) == [["00", "01", "02", "03"]]
    model.load_older()
    assert rows(model) == [["e9"], ["ea"], ["00", "01", "02", "03"]]
    assert model.record(2).mid == f"{0:032x}"  # the first picture leads the row
