"""The download folder's write path (core/transfers/file_sink.FileSink): views of a reused buffer, progress, names.

A transport hands the sink whole blocks of one buffer it reuses at once, so
the sink must have written and hashed each block before `write` returns, and
must keep no reference to it. Progress goes out at most every 0.1 s and
counts every file of the transfer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Slot

from lanchat.clock import FakeClock
from lanchat.core.transfers import unnamed_file
from lanchat.core.transfers.download_folder import DownloadFolder, ReceiveProgress
from lanchat.core.transfers.file_sink import PROGRESS_SECONDS, FileSink, FileVerdict, open_sink
from lanchat.core.transfers.offers import FileFailure, OfferedFile

TID = "9" * 32
SENDER = "a" * 64


class Progress(QObject):
    def __init__(self, folder: DownloadFolder) -> None:
        super().__init__()
        self.seen: list[int] = []
        folder.progress.connect(self.on_progress)

    @Slot(ReceiveProgress)
    def on_progress(self, progress: ReceiveProgress) -> None:
        self.seen.append(progress.bytes_done)


def test_blocks_of_one_reused_buffer_are_written_and_hashed_before_write_returns(qapp, tmp_path):
    folder = DownloadFolder(tmp_path / "downloads")
    pieces = [os.urandom(300_000) for _ in range(4)] + [b"end"]
    size = sum(map(len, pieces))
    folder.accept(TID, SENDER, (OfferedFile("reused.bin", size),))
    sink = open_sink(folder, SENDER, lambda: None)
    buffer = bytearray(300_000)
    view = memoryview(buffer)
    sink.begin(TID, 0, 0, size)
    for piece in pieces:
        view[: len(piece)] = piece
        sink.write(view[: len(piece)])
        view[:] = b"\xff" * len(view)  # the transport reuses its buffer at once
    sink.body_end()
    verdict = sink.end(TID, 0, hashlib.sha256(b"".join(pieces)).hexdigest())
    sink.close()
    assert verdict.ok
    assert (folder.path / "reused.bin").read_bytes() == b"".join(pieces)


def test_progress_at_most_every_tenth_of_a_second_counting_every_file(qapp, tmp_path):
    clock = FakeClock()
    folder = DownloadFolder(tmp_path / "downloads", clock=clock)
    progress = Progress(folder)
    first, second = os.urandom(1000), os.urandom(5000)
    folder.accept(TID, SENDER, (OfferedFile("a.bin", len(first)), OfferedFile("b.bin", len(second))))
    sink = open_sink(folder, SENDER, lambda: None)
    sink.begin(TID, 0, 0, len(first))
    sink.write(first)
    sink.body_end()
    assert sink.end(TID, 0, hashlib.sha256(first).hexdigest()).ok
    sink.begin(TID, 1, 0, len(second))
    for start in range(0, 4000, 1000):  # no time passes: no more progress
        sink.write(memoryview(second)[start : start + 1000])
    assert progress.seen == [1000]
    clock.advance(PROGRESS_SECONDS)
    sink.write(memoryview(second)[4000:])
    assert progress.seen == [1000, 6000]  # both files: the sum of what is held
    sink.body_end()
    assert sink.end(TID, 1, hashlib.sha256(second).hexdigest()).ok
    sink.close()
    assert folder.held(TID) is not None and folder.held(TID).bytes_done == 6000  # type: ignore[union-attr]


def test_the_cheap_reads_agree_with_the_snapshot(qapp, tmp_path):
    """`held_file`, `bytes_held` and `complete` answer for one transfer of many files without a snapshot of all."""
    folder = DownloadFolder(tmp_path / "downloads")
    contents = [os.urandom(n) for n in (10, 20, 30)]
    folder.accept(TID, SENDER, tuple(OfferedFile(f"f{i}", len(c)) for i, c in enumerate(contents)))
    sink = open_sink(folder, SENDER, lambda: None)
    for i, content in enumerate(contents[:2]):
        sink.begin(TID, i, 0, len(content))
        sink.write(content)
        sink.body_end()
        assert sink.end(TID, i, hashlib.sha256(content).hexdigest()).ok
    sink.begin(TID, 2, 0, 30)
    sink.write(contents[2][:5])
    held = folder.held(TID)
    assert held is not None
    assert [folder.held_file(TID, i) for i in range(3)] == list(held.files)
    assert folder.bytes_held(TID) == held.bytes_done == 35
    assert not folder.complete(TID) and not held.complete
    sink.write(contents[2][5:])
    sink.body_end()
    assert sink.end(TID, 2, hashlib.sha256(contents[2]).hexdigest()).ok
    sink.close()
    assert folder.complete(TID)
    assert folder.held_file(TID, 3) is None and folder.held_file("0" * 32, 0) is None
    assert folder.bytes_held("0" * 32) is None and not folder.complete("0" * 32)


def receive(sink: FileSink, index: int, content: bytes) -> FileVerdict:
    sink.begin(TID, index, 0, len(content))
    sink.write(content)
    sink.body_end()
    return sink.end(TID, index, hashlib.sha256(content).hexdigest())


def test_a_folder_removed_between_its_files_is_made_again_and_a_link_in_its_place_refused(qapp, tmp_path):
    """Each file checks its folders again: one removed meanwhile is made again, a link put there is not followed."""
    folder = DownloadFolder(tmp_path / "downloads")
    contents = [os.urandom(100) for _ in range(3)]
    folder.accept(TID, SENDER, tuple(OfferedFile(f"album/sub/{i}.bin", 100) for i in range(3)))
    sink = open_sink(folder, SENDER, lambda: None)
    assert receive(sink, 0, contents[0]).ok
    shutil.rmtree(folder.path / "album")
    assert receive(sink, 1, contents[1]).ok
    (folder.path / "album" / "sub" / "1.bin").unlink()
    (folder.path / "album" / "sub").rmdir()
    (folder.path / "album" / "sub").symlink_to(tmp_path)  # a link where the folder was is not followed
    verdict = receive(sink, 2, contents[2])
    sink.close()
    assert not verdict.ok
    assert not (tmp_path / "2.bin").exists()
    held = folder.held(TID)
    assert held is not None and held.files[1].saved_as == str(folder.path / "album" / "sub" / "1.bin")


def test_names_taken_get_the_next_free_number(qapp, tmp_path):
    folder = DownloadFolder(tmp_path / "downloads")
    folder.path.mkdir()
    for taken in ("a.txt", "a (1).txt", "a (3).txt"):
        (folder.path / taken).write_bytes(b"older")
    contents = [os.urandom(10) for _ in range(3)]
    folder.accept(TID, SENDER, tuple(OfferedFile("a.txt", 10) for _ in range(3)))
    sink = open_sink(folder, SENDER, lambda: None)
    assert all(receive(sink, i, content).ok for i, content in enumerate(contents))
    sink.close()
    assert [(folder.path / name).read_bytes() for name in ("a (2).txt", "a (4).txt", "a (5).txt")] == contents
    assert (folder.path / "a.txt").read_bytes() == b"older"
    assert sorted(os.listdir(folder.partial_root / TID)) == []


def test_complete_when_the_files_finish_out_of_order(qapp, tmp_path):
    folder = DownloadFolder(tmp_path / "downloads")
    contents = [os.urandom(10) for _ in range(3)]
    folder.accept(TID, SENDER, tuple(OfferedFile(f"f{i}", 10) for i in range(3)))
    sink = open_sink(folder, SENDER, lambda: None)
    answers = []
    for i in (2, 0, 1):
        assert receive(sink, i, contents[i]).ok
        answers.append(folder.complete(TID))
    sink.close()
    assert answers == [False, False, True]


def names_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if not p.is_dir())


def test_a_small_file_has_no_name_until_it_is_complete_and_checked(qapp, tmp_path):
    folder = DownloadFolder(tmp_path / "downloads")
    good, bad = os.urandom(5000), os.urandom(5000)
    folder.accept(TID, SENDER, (OfferedFile("good.bin", 5000), OfferedFile("bad.bin", 5000)))
    sink = open_sink(folder, SENDER, lambda: None)
    sink.begin(TID, 0, 0, 5000)
    sink.write(good)
    sink.body_end()
    assert names_under(folder.path) == []  # neither a partial file nor the final name
    assert folder.bytes_held(TID) == 5000
    assert sink.end(TID, 0, hashlib.sha256(good).hexdigest()).ok
    assert names_under(folder.path) == ["good.bin"]
    sink.begin(TID, 1, 0, 5000)
    sink.write(bad)
    sink.body_end()
    verdict = sink.end(TID, 1, hashlib.sha256(good).hexdigest())  # not what came
    sink.close()
    assert verdict.reason is FileFailure.HASH_MISMATCH
    assert names_under(folder.path) == ["good.bin"]
    assert folder.bytes_held(TID) == 5000


def test_a_small_file_cut_off_is_held_as_nothing_and_comes_again_from_the_start(qapp, tmp_path):
    folder = DownloadFolder(tmp_path / "downloads")
    content = os.urandom(5000)
    have = folder.accept(TID, SENDER, (OfferedFile("cut.bin", 5000),))
    sink = open_sink(folder, SENDER, lambda: None)
    sink.begin(TID, 0, 0, 5000)
    sink.write(content[:3000])
    sink.close()  # the connection drops inside the body
    assert folder.accept(TID, SENDER, (OfferedFile("cut.bin", 5000),)) == have == [0]
    assert names_under(folder.path) == []
    sink = open_sink(folder, SENDER, lambda: None)
    assert receive(sink, 0, content).ok
    sink.close()
    assert (folder.path / "cut.bin").read_bytes() == content


def test_where_there_are_no_unnamed_files_small_files_go_through_partial_files(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(unnamed_file, "_O_TMPFILE", 0)  # as on a system without O_TMPFILE
    folder = DownloadFolder(tmp_path / "downloads")
    contents = [os.urandom(100) for _ in range(2)]
    folder.accept(TID, SENDER, tuple(OfferedFile(f"{i}.bin", 100) for i in range(2)))
    sink = open_sink(folder, SENDER, lambda: None)
    sink.begin(TID, 0, 0, 100)
    sink.write(contents[0])
    sink.body_end()
    assert names_under(folder.path) == [f".lanchat-partial/{TID}/0.part"]
    assert sink.end(TID, 0, hashlib.sha256(contents[0]).hexdigest()).ok
    assert not folder.unnamed_files  # asked once, then remembered
    assert receive(sink, 1, contents[1]).ok
    sink.close()
    assert [(folder.path / f"{i}.bin").read_bytes() for i in range(2)] == contents
    assert names_under(folder.path) == ["0.bin", "1.bin"]
