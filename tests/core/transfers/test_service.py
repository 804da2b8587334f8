"""File and picture transfers between real peers over real sockets (in-process)."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot
from transfer_views import Views


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def random_file(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left:
            block = os.urandom(min(left, 1 << 20))
            f.write(block)
            left -= len(block)
    return path


@pytest.fixture
def pair(make_runtime, qtbot):
    ben = make_runtime("ben")  # sends
    ana = make_runtime("ana", accept="auto")  # receives
    qtbot.waitUntil(lambda: bool(ben.contacts.find("ana")) and ben.contacts.find("ana")[0].online, timeout=10_000)
    return ben, ana


def send(qtbot, ben, ana, paths, kind=None):
    ben_views, ana_views = Views(ben), Views(ana)
    (tid,) = ben.transfers.offer(ana.identity.id, paths, kind)
    return tid, ben_views, ana_views


def test_64_mib_file_and_a_folder_of_300_files(pair, qtbot, tmp_path):
    ben, ana = pair
    big = random_file(tmp_path / "src" / "big.bin", 64 * 2**20)
    folder = tmp_path / "src" / "class notes"
    for i in range(300):
        sub = folder / f"week {i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note {i}.txt").write_text(f"note {i} " * (i + 1))
    tid, ben_views, ana_views = send(qtbot, ben, ana, [big, folder])
    qtbot.waitUntil(lambda: ben_views.state(tid) == "done" and ana_views.state(tid) == "done", timeout=120_000)

    view = ana_views.latest[tid]
    assert len(view.files) == 301 and all(f.ok for f in view.files)
    saved = {f.path: Path(f.saved_as) for f in view.files}
    assert sha256_of(saved["big.bin"]) == sha256_of(big)
    assert saved["big.bin"] == ana.downloads.path / "big.bin"
    for i in range(300):
        rel = f"class notes/week {i % 7}/note {i}.txt"
        assert saved[rel].read_text() == f"note {i} " * (i + 1)
    assert not any((ana.downloads.partial_root).rglob("*.part"))
    assert ben_views.latest[tid].bytes_done == view.total


def test_a_second_copy_gets_a_numbered_name(pair, qtbot, tmp_path):
    ben, ana = pair
    source = tmp_path / "src" / "photo.txt"
    source.parent.mkdir()
    source.write_text("first")
    first, _, ana_views = send(qtbot, ben, ana, [source])
    qtbot.waitUntil(lambda: ana_views.state(first) == "done", timeout=20_000)
    source.write_text("second")
    second, _, ana_views2 = send(qtbot, ben, ana, [source])
    qtbot.waitUntil(lambda: ana_views2.state(second) == "done", timeout=20_000)
    download = ana.downloads.path
    assert (download / "photo.txt").read_text() == "first"
    assert (download / "photo (1).txt").read_text() == "second"


def test_a_cut_connection_resumes_with_the_same_tid(pair, qtbot, tmp_path):
    ben, ana = pair
    big = random_file(tmp_path / "src" / "movie.bin", 48 * 2**20)
    ana_files = ana.downloads
    original_open = ana_files.open_partial
    cut = {"done": False}

    class SlowWriter(io.RawIOBase):
        """Writes normally, but cuts the connection once half the file is in."""

        def __init__(self, path: Path) -> None:
            self.f = original_open(path)

        def write(self, data) -> int:
            written = self.f.write(data)
            if not cut["done"] and self.f.tell() >= 24 * 2**20:
                cut["done"] = True
                transfer = next(iter(ana_files._transfers.values()))
                transfer.stop_connection()  # the network drops
            return written

        def flush(self) -> None:
            self.f.flush()

        def close(self) -> None:
            self.f.close()

    ana_files.open_partial = SlowWriter  # type: ignore[method-assign]
    tid, ben_views, ana_views = send(qtbot, ben, ana, [big])
    qtbot.waitUntil(lambda: ana_views.state(tid) == "done", timeout=120_000)
    assert cut["done"]
    assert ana_views.latest[tid].files[0].ok
    assert sha256_of(Path(ana_views.latest[tid].files[0].saved_as)) == sha256_of(big)
    # It resumed: the receiver went back to `accepted` with bytes held, not to zero.
    assert "accepted" in ana_views.states[tid][2:]


@pytest.mark.parametrize("side", ["sender", "receiver"])
def test_cancel_from_either_side(pair, qtbot, tmp_path, side):
    ben, ana = pair
    big = random_file(tmp_path / "src" / "huge.bin", 32 * 2**20)
    original_open = ana.downloads.open_partial

    midway = threading.Event()
    cancelled = threading.Event()

    class Stall(io.RawIOBase):
        """Holds the transfer in the middle (in the connection's thread) until the test cancels it."""

        def __init__(self, path: Path) -> None:
            self.f = original_open(path)
            self.n = 0

        def write(self, data) -> int:
            self.n += 1
            if self.n == 3:
                midway.set()
                cancelled.wait(20)
            return self.f.write(data)

        def flush(self) -> None:
            self.f.flush()

        def close(self) -> None:
            self.f.close()

    tid_box: list[str] = []
    ana.downloads.open_partial = Stall  # type: ignore[method-assign]
    ben_views, ana_views = Views(ben), Views(ana)
    tid_box.append(ben.transfers.offer(ana.identity.id, [big])[0])
    tid = tid_box[0]
    qtbot.waitUntil(midway.is_set, timeout=30_000)
    (ben if side == "sender" else ana).transfers.cancel(tid)  # on the GUI thread, as a person would
    cancelled.set()
    qtbot.waitUntil(lambda: ben_views.state(tid) == "cancelled" and ana_views.state(tid) == "cancelled", timeout=30_000)
    qtbot.waitUntil(lambda: not any(ana.downloads.partial_root.rglob("*.part")), timeout=10_000)
    assert not (ana.downloads.path / "huge.bin").exists()


def test_disk_full_is_reported_and_the_partial_removed(pair, qtbot, tmp_path):
    ben, ana = pair
    big = random_file(tmp_path / "src" / "big.bin", 8 * 2**20)
    original_open = ana.downloads.open_partial

    class FullDisk(io.RawIOBase):
        def __init__(self, path: Path) -> None:
            self.f = original_open(path)

        def write(self, data) -> int:
            if self.f.tell() > 2**20:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)

        def flush(self) -> None:
            self.f.flush()

        def close(self) -> None:
            self.f.close()

    ana.downloads.open_partial = FullDisk  # type: ignore[method-assign]
    notices = []

    class Notes(QObject):
        @Slot(object)
        def on_notice(self, notice) -> None:
            notices.append(notice)

    notes = Notes()
    ana.notices.listen()
    ana.notices.posted.connect(notes.on_notice)
    tid, ben_views, ana_views = send(qtbot, ben, ana, [big])
    qtbot.waitUntil(lambda: ana_views.state(tid) == "failed" and ben_views.state(tid) == "failed", timeout=30_000)
    assert ana_views.latest[tid].reason == "no-space"
    assert ben_views.latest[tid].files[0].ok is False
    assert any(n.code == "no-space" for n in notices)
    assert not any(ana.downloads.partial_root.rglob("*.part"))
    assert not (ana.downloads.path / "big.bin").exists()

    # Space is freed; "Retry" sends it again with the same tid.
    ana.downloads.open_partial = original_open  # type: ignore[method-assign]
    ben.transfers.retry(tid)
    qtbot.waitUntil(lambda: ana_views.state(tid) == "done" and ben_views.state(tid) == "done", timeout=30_000)
    assert sha256_of(ana.downloads.path / "big.bin") == sha256_of(big)


