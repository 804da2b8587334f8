"""Opening the database: migrations with a backup, and damaged or locked files left untouched."""

from __future__ import annotations

import random
import sqlite3
import threading

import pytest

from lanchat.core.history import SCHEMA_VERSION, HistoryError, HistoryStore
from lanchat.core.history.schema import V1_DDL


def make_v1_database(path, h):
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statement in V1_DDL:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO contacts (id, name, address, port, grp, verified, first_seen, last_seen) "
        "VALUES (?, 'Ana', '10.0.0.2', 48484, '', 1, 1, 2)",
        (h.ANA,),
    )
    conn.executemany(
        "INSERT INTO messages (mid, sender, chat, direction, ts, stored_at, text, state) "
        "VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
        [
            ("1" * 32, h.ANA, h.ANA, "in", "an old 中文测试 message", "received"),
            ("2" * 32, h.ME, h.ANA, "out", "still queued", "pending"),
        ],
    )
    conn.execute("INSERT INTO outbox (recipient, message) VALUES (?, 2)", (h.ANA,))
    conn.commit()
    conn.close()


def no_writer_thread() -> bool:
    return not any(t.name == "lanchat-history-writer" for t in threading.enumerate())


def test_a_new_file_gets_the_current_schema(db_path, make_store):
    make_store().close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert list(db_path.parent.glob("*.bak-*")) == []  # nothing to back up


def test_v1_migrates_to_v2_keeping_rows_and_making_a_backup(db_path, make_store, h):
    make_v1_database(db_path, h)
    store = make_store()
    (ana,) = store.contacts()
    assert (ana.name, ana.verified, ana.avatar_hash) == ("Ana", True, None)  # the v2 column
    assert [m.text for m in store.page(h.ANA)] == ["an old 中文测试 message", "still queued"]
    assert [m.mid for m in store.outbox(h.ANA)] == ["2" * 32]
    assert [m.mid for m in store.search("文测试")] == ["1" * 32]  # FTS filled from old rows
    store.save_incoming(h.incoming(h.ANA, "new after migrating"))
    store.flush()
    assert [m.text for m in store.search("after migr")] == ["new after migrating"]
    store.close()

    backup = db_path.with_name("history.sqlite3.bak-v1")
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    conn.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    make_store().close()  # opening again neither migrates nor backs up
    assert sorted(p.name for p in db_path.parent.glob("*.bak-*")) == ["history.sqlite3.bak-v1"]


@pytest.mark.parametrize(
    "content",
    [
        random.Random(7).randbytes(16_384),
        b"SQLite format 3\x00" + random.Random(8).randbytes(8_192),
    ],
    ids=["garbage", "garbage-after-a-header"],
)
def test_a_corrupt_file_raises_history_error_and_stays_untouched(db_path, clock, content, qtbot):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    store = HistoryStore(db_path, clock)
    with pytest.raises(HistoryError) as caught:
        store.open()
    message = str(caught.value)
    assert str(db_path) in message and "damaged" in message
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.sqlite3"]
    assert no_writer_thread()
    assert not store.is_open


def test_a_locked_file_raises_history_error(db_path, clock, qtbot):
    db_path.parent.mkdir(parents=True)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked") as caught:
            HistoryStore(db_path, clock, busy_timeout=0.05).open()
        assert str(db_path) in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert no_writer_thread()


def test_a_newer_or_foreign_file_is_refused(db_path, clock, qtbot):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="newer lanchat"):
        HistoryStore(db_path, clock).open()

    foreign = db_path.with_name("foreign.sqlite3")
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recipes (name)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(HistoryError, match="not a lanchat history"):
        HistoryStore(foreign, clock).open()
    assert foreign.read_bytes() == before
