"""Offers and transfer connections from raw bytes: evil paths, bad data, a byte too many (§3.3–3.4)."""

from __future__ import annotations

import hashlib
import json

import pytest
from rawpeer import frame, handshake, in_thread

TID = "5" * 32


@pytest.fixture
def receiver(make_runtime):
    return make_runtime("ana", accept="auto")


def offer(tid: str, files: list[tuple[str, int]], kind: str = "files") -> bytes:
    entries = ",".join(f'{{"path":{json.dumps(p, ensure_ascii=False)},"size":{n}}}' for p, n in files)
    return frame(f'{{"t":"offer","tid":"{tid}","kind":"{kind}","files":[{entries}]}}')


def nothing_written(runtime) -> bool:
    root = runtime.downloads.path
    return not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


EVIL_PATHS = [
    "../x", "/etc/passwd", "a\\b", "C:x", "a/./b", "a//b", "a/", "a/../../b", "bell\x07.txt",
    "\u202etxt.exe", "a/b/c/d/e/f/g/h/i", "x" * 256,
]


@pytest.mark.parametrize("path", EVIL_PATHS, ids=lambda p: repr(p)[:20])
def test_evil_paths_are_rejected_and_nothing_touches_the_disk(receiver, raw_identity, qtbot, path):
    def body() -> None:
        client = handshake(receiver, raw_identity)
        client.send(offer(TID, [("fine.txt", 3), (path, 3)]))
        assert client.read_frame() == {"t": "reject", "tid": TID, "reason": "bad-path"}
        client.close()

    in_thread(qtbot, body)
    assert nothing_written(receiver)
    assert not receiver.downloads.partial_root.exists()


def test_duplicate_and_folder_clash_paths_are_rejected(receiver, raw_identity, qtbot):
    def body() -> None:
        client = handshake(receiver, raw_identity)
        client.send(offer(TID, [("A.txt", 1), ("a.txt", 1)]))
        assert client.read_frame()["reason"] == "bad-path"
        client.send(offer("6" * 32, [("a", 1), ("a/b", 1)]))
        assert client.read_frame()["reason"] == "bad-path"
        client.close()

    in_thread(qtbot, body)
    assert nothing_written(receiver)


def accepted_transfer(receiver, raw_identity, content: bytes):
    """Offer one file on a chat connection and return the accept."""
    chat = handshake(receiver, raw_identity)
    chat.send(offer(TID, [("note.txt", len(content))]))
    answer = chat.read_frame()
    assert answer == {"t": "accept", "tid": TID, "have": [0]}
    return chat


@pytest.mark.allow_warnings
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (frame(f'{{"t":"data","tid":"{"7" * 32}","i":0,"offset":0,"body":2}}') + b"hi", "unknown-transfer"),
        (frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":4,"body":2}}') + b"hi", "bad-frame"),
        (frame(f'{{"t":"data","tid":"{TID}","i":3,"offset":0,"body":2}}') + b"hi", "bad-frame"),
        (frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":0,"body":12}}') + b"hello world!", "too-large"),
        (frame(f'{{"t":"msg","mid":"{"8" * 32}","ts":1,"text":"x"}}'), "bad-frame"),
    ],
    ids=["unknown-tid", "non-contiguous-offset", "wrong-index", "a-byte-too-many", "chat-frame-on-transfer"],
)
def test_bad_data_frames(receiver, raw_identity, qtbot, data, code):
    def body() -> None:
        chat = accepted_transfer(receiver, raw_identity, b"hello world")
        transfer = handshake(receiver, raw_identity, purpose="transfer")
        transfer.send(data)
        answer = transfer.read_frame()
        assert answer["t"] == "error" and answer["code"] == code
        assert transfer.closed()
        chat.close()

    in_thread(qtbot, body)
    assert not (receiver.downloads.path / "note.txt").exists()


def test_data_and_end_from_raw_bytes_and_a_wrong_hash(receiver, raw_identity, qtbot):
    content = b"hello world"

    def body() -> None:
        chat = accepted_transfer(receiver, raw_identity, content)
        transfer = handshake(receiver, raw_identity, purpose="transfer")
        # In two data frames, then a wrong hash: the file fails and may be sent again.
        transfer.send(frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":0,"body":5}}') + content[:5])
        transfer.send(frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":5,"body":6}}') + content[5:])
        transfer.send(frame(f'{{"t":"end","tid":"{TID}","i":0,"sha256":"{"0" * 64}"}}'))
        assert transfer.read_frame() == {"t": "done", "tid": TID, "i": 0, "ok": False, "reason": "hash-mismatch"}
        digest = hashlib.sha256(content).hexdigest()
        transfer.send(frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":0,"body":11}}') + content)
        transfer.send(frame(f'{{"t":"end","tid":"{TID}","i":0,"sha256":"{digest}"}}'))
        assert transfer.read_frame() == {"t": "done", "tid": TID, "i": 0, "ok": True}
        transfer.close()
        # The same offer again: already complete, so `have` is the size.
        chat.send(offer(TID, [("note.txt", len(content))]))
        assert chat.read_frame() == {"t": "accept", "tid": TID, "have": [len(content)]}
        chat.send(offer(TID, [("other.txt", 4)]))
        assert chat.read_frame() == {"t": "reject", "tid": TID, "reason": "bad-offer"}
        chat.close()

    in_thread(qtbot, body)
    assert (receiver.downloads.path / "note.txt").read_bytes() == content


def test_end_before_all_bytes_is_a_hash_mismatch(receiver, raw_identity, qtbot):
    content = b"hello world"

    def body() -> None:
        chat = accepted_transfer(receiver, raw_identity, content)
        transfer = handshake(receiver, raw_identity, purpose="transfer")
        transfer.send(frame(f'{{"t":"data","tid":"{TID}","i":0,"offset":0,"body":5}}') + content[:5])
        digest = hashlib.sha256(content).hexdigest()
        transfer.send(frame(f'{{"t":"end","tid":"{TID}","i":0,"sha256":"{digest}"}}'))
        assert transfer.read_frame() == {"t": "done", "tid": TID, "i": 0, "ok": False, "reason": "hash-mismatch"}
        transfer.close()
        chat.close()

    in_thread(qtbot, body)
    assert not (receiver.downloads.path / "note.txt").exists()


def test_zero_size_files_are_created_on_accept(receiver, raw_identity, qtbot):
    def body() -> None:
        chat = handshake(receiver, raw_identity)
        chat.send(offer(TID, [("empty/.keep", 0), ("empty/also", 0)]))
        assert chat.read_frame() == {"t": "accept", "tid": TID, "have": [0, 0]}
        chat.close()

    in_thread(qtbot, body)
    assert (receiver.downloads.path / "empty" / ".keep").read_bytes() == b""
    assert (receiver.downloads.path / "empty" / "also").exists()
