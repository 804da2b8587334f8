"""Files arriving faster than the main thread hears of them (core/transfers/receiving.py).

A receiving thread may save every file of a transfer before the main thread
handles the first `file_finished`: the transfer is then complete at once,
and its `done` view must list every file as saved, not only those whose
signals came first.
"""

from __future__ import annotations

import hashlib
import threading

from PySide6.QtCore import QObject, Slot
from rawpeer import frame, handshake, in_thread

from lanchat.core.transfers.file_sink import open_sink
from lanchat.core.transfers.transfer import TransferView

TID = "5" * 32
CONTENTS = [f"file {i}\n".encode() * (i + 1) for i in range(40)]


class FirstDone(QObject):
    def __init__(self, runtime) -> None:
        super().__init__()
        self.view: TransferView | None = None
        runtime.transfers.transfer_changed.connect(self.on_changed)

    @Slot(TransferView)
    def on_changed(self, view: TransferView) -> None:
        if view.state == "done" and self.view is None:
            self.view = view


def test_the_done_view_lists_every_file_when_their_signals_lag_behind(make_runtime, raw_identity, qtbot):
    ana = make_runtime("ana", accept="auto")
    first_done = FirstDone(ana)
    entries = ",".join(f'{{"path":"notes/{i}.txt","size":{len(c)}}}' for i, c in enumerate(CONTENTS))

    def offer() -> None:
        chat = handshake(ana, raw_identity)
        chat.send(frame(f'{{"t":"offer","tid":"{TID}","kind":"files","files":[{entries}]}}'))
        assert chat.read_frame()["t"] == "accept"
        chat.close()

    in_thread(qtbot, offer)

    def stream_every_file() -> None:  # as a transport's receiving thread does
        sink = open_sink(ana.downloads, raw_identity.id, lambda: None)
        for i, content in enumerate(CONTENTS):
            sink.begin(TID, i, 0, len(content))
            sink.write(content)
            sink.body_end()
            assert sink.end(TID, i, hashlib.sha256(content).hexdigest()).ok
        sink.close()

    receiving = threading.Thread(target=stream_every_file)
    receiving.start()
    receiving.join()  # this (the main) thread has handled none of its signals yet
    qtbot.waitUntil(lambda: first_done.view is not None, timeout=10_000)
    assert first_done.view is not None
    assert [f.ok for f in first_done.view.files] == [True] * len(CONTENTS)
    for f, content in zip(first_done.view.files, CONTENTS, strict=True):
        assert f.saved_as is not None and f.sha256 == hashlib.sha256(content).hexdigest()
        with open(f.saved_as, "rb") as saved:
            assert saved.read() == content
    assert [f.path for f in first_done.view.files] == [f"notes/{i}.txt" for i in range(len(CONTENTS))]
