"""The data path of transfer connections over real sockets (net/transfer.py, docs/protocol.md §3.4).

The receiver reads a `data` body straight from TLS into one block, past the
frame decoder; the sender reads files into one block and sends small files
together. These tests cut the stream where a receiver least expects it, stall
a sender inside a body, and resume files on both ends.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot
from rawpeer import RawClient, frame, handshake, in_thread

from lanchat.core.transfers.download_folder import ReceiveProgress
from lanchat.core.transport import FileSent, OutgoingFile
from lanchat.transports.lanchat.net.connection import Closure, LocalPeer
from lanchat.transports.lanchat.net.transfer import BLOCK_BYTES, SMALL_FILE_BYTES, TransferSendWorker
from lanchat.transports.workers import WorkerThread

TID = "3" * 32


@pytest.fixture
def receiver(make_runtime):
    return make_runtime("ana", accept="auto")


def offer(files: list[tuple[str, int]]) -> bytes:
    entries = ",".join(f'{{"path":{json.dumps(p)},"size":{n}}}' for p, n in files)
    return frame(f'{{"t":"offer","tid":"{TID}","kind":"files","files":[{entries}]}}')


def data(i: int, offset: int, body: bytes) -> bytes:
    return frame(f'{{"t":"data","tid":"{TID}","i":{i},"offset":{offset},"body":{len(body)}}}') + body


def end(i: int, content: bytes) -> bytes:
    return frame(f'{{"t":"end","tid":"{TID}","i":{i},"sha256":"{hashlib.sha256(content).hexdigest()}"}}')


def accepted_transfer(receiver, raw_identity, files: list[tuple[str, int]]) -> tuple[RawClient, RawClient]:
    """The chat connection that offered `files` (accepted, nothing held yet) and a transfer connection for them."""
    chat = handshake(receiver, raw_identity)
    chat.send(offer(files))
    assert chat.read_frame() == {"t": "accept", "tid": TID, "have": [0] * len(files)}
    return chat, handshake(receiver, raw_identity, purpose="transfer")


class HeldBytes(QObject):
    """Sets `reached` once the download folder reports `count` bytes held (its progress signal, on the GUI thread)."""

    def __init__(self, receiver, count: int) -> None:
        super().__init__()
        self.count = count
        self.reached = threading.Event()
        self.seen: list[int] = []
        receiver.downloads.progress.connect(self.on_progress)

    @Slot(ReceiveProgress)
    def on_progress(self, progress: ReceiveProgress) -> None:
        self.seen.append(progress.bytes_done)
        if progress.bytes_done == self.count:
            self.reached.set()


@pytest.mark.parametrize("piece", [None, 777_777, 16_411, 1000], ids=["one-write", "777777", "16411", "1000"])
def test_frames_cut_anywhere_arrive_intact(receiver, raw_identity, qtbot, piece):
    big = os.urandom(2 * BLOCK_BYTES + 12_345)  # crosses block boundaries, sent as two data frames
    tiny = b"ten bytes!"
    mid = os.urandom(70_000)
    files = [("big.bin", len(big)), ("tiny.txt", len(tiny)), ("mid.bin", len(mid))]
    half = BLOCK_BYTES + 7
    stream = (
        data(0, 0, big[:half]) + data(0, half, big[half:]) + end(0, big)
        + data(1, 0, tiny) + end(1, tiny) + data(2, 0, mid) + end(2, mid)
    )

    def body() -> None:
        chat, transfer = accepted_transfer(receiver, raw_identity, files)
        step = piece or len(stream)
        for start in range(0, len(stream), step):
            transfer.send(stream[start : start + step])
        for i in range(3):
            assert transfer.read_frame() == {"t": "done", "tid": TID, "i": i, "ok": True}
        transfer.close()
        chat.close()

    in_thread(qtbot, body)
    folder = receiver.downloads.path
    assert (folder / "big.bin").read_bytes() == big
    assert (folder / "tiny.txt").read_bytes() == tiny
    assert (folder / "mid.bin").read_bytes() == mid


def test_a_slow_senders_bytes_reach_the_disk_before_a_block_fills(receiver, raw_identity, qtbot):
    content = os.urandom(BLOCK_BYTES + 500)
    held = HeldBytes(receiver, 100_000)

    def body() -> None:
        chat, transfer = accepted_transfer(receiver, raw_identity, [("slow.bin", len(content))])
        transfer.send(data(0, 0, content)[: -len(content) + 100_000])  # the header and 100,000 bytes
        # Written and counted once the sender pauses for PROGRESS_SECONDS, not when the 1 MiB block is full.
        assert held.reached.wait(10), held.seen
        assert receiver.downloads.held(TID).bytes_done == 100_000  # type: ignore[union-attr]
        transfer.send(content[100_000:] + end(0, content))
        assert transfer.read_frame() == {"t": "done", "tid": TID, "i": 0, "ok": True}
        transfer.close()
        chat.close()

    in_thread(qtbot, body)
    assert (receiver.downloads.path / "slow.bin").read_bytes() == content


def test_cancel_wakes_a_receiver_waiting_inside_a_body(receiver, raw_identity, qtbot):
    """The receiving thread is blocked in recv_into (the sender went quiet); a cancel must not wait 30 s."""
    content = os.urandom(3 * BLOCK_BYTES)
    held = HeldBytes(receiver, 50_000)

    def body() -> None:
        chat, transfer = accepted_transfer(receiver, raw_identity, [("stalled.bin", len(content))])
        transfer.send(data(0, 0, content)[: -len(content) + 50_000])
        assert held.reached.wait(10), held.seen
        started = time.monotonic()
        receiver.downloads.cancel(TID)  # as the person's click does, from another thread
        assert transfer.closed()
        assert time.monotonic() - started < 2.0  # not the receiver's own 30 s socket timeout
        chat.close()

    in_thread(qtbot, body)
    qtbot.waitUntil(lambda: not any(receiver.downloads.partial_root.rglob("*.part")), timeout=5000)
    assert not (receiver.downloads.path / "stalled.bin").exists()


class Recorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[FileSent] = []
        self.closure: Closure | None = None

    @Slot(FileSent)
    def on_file_done(self, sent: FileSent) -> None:
        self.sent.append(sent)

    @Slot(object, Closure)
    def on_closed(self, worker: object, closure: Closure) -> None:
        self.closure = closure


def test_the_sender_resumes_big_and_small_files_and_batches_the_small(receiver, raw_identity, qtbot, tmp_path):
    """A sender worker against a real receiver that holds prefixes of some files (an earlier, cut run)."""
    sizes = [5000, 300_000, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1, 1, 2, 3, 0, 200]
    held_before = [1000, 123_457, 0, 0, 0, 0, 0, 0, 199]
    contents = [os.urandom(n) for n in sizes]
    sources = []
    for i, content in enumerate(contents):
        source = tmp_path / "out" / f"f{i}"
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(content)
        sources.append(source)
    partials = receiver.downloads.partial_root / TID
    partials.mkdir(parents=True)
    for i, have in enumerate(held_before):
        if have:
            (partials / f"{i}.part").write_bytes(contents[i][:have])
    from lanchat.core.transfers.offers import OfferedFile

    entries = tuple(OfferedFile(f"in/f{i}", n) for i, n in enumerate(sizes))
    assert receiver.downloads.accept(TID, raw_identity.id, entries, resume=True) == held_before

    files = [OutgoingFile(i, str(sources[i]), n, held_before[i]) for i, n in enumerate(sizes) if held_before[i] < n]
    local = LocalPeer(raw_identity, "raw", 40000)
    worker = TransferSendWorker(local, ("127.0.0.1", receiver.port), receiver.identity.id, TID, files)
    recorder = Recorder()
    worker.file_done.connect(recorder.on_file_done)
    worker.closed.connect(recorder.on_closed)
    thread = WorkerThread(worker, "lanchat-send-test")
    thread.start()
    qtbot.waitUntil(lambda: recorder.closure is not None, timeout=20_000)
    thread.stop()

    assert worker.answered_all
    assert sorted(s.index for s in recorder.sent) == [f.index for f in files]
    assert all(s.ok for s in recorder.sent), recorder.sent
    for i, content in enumerate(contents):
        if sizes[i]:
            assert Path(receiver.downloads.path / "in" / f"f{i}").read_bytes() == content, i
