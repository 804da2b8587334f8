"""Transfer connections (PROTOCOL.md §3.4): streaming files out, and the receiving hook.

The sending side is a `TransferSendWorker`: a client connection of purpose
`transfer` that streams each file disk → socket in large blocks, hashing
as it reads, and collects the receiver's `done` answers. The receiving side
is a server connection whose `data`/`end` frames go to a `TransferSink`
supplied by the owner (core), called in the connection's own thread.
"""

from __future__ import annotations

import hashlib
import logging
import select
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.lanchat.net.connection import Closed, ConnectionWorker, LocalPeer, RemotePeer, client_context_cached
from lanchat.transports.lanchat.protocol import codec
from lanchat.transports.lanchat.protocol.codec import Role
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import Data, Done, End, Frame, Purpose

log = logging.getLogger("lanchat.net.transfer")

BLOCK_BYTES = 1024 * 1024
PROGRESS_SECONDS = 0.1


class TransferSink(Protocol):
    """Where the bytes of one incoming transfer connection go (called in its thread).

    Each method may raise `RemoteProtocolError` (unknown-transfer, bad-frame,
    too-large, busy) to fail the connection.
    """

    def on_data(self, frame: Data) -> None: ...

    def on_chunk(self, data: bytes) -> None: ...

    def on_body_end(self) -> None: ...

    def on_end(self, frame: End) -> Done: ...

    def on_closed(self) -> None: ...


#: Called with the verified peer and its connection after a transfer hello,
#: before `welcome`; raises RemoteProtocolError(busy) when no more transfer
#: connections may run.
SinkFactory = Callable[[RemotePeer, ConnectionWorker], TransferSink]


@dataclass(frozen=True)
class OutgoingFile:
    """File i of an accepted offer, as the sender streams it."""

    index: int
    source: Path
    size: int
    have: int  # bytes the receiver already holds


class ReceivingWorker(ConnectionWorker):
    """A server connection whose transfer frames go to a `TransferSink`."""

    def __init__(self, *args: object, sink_factory: SinkFactory, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._sink_factory = sink_factory
        self._sink: TransferSink | None = None

    def _before_welcome(self, remote: RemotePeer) -> None:
        if remote.purpose is Purpose.TRANSFER:
            self._sink = self._sink_factory(remote, self)

    def _on_frame(self, frame: Frame) -> None:
        if self._sink is None:
            super()._on_frame(frame)
        elif isinstance(frame, Data):
            self._sink.on_data(frame)
        elif isinstance(frame, End):
            self.send(self._sink.on_end(frame))

    def _on_body_chunk(self, data: bytes) -> None:
        if self._sink is None:
            super()._on_body_chunk(data)
        else:
            self._sink.on_chunk(data)

    def _on_body_end(self) -> None:
        if self._sink is None:
            super()._on_body_end()
        else:
            self._sink.on_body_end()

    def _after_close(self) -> None:
        if self._sink is not None:
            self._sink.on_closed()


class TransferSendWorker(ConnectionWorker):
    """Streams the files of one accepted offer to the receiver."""

    #: (tid, bytes sent so far in this connection), at most every 0.1 s.
    progress = Signal(str, object)
    #: (tid, Done) for every answered `end`.
    file_done = Signal(str, object)

    def __init__(
        self,
        local: LocalPeer,
        address: tuple[str, int],
        expected_id: str,
        tid: str,
        files: list[OutgoingFile],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(
            local, role=Role.CLIENT, address=address, expected_id=expected_id,
            purpose=Purpose.TRANSFER, client_context=client_context_cached(), clock=clock,
        )
        self.tid = tid
        self.files = files
        self._answers: dict[int, Done] = {}
        self._sent = 0
        self._last_progress = 0.0

    def _serve(self) -> None:
        tls = self._tls
        assert tls is not None
        tls.settimeout(30.0)
        for file in self.files:
            if self._stopping:
                raise Closed("cancelled")
            self._send_file(file)
        while len(self._answers) < len(self.files) and not self._stopping:
            if self._wakeup.wait(tls, 1.0):
                self._receive(tls)
        if self._stopping:
            raise Closed("cancelled")

    def _send_file(self, file: OutgoingFile) -> None:
        digest = hashlib.sha256()
        try:
            source = open(file.source, "rb")  # noqa: SIM115 - closed below, streamed in blocks
        except OSError as e:
            raise Closed(f"cannot read {file.source}: {e.strerror}") from e
        with source:
            prefix_left = file.have
            while prefix_left:  # a resumed file: hash what the receiver already holds
                block = source.read(min(BLOCK_BYTES, prefix_left))
                if not block:
                    raise Closed(f"{file.source} is shorter than before")
                digest.update(block)
                prefix_left -= len(block)
            left = file.size - file.have
            self._write(codec.encode(Data(self.tid, file.index, file.have, left)))
            while left:
                block = source.read(min(BLOCK_BYTES, left))
                if not block:
                    raise Closed(f"{file.source} changed while it was being sent")
                digest.update(block)
                self._write(block)
                left -= len(block)
                self._sent += len(block)
                self._report_progress()
                self._poll_answers()
            self._write(codec.encode(End(self.tid, file.index, digest.hexdigest())))

    def _poll_answers(self) -> None:
        tls = self._tls
        assert tls is not None
        if tls.pending() or select.select([tls], [], [], 0)[0]:
            self._receive(tls)
        if self._stopping:
            raise Closed("cancelled")

    def _report_progress(self) -> None:
        now = self._clock.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.progress.emit(self.tid, self._sent)

    def _on_frame(self, frame: Frame) -> None:
        if isinstance(frame, Done) and frame.tid == self.tid:
            self._answers[frame.i] = frame
            self.file_done.emit(self.tid, frame)
        elif frame.T == "error":
            raise Closed(f"the receiver refused the transfer: {frame}")
        else:
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, f"unexpected '{frame.T}' on a transfer connection")
