"""Transfer connections (docs/protocol.md §3.4): streaming files out, and receiving them.

The sending side is a `TransferSendWorker`: a client connection of purpose
`transfer` that streams each file disk → socket in large blocks, hashing
as it reads, and collects the receiver's `done` answers. The receiving side
is a server connection (`ReceivingWorker`) whose `data`/`end` frames go to
the download folder's `FileSink`, called in the connection's own thread.
"""

from __future__ import annotations

import hashlib
import logging
import select
from collections.abc import Callable

from PySide6.QtCore import Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.download_folder import FileSink, Refusal, TransferRefused
from lanchat.core.transport import FileSent, OutgoingFile, SendProgress
from lanchat.transports.lanchat.net.connection import (
    Closed,
    ConnectionWorker,
    LocalPeer,
    Refused,
    RemotePeer,
    client_context_cached,
)
from lanchat.transports.lanchat.protocol import codec
from lanchat.transports.lanchat.protocol.codec import Role
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import Data, Done, End, Error, Frame, Purpose

log = logging.getLogger("lanchat.net.transfer")

BLOCK_BYTES = 1024 * 1024
PROGRESS_SECONDS = 0.1


#: Opens the download folder's sink for a verified sender; its second argument
#: stops the connection (on cancel). Raises TransferRefused(busy) when no more
#: transfer connections may run.
SinkOpener = Callable[[str, Callable[[], None]], FileSink]

_ERROR_CODES = {
    Refusal.UNKNOWN_TRANSFER: ErrorCode.UNKNOWN_TRANSFER,
    Refusal.BAD_DATA: ErrorCode.BAD_FRAME,
    Refusal.TOO_MUCH_DATA: ErrorCode.TOO_LARGE,
    Refusal.BUSY: ErrorCode.BUSY,
}


def _as_error(refused: TransferRefused) -> RemoteProtocolError:
    return RemoteProtocolError(_ERROR_CODES[refused.code], refused.message, tid=refused.tid)


class ReceivingWorker(ConnectionWorker):
    """A server connection whose `data`/`end` frames go to the download folder's `FileSink`."""

    def __init__(self, *args: object, open_sink: SinkOpener, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._open_sink = open_sink
        self._sink: FileSink | None = None

    def _before_welcome(self, remote: RemotePeer) -> None:
        if remote.purpose is Purpose.TRANSFER:
            try:
                self._sink = self._open_sink(remote.id, self.stop)
            except TransferRefused as e:
                raise _as_error(e) from None

    def _on_frame(self, frame: Frame) -> None:
        try:
            if self._sink is None:
                super()._on_frame(frame)
            elif isinstance(frame, Data):
                self._sink.begin(frame.tid, frame.i, frame.offset, frame.size)
            elif isinstance(frame, End):
                verdict = self._sink.end(frame.tid, frame.i, frame.sha256)
                self.send(Done(frame.tid, frame.i, verdict.ok, verdict.reason.wire if verdict.reason else None))
        except TransferRefused as e:
            raise _as_error(e) from None

    def _on_body_chunk(self, data: bytes) -> None:
        if self._sink is None:
            super()._on_body_chunk(data)
        else:
            self._sink.write(data)

    def _on_body_end(self) -> None:
        if self._sink is None:
            super()._on_body_end()
        else:
            self._sink.body_end()

    def _after_close(self) -> None:
        if self._sink is not None:
            self._sink.close()


class TransferSendWorker(ConnectionWorker):
    """Streams the files of one accepted offer to the receiver."""

    #: Bytes sent so far on this connection: 0 once it is up, then at most every 0.1 s.
    progress = Signal(SendProgress)
    #: The receiver's `done` for each file.
    file_done = Signal(FileSent)

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

    @property
    def stopped_by_us(self) -> bool:
        return self._stopping

    @property
    def answered_all(self) -> bool:
        """Every file got the receiver's `done`."""
        return len(self._answers) >= len(self.files)

    def _serve(self) -> None:
        tls = self._tls
        assert tls is not None
        tls.settimeout(30.0)
        self.progress.emit(SendProgress(self.tid, 0))
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
            self.progress.emit(SendProgress(self.tid, self._sent))

    def _on_frame(self, frame: Frame) -> None:
        if isinstance(frame, Done) and frame.tid == self.tid:
            self._answers[frame.i] = frame
            self.file_done.emit(FileSent(self.tid, frame.i, frame.ok, frame.reason))
        elif isinstance(frame, Error):
            raise Refused(frame.code, f"the receiver refused the transfer: {frame.code}: {frame.message}")
        else:
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, f"unexpected '{frame.T}' on a transfer connection")