def test_two_senders_to_one_receiver_at_once(make_runtime, qtbot, tmp_path):
    ana = make_runtime("ana", accept="auto")
    ben, chloe = make_runtime("ben"), make_runtime("chloe")
    for sender in (ben, chloe):
        qtbot.waitUntil(lambda s=sender: bool(s.contacts.find("ana")) and s.contacts.find("ana")[0].online,
                        timeout=10_000)
    ana_views = Views(ana)
    first = random_file(tmp_path / "ben" / "from ben.bin", 16 * 2**20)
    second = random_file(tmp_path / "chloe" / "from chloe.bin", 16 * 2**20)
    tids = [ben.transfers.offer(ana.identity.id, [first])[0], chloe.transfers.offer(ana.identity.id, [second])[0]]
    qtbot.waitUntil(lambda: all(ana_views.state(t) == "done" for t in tids), timeout=60_000)
    assert "progress" in ana_views.states[tids[0]] and "progress" in ana_views.states[tids[1]]
    for tid, source in zip(tids, (first, second), strict=True):
        assert sha256_of(Path(ana_views.latest[tid].files[0].saved_as)) == sha256_of(source)


def test_ask_policy_waits_for_a_person_then_decline(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana")  # ana asks (the default)
    qtbot.waitUntil(lambda: bool(ben.contacts.find("ana")) and ben.contacts.find("ana")[0].online, timeout=10_000)
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF-1.4 not really")
    tid, ben_views, ana_views = send(qtbot, ben, ana, [doc])
    qtbot.waitUntil(lambda: ana_views.state(tid) == "offered", timeout=10_000)
    assert ana_views.latest[tid].needs_decision
    assert ben_views.state(tid) == "offered"
    ana.transfers.decline(tid)
    qtbot.waitUntil(lambda: ben_views.state(tid) == "rejected", timeout=10_000)
    assert ben_views.latest[tid].reason == "declined"
    assert not (ana.downloads.path / "report.pdf").exists()


def test_ask_policy_accepts_small_pictures_from_known_contacts(make_runtime, qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    ben, ana = make_runtime("ben"), make_runtime("ana")
    qtbot.waitUntil(lambda: bool(ben.contacts.find("ana")) and ben.contacts.find("ana")[0].online, timeout=10_000)
    qtbot.waitUntil(lambda: bool(ana.contacts.find("ben")) and ana.contacts.find("ben")[0].online, timeout=10_000)
    ana.messaging.send_text(ben.identity.id, "send me the cat")  # Ben is a known contact of Ana's now
    qtbot.waitUntil(lambda: ana.store.flush() and ana.store.is_known(ben.identity.id), timeout=10_000)
    picture = tmp_path / "cat.png"
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    image.save(str(picture))
    tid, ben_views, ana_views = send(qtbot, ben, ana, [picture])
    qtbot.waitUntil(lambda: ana_views.state(tid) == "done", timeout=20_000)
    view = ana_views.latest[tid]
    assert view.kind == "image" and not view.needs_decision
    assert view.thumb is not None and len(view.thumb) <= 24 * 1024
    thumb = QImage.fromData(view.thumb)
    assert max(thumb.width(), thumb.height()) <= 320


def test_the_sender_sees_progress_while_streaming(pair, qtbot, tmp_path):
    ben, ana = pair
    big = random_file(tmp_path / "src" / "big.bin", 96 * 2**20)
    tid, ben_views, ana_views = send(qtbot, ben, ana, [big])
    seen: list[int] = []

    class Progress(QObject):
        @Slot(object)
        def on_changed(self, view) -> None:
            if view.tid == tid and view.state == "progress":
                seen.append(view.bytes_done)

    progress = Progress()
    ben.transfers.transfer_changed.connect(progress.on_changed)
    qtbot.waitUntil(lambda: ben_views.state(tid) == "done", timeout=60_000)
    assert any(0 < n < big.stat().st_size for n in seen), seen
    assert seen == sorted(seen)
