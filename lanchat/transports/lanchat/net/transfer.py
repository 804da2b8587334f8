"""Transfer connections (docs/protocol.md §3.4): streaming files out, and receiving them.

The sending side is a `TransferSendWorker`: a client connection of purpose
`transfer` that streams each file disk → socket in large blocks, hashing
as it reads, and collects the receiver's `done` answers. The receiving side
is a server connection (`ReceivingWorker`) whose `data`/`end` frames go to
the download folder's `FileSink`, called in the connection's own thread.

Both ends move a file's bytes through one reused block of `BLOCK_BYTES`
(`readinto`/`recv_into`, no copy per TLS record): a `data` body is read
straight from TLS into the block, past the frame decoder, and the sink gets
whole blocks.
"""

from __future__ import annotations

import hashlib
import logging
import select
import ssl
from collections.abc import Callable
from io import FileIO

from PySide6.QtCore import Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.download_folder import Refusal, TransferRefused
from lanchat.core.transfers.file_sink import FileSink
from lanchat.core.transport import FileSent, OutgoingFile, SendProgress
from lanchat.transports.lanchat.net.connection import (
    IDLE_SECONDS,
    WRITE_SECONDS,
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
#: A file this small goes out whole, its `data` and `end` frames with it, in one write with its neighbours'
#: (a folder of 1000 small files: a few dozen writes, not 3000 TLS records).
SMALL_FILE_BYTES = 64 * 1024
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
    """A server connection whose `data`/`end` frames go to the download folder's `FileSink`.

    A `data` body is read straight from TLS into one reused block, past the
    frame decoder, and handed to the sink a block at a time.
    """

    def __init__(self, *args: object, open_sink: SinkOpener, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._open_sink = open_sink
        self._sink: FileSink | None = None
        self._block: memoryview | None = None  # made with the first `data` frame

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
                self._stream_body(self._sink)
            elif isinstance(frame, End):
                verdict = self._sink.end(frame.tid, frame.i, frame.sha256)
                self.send(Done(frame.tid, frame.i, verdict.ok, verdict.reason.wire if verdict.reason else None))
        except TransferRefused as e:
            raise _as_error(e) from None

    def _stream_body(self, sink: FileSink) -> None:
        """The body of a `data` frame to the sink, a block at a time: whole blocks, or what came in 0.1 s
        (a slow sender's bytes still reach the disk and the progress bar)."""
        tls = self._tls
        assert tls is not None
        if self._block is None:
            self._block = memoryview(bytearray(BLOCK_BYTES))
        decoder = self._decoder
        reading = False  # from the socket, not only what came with the header
        try:
            while left := decoder.body_left:
                if self._stopping:
                    raise Closed("stopped")
                block = self._block[: min(BLOCK_BYTES, left)]
                taken = decoder.take_body(block)  # what came with the header
                if taken < len(block) and not reading:
                    reading = True
                    tls.settimeout(PROGRESS_SECONDS)  # a pause of the sender hands what came so far to the sink
                filled = self._fill(tls, block, taken)
                decoder.body_received(filled - taken)
                sink.write(block[:filled])  # written and hashed before the block is filled again
        finally:
            if reading:
                tls.settimeout(WRITE_SECONDS)

    def _fill(self, tls: ssl.SSLSocket, view: memoryview, filled: int) -> int:
        """Read from TLS into `view` from `filled` on, until it is full, `PROGRESS_SECONDS` passed, or the sender
        paused that long (the socket's timeout); returns how full it is.

        The loop is all the work per TLS record (16 KiB), so it does little
        else. A quiet sender is ended by the 90 s idle rule, a stop within 0.1 s.
        """
        recv_into, want, monotonic = tls.recv_into, len(view), self._clock.monotonic
        hand_over_at = monotonic() + PROGRESS_SECONDS
        while filled < want:
            try:
                got = recv_into(view[filled:])
            except TimeoutError:  # the sender paused
                if self._stopping:
                    raise Closed("stopped") from None
                if filled:
                    break
                if monotonic() - self._last_rx > IDLE_SECONDS:
                    raise Closed("no data for 90 s") from None
                continue
            if not got:
                raise Closed("the peer closed the connection inside a body")
            filled += got
            if monotonic() >= hand_over_at:
                break
        self._last_rx = monotonic()
        return filled

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
        self._block: memoryview | None = None  # created with the first file
        self._small_files = bytearray()  # frames of small files not written yet (about a block at most)

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
            if file.size - file.have <= SMALL_FILE_BYTES:
                self._add_small_file(file)
            else:
                self._flush_small_files()
                self._stream_file(file)
        self._flush_small_files()
        while len(self._answers) < len(self.files) and not self._stopping:
            if self._wakeup.wait(tls, 1.0):
                self._receive(tls)
        if self._stopping:
            raise Closed("cancelled")

    def _open_source(self, file: OutgoingFile, digest: hashlib._Hash) -> FileIO:
        """The file, read and hashed up to what the receiver holds already (a resumed file)."""
        if self._block is None:
            self._block = memoryview(bytearray(BLOCK_BYTES))
        block = self._block
        try:
            source = open(file.source, "rb", buffering=0)  # noqa: SIM115 - the caller closes it
        except OSError as e:
            raise Closed(f"cannot read {file.source}: {e.strerror}") from e
        try:
            left = file.have
            while left:
                n = source.readinto(block[: min(len(block), left)])
                if not n:
                    raise Closed(f"{file.source} is shorter than before")
                digest.update(block[:n])
                left -= n
        except BaseException:
            source.close()
            raise
        return source

    def _stream_file(self, file: OutgoingFile) -> None:
        """`data` and the file's bytes, a block at a time, then `end`."""
        digest = hashlib.sha256()
        with self._open_source(file, digest) as source:
            block = self._block
            assert block is not None
            left = file.size - file.have
            self._write(codec.encode(Data(self.tid, file.index, file.have, left)))
            while left:
                n = source.readinto(block[: min(len(block), left)])
                if not n:
                    raise Closed(f"{file.source} changed while it was being sent")
                digest.update(block[:n])
                self._write(block[:n])
                left -= n
                self._sent += n
                self._report_progress()
                self._poll_answers()
        self._write(codec.encode(End(self.tid, file.index, digest.hexdigest())))

    def _add_small_file(self, file: OutgoingFile) -> None:
        """`data`, the bytes and `end` of a small file, queued with its neighbours' for one write."""
        digest = hashlib.sha256()
        with self._open_source(file, digest) as source:
            left = file.size - file.have
            body = source.read(left) if left else b""
            if len(body) != left:
                raise Closed(f"{file.source} changed while it was being sent")
        digest.update(body)
        batch = self._small_files
        batch += codec.encode(Data(self.tid, file.index, file.have, left))
        batch += body
        batch += codec.encode(End(self.tid, file.index, digest.hexdigest()))
        self._sent += left
        if len(batch) >= BLOCK_BYTES:
            self._flush_small_files()

    def _flush_small_files(self) -> None:
        if self._small_files:
            self._write(self._small_files)
            self._small_files.clear()
            self._report_progress()
            self._poll_answers()

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
