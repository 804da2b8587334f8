"""What lanchat keeps only for a while goes (issue 14): stale transfers, stray partial folders, old pasted pictures,
remembered mids. Real peers, real files, real SQLite; "8 days ago" is written into the files themselves."""

from __future__ import annotations

import os
import sqlite3
import time

from transfer_views import Views

from lanchat.core.housekeeping import DAY_SECONDS, PASTED_DAYS
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import OfferedFile

DAY_MS = DAY_SECONDS * 1000


def online(runtime, other) -> bool:
    contact = runtime.contacts.get(other.identity.id)
    return contact is not None and contact.online


def age_in_history(runtime, sql: str, *args: object) -> None:
    """Change the history behind the runtime's back (as if time had passed), then re-read nothing: SQLite is shared."""
    assert runtime.store.flush()
    with sqlite3.connect(runtime.store.path) as db:
        db.execute(sql, args)


def test_a_transfer_untouched_for_7_days_is_cancelled_as_expired_and_the_sender_told(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana")  # Ana asks
    qtbot.waitUntil(lambda: online(ben, ana) and online(ana, ben), timeout=10_000)
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-1.4 " + os.urandom(1000))
    ben_views, ana_views = Views(ben), Views(ana)
    tid = ben.transfers.offer(ana.identity.id, [source])[0]
    qtbot.waitUntil(lambda: ana_views.state(tid) == "offered", timeout=10_000)

    ana.housekeeping.tidy()  # a fresh offer stays
    assert ana_views.state(tid) == "offered"
    eight_days_ago = int(time.time() * 1000) - 8 * DAY_MS
    age_in_history(ana, "UPDATE transfers SET created_at = ?, updated_at = ? WHERE tid = ?",
                   eight_days_ago, eight_days_ago, tid)
    ana.housekeeping.tidy()
    assert ana_views.state(tid) == "cancelled" and ana_views.latest[tid].reason == "expired"
    qtbot.waitUntil(lambda: ben_views.state(tid) == "cancelled", timeout=10_000)
    assert ana.store.flush() and ana.store.transfer(tid).state == "cancelled"


def test_remembered_mids_older_than_7_days_are_pruned(make_runtime):
    ana = make_runtime("ana")
    old, fresh = int(time.time() * 1000) - 8 * DAY_MS, int(time.time() * 1000)
    age_in_history(ana, "INSERT INTO seen (sender, kind, key, at) VALUES ('b', 'm', 'old', ?), ('b', 'm', 'new', ?)",
                   old, fresh)
    ana.housekeeping.tidy()
    assert ana.store.seen_mid("b", "new") and (ana.store.flush() and not ana.store.seen_mid("b", "old"))


def test_old_pasted_pictures_and_small_copies_go_unless_a_transfer_still_needs_them(make_runtime, qtbot):
    ben, ana = make_runtime("ben"), make_runtime("ana")
    qtbot.waitUntil(lambda: online(ben, ana), timeout=10_000)
    pasted = ben.pasted_folder
    pasted.mkdir()
    old, fresh = pasted / "picture-1.png", pasted / "picture-2.png"
    old.write_bytes(b"old")
    fresh.write_bytes(b"fresh")
    waiting = pasted / "picture-3.png"
    waiting.write_bytes(b"still offered")
    ben.transfers.offer(ana.identity.id, [waiting])  # Ana has not answered: it may still be sent
    small = ben.small_copies_folder
    small.mkdir()
    (small / "old.jpg").write_bytes(b"made long ago")
    (small / "new.jpg").write_bytes(b"made today")
    long_ago = time.time() - (PASTED_DAYS + 1) * DAY_SECONDS
    for path in (old, waiting, small / "old.jpg"):
        os.utime(path, (long_ago, long_ago))
    ben.housekeeping.tidy()
    assert sorted(p.name for p in pasted.iterdir()) == ["picture-2.png", "picture-3.png"]
    assert [p.name for p in small.iterdir()] == ["new.jpg"]


def test_a_finished_transfer_leaves_no_partial_folder(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana", accept="auto")
    qtbot.waitUntil(lambda: online(ben, ana), timeout=10_000)
    source = tmp_path / "notes.txt"
    source.write_text("week 1")
    views = Views(ana)
    tid = ben.transfers.offer(ana.identity.id, [source])[0]
    qtbot.waitUntil(lambda: views.state(tid) == "done", timeout=10_000)
    qtbot.waitUntil(lambda: not (ana.downloads.partial_root / tid).exists(), timeout=10_000)
    assert ana.downloads.held(tid) is None


def test_stray_partial_entries_go_and_held_transfers_stay(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not lanchat's")
    downloads = DownloadFolder(tmp_path / "downloads")
    held = "1" * 32
    downloads.accept(held, "b" * 64, (OfferedFile("a.bin", 10),))
    (downloads.partial_root / held / "0.part").write_bytes(b"12345")
    stray = downloads.partial_root / ("2" * 32)
    stray.mkdir()
    (stray / "0.part").write_bytes(b"left behind")
    (downloads.partial_root / "link").symlink_to(outside, target_is_directory=True)
    (downloads.partial_root / "file").write_text("x")
    assert downloads.remove_unused_partials() == 3
    assert [p.name for p in downloads.partial_root.iterdir()] == [held]
    assert (outside / "keep.txt").read_text() == "not lanchat's"
