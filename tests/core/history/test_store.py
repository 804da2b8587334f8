"""HistoryStore: what survives a restart, dedupe, the outbox, contacts, transfers, write errors."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from lanchat.core.history import (
    ContactRecord,
    FileRecord,
    HistoryError,
    IncomingSaved,
    MessageRecord,
    MessageState,
    RoomRecord,
    TransferRecord,
    TransferState,
)
from lanchat.core.history.writer import Job

DAY = 24 * 3600


def test_restart_keeps_history_outbox_contacts_rooms_and_partial_transfers(make_store, h, qtbot):
    store = make_store()
    recorder = h.Recorder(store)
    store.upsert_contact(ContactRecord(h.ANA, "Ana", "192.168.1.20", 48484, "class 3b", "0" * 64))
    store.save_room(RoomRecord(h.ROOM, "Project", (h.ME, h.ANA, h.BEN)))
    hello = h.incoming(h.ANA, "hello from ana")
    store.save_incoming(hello)
    queued = h.outgoing(h.BEN, "are you there?")
    store.save_outgoing(queued, [h.BEN])
    files = (FileRecord("big.iso", 10_000, partial="/dl/.lanchat-partial/x"), FileRecord("small.txt", 5))
    store.save_transfer(TransferRecord("1" * 32, h.ANA, "in", "files", files, TransferState.ACCEPTED))
    store.update_transfer_progress("1" * 32, 0, 4096)
    qtbot.waitUntil(lambda: len(recorder.saved) == 1)
    assert store.flush()
    store.close()

    again = make_store()
    assert [m.text for m in again.page(h.ANA)] == ["hello from ana", ""]
    assert [m.mid for m in again.outbox(h.BEN)] == [queued.mid]
    assert again.pending_peers() == [h.BEN]
    (ana,) = again.contacts()
    assert (ana.name, ana.address, ana.port, ana.group, ana.avatar_hash) == (
        "Ana", "192.168.1.20", 48484, "class 3b", "0" * 64
    )
    (room,) = again.rooms()
    assert (room.id, room.name, set(room.members)) == (h.ROOM, "Project", {h.ME, h.ANA, h.BEN})
    (partial,) = again.unfinished_transfers()
    assert partial.tid == "1" * 32 and partial.state == TransferState.ACCEPTED
    assert [(f.path, f.have, f.partial) for f in partial.files] == [
        ("big.iso", 4096, "/dl/.lanchat-partial/x"), ("small.txt", 0, None)
    ]


def test_writes_run_on_one_writer_thread_and_signals_arrive_on_the_gui_thread(store, recorder, h, qtbot):
    threads: set[int] = set()

    def record_thread(conn: sqlite3.Connection) -> list[tuple[str, object]]:
        threads.add(threading.get_ident())
        return []

    for _ in range(3):
        store._submit(record_thread, "a probe")
        store.save_incoming(h.incoming())
    store.flush()
    qtbot.waitUntil(lambda: len(recorder.saved) == 3)
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert recorder.threads == {threading.get_ident()}


def test_duplicate_mid_gives_one_row_and_new_false(store, recorder, h, qtbot):
    message = h.incoming(h.ANA, "once")
    store.save_incoming(message)
    store.save_incoming(message)
    qtbot.waitUntil(lambda: len(recorder.saved) == 2)
    assert recorder.saved == [
        IncomingSaved(h.ANA, message.mid, True), IncomingSaved(h.ANA, message.mid, False)
    ]
    assert [m.mid for m in store.page(h.ANA)] == [message.mid]
    assert len(recorder.added) == 1 and recorder.added[0].row_id is not None
    # The same mid from another sender is another message.
    store.save_incoming(h.incoming(h.BEN, "other", mid=message.mid))
    qtbot.waitUntil(lambda: len(recorder.saved) == 3)
    assert recorder.saved[2].new is True


def test_seen_remembers_deleted_mids_for_7_days_by_the_clock(store, recorder, h, clock, qtbot):
    kept, forgotten = h.incoming(h.ANA, "kept"), h.incoming(h.ANA, "forgotten")
    store.save_incoming(kept)
    store.save_incoming(forgotten)
    store.delete_chat(h.ANA)
    qtbot.waitUntil(lambda: recorder.deleted == [h.ANA])
    assert store.page(h.ANA) == [] and store.seen_mid(h.ANA, kept.mid)

    clock.advance(6 * DAY)
    store.prune()
    store.save_incoming(kept)  # a late resend, history deleted: still known
    qtbot.waitUntil(lambda: len(recorder.saved) == 3)
    assert recorder.saved[-1] == IncomingSaved(h.ANA, kept.mid, False)

    clock.advance(2 * DAY)  # 8 days after receipt
    store.prune()
    store.save_incoming(forgotten)
    qtbot.waitUntil(lambda: len(recorder.saved) == 4)
    assert recorder.saved[-1] == IncomingSaved(h.ANA, forgotten.mid, True)
    assert not store.seen_mid(h.ANA, kept.mid)


def test_prune_keeps_at_most_10000_remembered_mids_per_sender(store, h, clock):
    now = clock.now_ms()
    rows = [(h.ANA, "m", f"{i:032x}", now + i) for i in range(10_050)]

    def fill(conn: sqlite3.Connection) -> list[tuple[str, object]]:
        conn.executemany("INSERT INTO seen (sender, kind, key, at) VALUES (?, ?, ?, ?)", rows)
        return []

    store._submit(fill, "test rows")
    store.prune()
    store.flush()
    assert not store.seen_mid(h.ANA, f"{49:032x}")  # the oldest 50 went
    assert store.seen_mid(h.ANA, f"{50:032x}") and store.seen_mid(h.ANA, f"{10_049:032x}")


def test_room_message_waits_in_the_outbox_per_member_until_each_acks(make_store, h, qtbot):
    store = make_store()
    recorder = h.Recorder(store)
    message = h.outgoing(text="to the room", room=h.ROOM)
    store.save_outgoing(message, [h.ANA, h.BEN])
    store.mark_delivered(message.mid, h.ANA)
    store.flush()
    assert store.outbox(h.ANA) == [] and [m.mid for m in store.outbox(h.BEN)] == [message.mid]
    assert store.page(h.ROOM)[0].state == MessageState.PENDING
    store.close()

    store = make_store()
    recorder = h.Recorder(store)
    assert store.pending_peers() == [h.BEN]
    store.mark_delivered(message.mid, h.BEN)
    qtbot.waitUntil(lambda: len(recorder.changed) == 1)
    assert recorder.changed[0].state == MessageState.DELIVERED
    assert store.page(h.ROOM)[0].state == MessageState.DELIVERED
    assert store.pending_peers() == []


def test_outbox_is_oldest_first_and_failed_and_read_states(store, recorder, h, qtbot):
    first, second, third = (h.outgoing(h.ANA, t) for t in ("1", "2", "3"))
    for message in (first, second, third):
        store.save_outgoing(message, [h.ANA])
    store.mark_failed(second.mid, h.ANA, "bad-frame")
    store.mark_read([third.mid, "9" * 32], h.ANA)
    store.mark_read([first.mid], h.BEN)  # not sent to Ben: no effect
    qtbot.waitUntil(lambda: len(recorder.changed) == 2)
    assert [m.mid for m in store.outbox(h.ANA)] == [first.mid]
    assert [m.state for m in store.page(h.ANA)] == ["pending", "failed", "read"]


def test_incoming_read_state_and_unread_counts(store, recorder, h, qtbot):
    for text in ("a", "b", "c"):
        store.save_incoming(h.incoming(h.ANA, text))
    store.save_incoming(h.incoming(h.BEN, "d"))
    store.flush()
    assert store.unread_counts() == {h.ANA: 3, h.BEN: 1}
    second = store.page(h.ANA)[1]
    store.mark_seen_read(h.ANA, up_to=second.row_id)
    store.flush()
    assert store.unread_counts() == {h.ANA: 1, h.BEN: 1}
    assert [m.state for m in store.page(h.ANA)] == ["read", "read", "received"]


def test_contacts_upsert_keeps_verified_and_first_seen(store, recorder, h, clock, qtbot):
    store.upsert_contact(ContactRecord(h.ANA, "Ana", "10.0.0.2", 48484))
    store.set_verified(h.ANA, True)
    clock.advance(60)
    store.upsert_contact(ContactRecord(h.ANA, "Ana B.", None, None, "3b"))
    store.flush()
    (ana,) = store.contacts()
    assert (ana.name, ana.address, ana.port, ana.group, ana.verified) == (
        "Ana B.", "10.0.0.2", 48484, "3b", True
    )
    assert ana.last_seen - ana.first_seen == 60_000
    assert store.contact(h.BEN) is None
    qtbot.waitUntil(lambda: recorder.contacts == 3)


def test_transfer_appears_as_a_chat_entry_with_its_files(store, recorder, h, qtbot):
    tid = "2" * 32
    store.save_incoming(h.incoming(h.ANA, "look"))
    picture = TransferRecord(tid, h.ANA, "in", "image", (FileRecord("cat.jpg", 3),), thumb=b"\xff\xd8")
    store.save_transfer(picture)
    store.set_transfer_state(tid, TransferState.ACCEPTED)
    store.finish_transfer_file(tid, 0, True, "/dl/cat.jpg", "ab" * 32)
    store.set_transfer_state(tid, TransferState.DONE)
    store.flush()
    look, picture = store.page(h.ANA)
    assert (picture.mid, picture.kind, picture.state, picture.direction) == (tid, "image", "done", "in")
    assert picture.files == (FileRecord("cat.jpg", 3, 3, "/dl/cat.jpg", "ab" * 32, True),)
    assert store.transfer(tid).thumb == b"\xff\xd8"
    assert store.unfinished_transfers() == [] and store.seen_tid(h.ANA, tid)
    qtbot.waitUntil(lambda: tid in recorder.transfers and len(recorder.changed) == 2)


def test_outgoing_transfer_to_a_room_is_a_room_entry(store, h):
    tid = "3" * 32
    files = (FileRecord("a/x.txt", 10, source="/home/me/a/x.txt"),)
    store.save_transfer(TransferRecord(tid, h.BEN, "out", "files", files, room=h.ROOM))
    store.flush()
    (entry,) = store.page(h.ROOM)
    assert (entry.sender, entry.direction, entry.room, entry.files[0].source) == (
        h.ME, "out", h.ROOM, "/home/me/a/x.txt"
    )
    (pending,) = store.unfinished_transfers()
    assert pending.chat == h.ROOM


@pytest.mark.allow_warnings
def test_a_failed_write_reports_an_error_keeps_what_was_committed_and_the_writer_lives(
    store, recorder, h, qtbot
):
    store.save_incoming(h.incoming(h.ANA, "safe"))
    store.flush()

    def fill_the_disk(conn: sqlite3.Connection) -> list[tuple[str, object]]:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return []

    store._submit(fill_the_disk, "a disk-full simulation")
    lost = h.incoming(h.ANA, "x" * 30_000)
    store.save_incoming(lost)
    qtbot.waitUntil(lambda: len(recorder.errors) >= 1)
    assert "full" in recorder.errors[0] and str(store.path) in recorder.errors[0]

    def make_room(conn: sqlite3.Connection) -> list[tuple[str, object]]:
        conn.execute("PRAGMA max_page_count = 1073741823")
        return []

    store._submit(make_room, "the end of the simulation")
    store.save_incoming(lost)  # the sender resends: no ack was given
    qtbot.waitUntil(lambda: len(recorder.saved) == 2)
    assert [m.text[:4] for m in store.page(h.ANA)] == ["safe", "xxxx"]
    assert recorder.saved[-1].new is True


@pytest.mark.allow_warnings
def test_a_job_that_raises_is_rolled_back_alone(store, recorder, h, qtbot):
    def broken(conn: sqlite3.Connection) -> list[tuple[str, object]]:
        conn.execute("INSERT INTO rooms (id, name, updated_at) VALUES ('x', 'half-done', 0)")
        raise RuntimeError("a bug")

    before, after = h.incoming(h.ANA, "before"), h.incoming(h.ANA, "after")
    store.save_incoming(before)
    store._submit(broken, "a broken job")
    store.save_incoming(after)
    qtbot.waitUntil(lambda: len(recorder.saved) == 2 and len(recorder.errors) == 1)
    assert store.rooms() == []
    assert [m.text for m in store.page(h.ANA)] == ["before", "after"]


def test_a_burst_is_group_committed(store, recorder, h, qtbot):
    commits: list[int] = []
    original = store._committed

    def count(emissions: list[tuple[str, object]]) -> None:
        commits.append(len(emissions))
        original(emissions)

    store._writer._on_committed = count
    for i in range(2000):
        store.save_incoming(h.incoming(h.BEN, f"burst {i}"))
    assert store.flush(timeout=30)
    assert sum(commits) == 4000  # incoming_saved + message_added each
    assert len(commits) < 500  # far fewer transactions than messages
    qtbot.waitUntil(lambda: len(recorder.saved) == 2000, timeout=10_000)



def test_files_finishing_in_a_burst_are_written_together_in_their_order(store, h, qtbot):
    tid = "3" * 32
    files = tuple(FileRecord(f"f{i}.txt", 10) for i in range(1000))
    store.save_transfer(TransferRecord(tid, h.ANA, "in", "files", files, TransferState.ACCEPTED))
    assert store.flush()
    jobs: list[str] = []
    original = store._writer.submit

    def count(job: Job) -> None:
        jobs.append(job.what)
        original(job)

    store._writer.submit = count
    for i in range(1000):
        if i % 100 == 7:  # failed first, then sent again and saved
            store.finish_transfer_file(tid, i, False, None, None)
        store.finish_transfer_file(tid, i, True, f"/dl/f{i}.txt", f"{i:064x}")
    store.finish_transfer_file(tid, 999, False, None, None)  # the last one fails after all
    store.set_transfer_state(tid, TransferState.FAILED, "io-error")
    assert store.flush()
    record = store.transfer(tid)
    assert record is not None and record.state == TransferState.FAILED
    assert [(f.ok, f.saved_as, f.sha256, f.have) for f in record.files[:999]] == [
        (True, f"/dl/f{i}.txt", f"{i:064x}", 10) for i in range(999)
    ]
    assert (record.files[999].ok, record.files[999].have) == (False, 0)
    assert jobs[-1] == "a transfer's state" and len(jobs) < 100  # not one write per file


def test_a_finished_file_refused_while_the_store_is_closed_does_not_hold_up_later_ones(store, h):
    tid = "4" * 32
    store.save_transfer(TransferRecord(tid, h.ANA, "in", "files", (FileRecord("a", 1), FileRecord("b", 1)),
                                       TransferState.ACCEPTED))
    store.close()
    with pytest.raises(HistoryError):
        store.finish_transfer_file(tid, 0, True, "/dl/a", "0" * 64)
    store.open()
    store.finish_transfer_file(tid, 1, True, "/dl/b", "1" * 64)
    assert store.flush()
    record = store.transfer(tid)
    assert record is not None and [f.ok for f in record.files] == [None, True]

def test_validation_and_closed_store(store, h, db_path, clock):
    with pytest.raises(ValueError):
        store.save_incoming(h.outgoing())
    with pytest.raises(ValueError):
        store.save_incoming(MessageRecord("m", h.ANA, h.ANA, "in", 1, "t", "received", h.ROOM))
    store.close()
    with pytest.raises(HistoryError):
        store.save_incoming(h.incoming())
    with pytest.raises(HistoryError):
        store.page(h.ANA)
    store.close()  # twice is fine


def test_close_is_quick_and_leaves_no_wal_behind(store, h, db_path):
    for i in range(500):
        store.save_incoming(h.incoming(h.ANA, f"m{i}"))
    store.page(h.ANA)
    started = time.monotonic()
    store.close()
    assert time.monotonic() - started < 1.0
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert not any(t.name == "lanchat-history-writer" for t in threading.enumerate())
