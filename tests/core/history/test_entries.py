"""One entry leaves its chat; a chat's files and pictures are listed (real SQLite)."""

from __future__ import annotations

from lanchat.core.history.records import FileRecord, TransferRecord


def transfer(tid: str, peer: str, state: str, kind: str = "image") -> TransferRecord:
    return TransferRecord(tid, peer, "in", kind, (FileRecord("cat.png", 10, saved_as="/x/cat.png", ok=True),), state,
                          created_at=1_800_000_000_000)


def test_files_and_pictures_of_a_chat_oldest_first(store, h):
    store.save_incoming(h.incoming(h.ANA, "hello"))
    store.save_transfer(transfer("1" * 32, h.ANA, "done"))
    store.save_transfer(transfer("2" * 32, h.ANA, "done", kind="files"))
    store.save_transfer(transfer("3" * 32, h.BEN, "done"))
    store.flush()
    assert [e.mid for e in store.transfer_entries(h.ANA)] == ["1" * 32, "2" * 32]


def test_delete_one_entry_keeps_the_rest_and_remembers_the_tid(store, recorder, h, qtbot):
    store.save_incoming(h.incoming(h.ANA, "hello", mid="a" * 32))
    store.save_transfer(transfer("1" * 32, h.ANA, "done"))
    store.save_transfer(transfer("2" * 32, h.ANA, "accepted"))
    store.flush()
    rows = {e.mid: e.row_id for e in store.page(h.ANA)}
    store.delete_entry(rows["1" * 32])
    store.delete_entry(rows["2" * 32])  # under way: stays
    store.delete_entry(rows["a" * 32])
    store.flush()
    assert [e.mid for e in store.page(h.ANA)] == ["2" * 32]
    assert store.transfer("1" * 32) is None
    assert store.seen_tid(h.ANA, "1" * 32) and store.seen_mid(h.ANA, "a" * 32)
    qtbot.waitUntil(lambda: recorder.deleted.count(h.ANA) == 2, timeout=5_000)
