"""The receiving half of transfers: partial files, hashing, final names (PROTOCOL.md §3.3–3.4).

`IncomingFiles` holds every accepted incoming transfer. Transfer
connections (each in its own thread) write through a `ReceiveSink`; the
registry's lock guards the shared state, and its signals report to the
main thread. Nothing is written outside the download folder, no symlink
inside it is followed, and an existing file is never overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.lanchat.net.connection import ConnectionWorker, RemotePeer
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import Data, Done, DoneReason, End, FileEntry
from lanchat.transports.lanchat.protocol.paths import free_name, safe_component

log = logging.getLogger("lanchat.core.incoming")

PARTIAL_DIR = ".lanchat-partial"
MAX_RUNNING = 8
PROGRESS_SECONDS = 0.1


class SaveError(Exception):
    """A finished file cannot be put under its final name; `reason` is a done reason."""

    def __init__(self, reason: DoneReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class IncomingFile:
    path: str
    size: int
    partial: Path
    have: int = 0
    saved_as: Path | None = None
    sha256: str | None = None
    ok: bool | None = None  # True once saved; None while it may still come
    error: str | None = None  # the reason of the last failed attempt


@dataclass
class IncomingTransfer:
    tid: str
    sender: str
    files: list[IncomingFile]
    cancelled: bool = False
    connection: ConnectionWorker | None = None
    hashers: dict[int, hashlib._Hash] = field(default_factory=dict)

    @property
    def bytes_done(self) -> int:
        return sum(f.have for f in self.files)

    @property
    def complete(self) -> bool:
        return all(f.ok for f in self.files)


@dataclass(frozen=True)
class FileFinished:
    """Payload of `file_finished`."""

    tid: str
    index: int
    ok: bool
    saved_as: str | None
    sha256: str | None
    reason: str | None


class IncomingFiles(QObject):
    """Accepted incoming transfers and their files on disk."""

    #: (tid, bytes held in all) at most every 0.1 s per transfer, from connection threads.
    progress = Signal(str, object)
    #: FileFinished, from connection threads.
    file_finished = Signal(object)
    #: tid: its transfer connection ended (from the connection's thread).
    connection_ended = Signal(str)

    def __init__(self, download_dir: Path, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.download_dir = download_dir
        self._clock = clock
        self._lock = threading.Lock()
        self._transfers: dict[str, IncomingTransfer] = {}
        self._running = 0
        self._windows = os.name == "nt"

    @property
    def partial_root(self) -> Path:
        return self.download_dir / PARTIAL_DIR

    # --- main thread --------------------------------------------------------

    def get(self, tid: str) -> IncomingTransfer | None:
        with self._lock:
            return self._transfers.get(tid)

    def accept(
        self,
        tid: str,
        sender: str,
        entries: tuple[FileEntry, ...],
        saved: dict[int, str] | None = None,
    ) -> list[int]:
        """Take on a transfer, new or known from an earlier run; returns `have`.

        Args:
            saved: files completed in an earlier run: index -> saved path.

        Zero-size files not saved before are created at once under their
        final names. Partial files on disk give the `have` of the others.

        Raises:
            OSError: the download folder cannot be used.
        """
        with self._lock:
            known = self._transfers.get(tid)
            if known is not None and not known.cancelled:
                return [f.have for f in known.files]
        folder = self.partial_root / tid
        folder.mkdir(parents=True, exist_ok=True)
        saved = saved or {}
        transfer = IncomingTransfer(tid, sender, [])
        for i, entry in enumerate(entries):
            partial = folder / f"{i}.part"
            file = IncomingFile(entry.path, entry.size, partial)
            transfer.files.append(file)
            if i in saved:
                file.ok, file.have, file.saved_as = True, entry.size, Path(saved[i])
            elif entry.size == 0:
                self._finish_empty(transfer, i)
            elif partial.exists():
                file.have = min(partial.stat().st_size, entry.size)
        with self._lock:
            self._transfers[tid] = transfer
        return [f.have for f in transfer.files]

    def open_partial(self, path: Path) -> IO[bytes]:
        """Open a partial file for appending (tests replace this to inject disk errors)."""
        return open(path, "ab")  # noqa: SIM115 - kept open across data frames, closed by the sink

    def free_space_ok(self, needed: int) -> bool:
        target = self.download_dir
        while not target.exists() and target != target.parent:
            target = target.parent
        try:
            return shutil.disk_usage(target).free >= needed
        except OSError:
            return True

    def cancel(self, tid: str) -> None:
        """Cancel a transfer: its connection closes, its partial files go."""
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None:
                return
            transfer.cancelled = True
            connection = transfer.connection
        if connection is not None:
            connection.stop()
        else:
            self._remove_partials(transfer)

    def forget(self, tid: str) -> None:
        with self._lock:
            transfer = self._transfers.pop(tid, None)
        if transfer is not None:
            self._remove_partials(transfer)

    # --- connection threads -------------------------------------------------

    def open_sink(self, remote: RemotePeer, worker: ConnectionWorker) -> ReceiveSink:
        """A sink for a new transfer connection. Raises busy when 8 are running."""
        with self._lock:
            if self._running >= MAX_RUNNING:
                raise RemoteProtocolError(ErrorCode.BUSY, f"{MAX_RUNNING} transfers are running already")
            self._running += 1
        return ReceiveSink(self, remote.id, worker)

    def _claim(self, tid: str, sender: str, sink: ReceiveSink) -> IncomingTransfer:
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None or transfer.sender != sender or transfer.cancelled:
                raise RemoteProtocolError(ErrorCode.UNKNOWN_TRANSFER, "no such transfer accepted", tid=tid)
            if transfer.connection is not None and transfer.connection is not sink.worker:
                raise RemoteProtocolError(ErrorCode.BUSY, "this transfer has a connection already", tid=tid)
            transfer.connection = sink.worker
            return transfer

    def _release(self, sink: ReceiveSink, transfer: IncomingTransfer | None) -> None:
        with self._lock:
            self._running -= 1
            if transfer is not None and transfer.connection is sink.worker:
                transfer.connection = None
                transfer.hashers.clear()
        if transfer is not None:
            if transfer.cancelled:
                self._remove_partials(transfer)
            self.connection_ended.emit(transfer.tid)

    def _finish_empty(self, transfer: IncomingTransfer, index: int) -> None:
        file = transfer.files[index]
        try:
            file.partial.touch()
            file.saved_as = self._move_into_place(file)
            file.ok, file.sha256 = True, hashlib.sha256().hexdigest()
        except SaveError as e:
            log.info("cannot save %s: %s", file.path, e)
            file.error = e.reason.value

    def _move_into_place(self, file: IncomingFile) -> Path:
        """Give a complete partial file its final name (never overwriting)."""
        parts = [safe_component(p, windows=self._windows) for p in file.path.split("/")]
        folder = self.download_dir
        for part in parts[:-1]:
            folder = folder / part
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                raise SaveError(DoneReason.IO_ERROR, f"{folder} exists and is not a folder")
            try:
                folder.mkdir(exist_ok=True)
            except OSError as e:
                raise SaveError(_reason(e), f"cannot create {folder}: {e.strerror}") from e
        for _ in range(1000):
            name = free_name(parts[-1], lambda n: os.path.lexists(folder / n))
            target = folder / name
            try:
                os.link(file.partial, target)
            except FileExistsError:
                continue  # taken meanwhile: try the next number
            except OSError as e:
                if e.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP):
                    raise SaveError(_reason(e), f"cannot save {target}: {e.strerror}") from e
                os.replace(file.partial, target)  # no hard links here (e.g. FAT)
                return target
            file.partial.unlink(missing_ok=True)
            return target
        raise SaveError(DoneReason.IO_ERROR, f"no free name for {parts[-1]}")

    def _remove_partials(self, transfer: IncomingTransfer) -> None:
        for file in transfer.files:
            file.partial.unlink(missing_ok=True)
        try:
            (self.partial_root / transfer.tid).rmdir()
        except OSError:
            pass


def _reason(error: OSError) -> DoneReason:
    return DoneReason.NO_SPACE if error.errno in (errno.ENOSPC, errno.EDQUOT) else DoneReason.IO_ERROR


class ReceiveSink:
    """The bytes of one transfer connection, as PROTOCOL.md §3.4 says (its thread only)."""

    def __init__(self, registry: IncomingFiles, sender: str, worker: ConnectionWorker) -> None:
        self.registry = registry
        self.sender = sender
        self.worker = worker
        self._transfer: IncomingTransfer | None = None
        self._index = -1
        self._out: IO[bytes] | None = None
        self._left = 0
        self._failed: dict[int, DoneReason] = {}
        self._last_progress = 0.0

    def on_data(self, frame: Data) -> None:
        transfer = self.registry._claim(frame.tid, self.sender, self)
        if self._transfer is not None and self._transfer is not transfer:
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, "one transfer connection carries one tid", tid=frame.tid)
        self._transfer = transfer
        if not 0 <= frame.i < len(transfer.files) or transfer.files[frame.i].ok is not None:
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, f"wrong file index {frame.i}", tid=frame.tid)
        file = transfer.files[frame.i]
        if frame.offset != file.have:
            raise RemoteProtocolError(
                ErrorCode.BAD_FRAME, f"offset {frame.offset}, but {file.have} bytes are held", tid=frame.tid
            )
        if frame.offset + frame.size > file.size:
            raise RemoteProtocolError(ErrorCode.TOO_LARGE, "more data than the file's size", tid=frame.tid)
        self._left = frame.size
        if self._index != frame.i:
            self._close_file()
            self._index = frame.i
        if frame.i in self._failed or self._out is not None:
            return
        try:
            if frame.i not in transfer.hashers:
                transfer.hashers[frame.i] = self._hash_prefix(file)
            self._out = self.registry.open_partial(file.partial)
        except OSError as e:
            self._fail(frame.i, _reason(e))

    def on_chunk(self, data: bytes) -> None:
        transfer = self._transfer
        assert transfer is not None
        self._left -= len(data)
        if transfer.cancelled or self._index in self._failed or self._out is None:
            return
        file = transfer.files[self._index]
        try:
            self._out.write(data)
        except OSError as e:
            self._fail(self._index, _reason(e))
            return
        transfer.hashers[self._index].update(data)
        file.have += len(data)
        now = self.registry._clock.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.registry.progress.emit(transfer.tid, transfer.bytes_done)

    def on_body_end(self) -> None:
        if self._out is not None:
            try:
                self._out.flush()
            except OSError as e:
                self._fail(self._index, _reason(e))

    def on_end(self, frame: End) -> Done:
        transfer = self.registry._claim(frame.tid, self.sender, self)
        self._transfer = transfer
        if not 0 <= frame.i < len(transfer.files):
            raise RemoteProtocolError(ErrorCode.BAD_FRAME, f"wrong file index {frame.i}", tid=frame.tid)
        if frame.i == self._index:
            self._close_file()
        file = transfer.files[frame.i]
        reason = self._failed.pop(frame.i, None)
        if transfer.cancelled:
            reason = DoneReason.CANCELLED
        hasher = transfer.hashers.pop(frame.i, None)
        if reason is None and (file.have != file.size or hasher is None and file.size > 0):
            reason = DoneReason.HASH_MISMATCH
        digest = hasher.hexdigest() if hasher is not None else hashlib.sha256(b"").hexdigest()
        if reason is None and digest != frame.sha256:
            reason = DoneReason.HASH_MISMATCH
        if reason is None:
            try:
                file.saved_as = self.registry._move_into_place(file)
            except SaveError as e:
                log.info("cannot save %s: %s", file.path, e)
                reason = e.reason
        if reason is None:
            file.ok, file.sha256, file.error = True, digest, None
        else:  # the sender may send it again from offset 0
            file.partial.unlink(missing_ok=True)
            file.have, file.error = 0, reason.value
        self.registry.file_finished.emit(
            FileFinished(transfer.tid, frame.i, reason is None, str(file.saved_as) if file.saved_as else None,
                         file.sha256, reason.value if reason else None)
        )
        return Done(transfer.tid, frame.i, reason is None, reason.value if reason else None)

    def on_closed(self) -> None:
        self._close_file()
        self.registry._release(self, self._transfer)

    def _hash_prefix(self, file: IncomingFile) -> hashlib._Hash:
        digest = hashlib.sha256()
        if file.have:
            with open(file.partial, "rb") as f:
                left = file.have
                while left:
                    block = f.read(min(1 << 20, left))
                    if not block:
                        break
                    digest.update(block)
                    left -= len(block)
            os.truncate(file.partial, file.have)
        return digest

    def _fail(self, index: int, reason: DoneReason) -> None:
        assert self._transfer is not None
        self._close_file()
        self._failed[index] = reason
        file = self._transfer.files[index]
        file.partial.unlink(missing_ok=True)
        file.have = 0
        self._transfer.hashers.pop(index, None)

    def _close_file(self) -> None:
        if self._out is not None:
            try:
                self._out.close()
            except OSError as e:
                if self._index not in self._failed:
                    self._fail(self._index, _reason(e))
            self._out = None
