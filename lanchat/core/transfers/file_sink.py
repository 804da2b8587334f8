"""One receiving connection's writing into the download folder (`FileSink`), for every network.

A transport opens a sink with `open_sink` for each connection that carries
files and calls it in that connection's thread: the bytes are written and
hashed as they come, and a complete file gets its final name through the
folder (download_folder.py), which holds the state the main thread reads.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lanchat.core.transfers.download_folder import (
    EMPTY_SHA256,
    NO_LINKS,
    AcceptedFile,
    AcceptedTransfer,
    DownloadFolder,
    FileFinished,
    ReceiveProgress,
    Refusal,
    SaveError,
    TransferRefused,
    failure_of,
)
from lanchat.core.transfers.offers import FileFailure
from lanchat.core.transfers.paths import path_problem
from lanchat.core.transfers.pictures import is_picture
from lanchat.core.transfers.unnamed_file import UnnamedFile

log = logging.getLogger("lanchat.core.file_sink")

#: Progress goes out at most this often per connection.
PROGRESS_SECONDS = 0.1
#: A file at most this big that arrives whole is written unnamed and named when complete (no partial file:
#: nothing to resume for so little, three system calls fewer for each of a folder's thousand small files).
WHOLE_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileVerdict:
    """What a sink says of one finished file (the transport tells the sender)."""

    ok: bool
    reason: FileFailure | None = None


def open_sink(folder: DownloadFolder, sender: str, stop_connection: Callable[[], None]) -> FileSink:
    """A sink for a new connection from `sender`; `stop_connection` closes it on cancel.

    Raises:
        TransferRefused: busy, when 8 are running.
    """
    folder.reserve_connection()
    return FileSink(folder, sender, stop_connection)


class FileSink:
    """The bytes of one receiving connection (its thread only).

    A transport calls `begin` for each run of bytes of one file, `write`
    for the bytes, `body_end` when the run is complete, `end` when the sender
    says the file is whole, and `close` when the connection ends. Each may
    raise `TransferRefused`.
    """

    def __init__(self, folder: DownloadFolder, sender: str, stop_connection: Callable[[], None]) -> None:
        self.folder = folder
        self.sender = sender
        self.stop_connection = stop_connection
        self._transfer: AcceptedTransfer | None = None
        self._index = -1
        self._out: IO[bytes] | UnnamedFile | None = None
        self._failed: dict[int, FileFailure] = {}
        self._last_progress = 0.0
        self._member: tuple[str, Path, hashlib._Hash, int] | None = None  # path, partial, hash, size left
        self._members = 0

    def _transfer_for(self, tid: str, index: int) -> AcceptedTransfer:
        transfer = self.folder.claim(tid, self)
        if self._transfer is not None and self._transfer is not transfer:
            raise TransferRefused(Refusal.BAD_DATA, "one connection carries one transfer", tid)
        self._transfer = transfer
        if not 0 <= index < len(transfer.files) or transfer.files[index].ok is not None:
            raise TransferRefused(Refusal.BAD_DATA, f"wrong file index {index}", tid)
        return transfer

    def begin(self, tid: str, index: int, offset: int, size: int, restart: bool = False) -> None:
        """`size` bytes of file `index` follow, starting at `offset` (which must be what is held).

        `restart`: the sender sends the whole file again whatever is held (a
        network without resume); what is held is dropped first.
        """
        transfer = self._transfer_for(tid, index)
        file = transfer.files[index]
        if file.folder:
            raise TransferRefused(Refusal.BAD_DATA, f"file {index} is a folder", tid)
        if restart and offset == 0 and file.have:
            self._close_file()
            file.partial.unlink(missing_ok=True)
            transfer.hashers.pop(index, None)
            self.folder.set_file(file, have=0)
        if offset != file.have:
            raise TransferRefused(Refusal.BAD_DATA, f"offset {offset}, but {file.have} bytes are held", tid)
        if offset + size > file.size:
            raise TransferRefused(Refusal.TOO_MUCH_DATA, "more data than the file's size", tid)
        if self._index != index:
            self._close_file()
            self._index = index
        if index in self._failed or self._out is not None:
            return
        try:
            if index not in transfer.hashers:
                transfer.hashers[index] = self._hash_prefix(file)
            self._out = self._open_for(transfer, file, offset, size)
        except OSError as e:
            self._fail(index, failure_of(e))

    def _open_for(
        self, transfer: AcceptedTransfer, file: AcceptedFile, offset: int, size: int
    ) -> IO[bytes] | UnnamedFile:
        """Where a run of bytes goes: an unnamed file for a small file arriving whole, else its partial file.

        (A picture taken without asking is checked by reading its partial file.)
        """
        if offset == 0 and size == file.size <= WHOLE_FILE_BYTES and not transfer.check_pictures:
            unnamed = self.folder.open_unnamed(file.partial.parent)
            if unnamed is not None:
                return unnamed
        return self.folder.open_partial(file.partial)

    def write(self, data: bytes | memoryview) -> None:
        """The next bytes of the current run. `data` may be a view of the caller's buffer: it is not kept.

        Large pieces cost least (a transport hands whole blocks): the work
        per call is a write, a hash update, a counter under the lock and a
        clock read; the progress signal goes out at most every 0.1 s.
        """
        transfer = self._transfer
        assert transfer is not None
        if transfer.cancelled or self._index in self._failed or self._out is None:
            return
        file = transfer.files[self._index]
        try:
            self._out.write(data)
        except OSError as e:
            self._fail(self._index, failure_of(e))
            return
        count = len(data)
        if self._member is not None:
            path, partial, digest, left = self._member
            digest.update(data)
            self._member = (path, partial, digest, left - count)
        else:
            transfer.hashers[self._index].update(data)
        self.folder.add_bytes(file, count)
        now = self.folder.clock.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.folder.progress.emit(ReceiveProgress(transfer.tid, self.folder.bytes_held_in(transfer)))

    def body_end(self) -> None:
        if self._out is not None:
            try:
                self._out.flush()
            except OSError as e:
                self._fail(self._index, failure_of(e))

    def end(self, tid: str, index: int, sha256: str | None) -> FileVerdict:
        """The sender says file `index` is complete; `sha256` None when its network sends no hash."""
        transfer = self.folder.claim(tid, self)
        self._transfer = transfer
        if not 0 <= index < len(transfer.files):
            raise TransferRefused(Refusal.BAD_DATA, f"wrong file index {index}", tid)
        unnamed = self._out if index == self._index and isinstance(self._out, UnnamedFile) else None
        if unnamed is not None:
            self._out = None  # named below, or discarded
        elif index == self._index:
            self._close_file()
        try:
            return self._end_file(transfer, index, sha256, unnamed)
        finally:
            if unnamed is not None:
                unnamed.close()

    def _end_file(
        self, transfer: AcceptedTransfer, index: int, sha256: str | None, unnamed: UnnamedFile | None
    ) -> FileVerdict:
        """File `index` checked and given its name (from `unnamed`, else its partial file), or failed."""
        file = transfer.files[index]
        reason = self._failed.pop(index, None)
        if transfer.cancelled:
            reason = FileFailure.CANCELLED
        if file.folder:
            return self._end_folder(transfer, index, reason)
        hasher = transfer.hashers.pop(index, None)
        if reason is None and (file.have != file.size or hasher is None and file.size > 0):
            reason = FileFailure.HASH_MISMATCH
        digest = hasher.hexdigest() if hasher is not None else EMPTY_SHA256
        if reason is None and sha256 is not None and digest != sha256:
            reason = FileFailure.HASH_MISMATCH
        if reason is None and transfer.check_pictures and not is_picture(file.partial, file.path):
            reason = FileFailure.NOT_A_PICTURE
        saved_as: Path | None = None
        if reason is None:
            try:
                saved_as = self.folder.move_into_place(unnamed or file.partial, file.path)
            except SaveError as e:
                log.info("cannot save %s: %s", file.path, e)
                reason = e.reason
        if reason is None:
            self.folder.set_file(file, ok=True, sha256=digest, error=None, saved_as=saved_as)
        else:  # the sender may send it again from offset 0
            file.partial.unlink(missing_ok=True)
            self.folder.set_file(file, have=0, error=reason.value)
        self.folder.file_finished.emit(FileFinished(
            transfer.tid, index, reason is None, str(saved_as) if saved_as else None,
            digest if reason is None else None, reason,
        ))
        return FileVerdict(reason is None, reason)

    # --- folders whose files are named as they arrive ---------------------------

    def make_folder(self, tid: str, index: int, path: str) -> None:
        """A folder inside folder entry `index` (`path` starts with the entry's own path); created now."""
        transfer = self._transfer_for(tid, index)
        self._check_member(transfer, index, path, folder=True)
        try:
            self.folder.folder_for(path.split("/"))
        except SaveError as e:
            self._fail(index, e.reason)

    def begin_member(self, tid: str, index: int, path: str, size: int) -> None:
        """The `size` bytes of one file of folder entry `index` follow; `path` is where it goes."""
        transfer = self._transfer_for(tid, index)
        self._check_member(transfer, index, path, folder=False)
        if self._index != index:
            self._close_file()
            self._index = index
        if index in self._failed:
            return
        self._members += 1
        partial = self.folder.partial_root / tid / f"{index}-{self._members}.member"
        try:
            self._out = self.folder.open_partial(partial)
        except OSError as e:
            self._fail(index, failure_of(e))
            return
        self._member = (path, partial, hashlib.sha256(), size)

    def end_member(self) -> FileVerdict:
        """The member's bytes are complete: it is saved under its path (a copy number when taken)."""
        if self._member is None:
            return FileVerdict(False, self._failed.get(self._index, FileFailure.IO_ERROR))
        path, partial, _digest, left = self._member
        self._member = None
        self._close_file()
        if self._index in self._failed or left != 0:
            partial.unlink(missing_ok=True)
            reason = self._failed.setdefault(self._index, FileFailure.HASH_MISMATCH)
            return FileVerdict(False, reason)
        try:
            self.folder.move_into_place(partial, path)
        except SaveError as e:
            partial.unlink(missing_ok=True)
            self._failed[self._index] = e.reason
            return FileVerdict(False, e.reason)
        return FileVerdict(True)

    def _check_member(self, transfer: AcceptedTransfer, index: int, path: str, folder: bool) -> None:
        entry = transfer.files[index]
        inside = path.startswith(entry.path + "/") or (folder and path == entry.path)
        if not entry.folder or path_problem(path) is not None or not inside:
            raise TransferRefused(Refusal.BAD_DATA, f"{path!r} does not belong in folder {entry.path!r}",
                                  transfer.tid)

    def give_up(self, tid: str, index: int, reason: FileFailure) -> None:
        """File `index` cannot arrive (the sender withdrew it, or keeps failing): it ends failed."""
        transfer = self._transfer_for(tid, index)
        if index == self._index:
            self._close_file()
        self._fail(index, reason)
        self.folder.set_file(transfer.files[index], error=reason.value)
        self.folder.file_finished.emit(FileFinished(tid, index, False, None, None, reason))

    def close(self) -> None:
        self._close_file()
        self.folder.release(self, self._transfer)

    def _end_folder(self, transfer: AcceptedTransfer, index: int, reason: FileFailure | None) -> FileVerdict:
        """Every file of folder entry `index` has come (or one failed): the folder ends."""
        file = transfer.files[index]
        saved_as: Path | None = None
        if reason is None:
            try:
                saved_as = self.folder.folder_for(file.path.split("/"))
            except SaveError as e:
                reason = e.reason
        if reason is None:
            self.folder.set_file(file, ok=True, error=None, saved_as=saved_as, size=max(file.size, file.have))
        else:
            self.folder.set_file(file, error=reason.value)
        self.folder.file_finished.emit(FileFinished(
            transfer.tid, index, reason is None, str(saved_as) if saved_as else None, None, reason,
        ))
        return FileVerdict(reason is None, reason)

    def _hash_prefix(self, file: AcceptedFile) -> hashlib._Hash:
        digest = hashlib.sha256()
        if file.have:
            fd = os.open(file.partial, os.O_RDWR | NO_LINKS)
            with os.fdopen(fd, "r+b") as f:
                left = file.have
                while left:
                    block = f.read(min(1 << 20, left))
                    if not block:
                        break
                    digest.update(block)
                    left -= len(block)
                f.truncate(file.have)
        return digest

    def _fail(self, index: int, reason: FileFailure) -> None:
        assert self._transfer is not None
        self._close_file()
        self._failed[index] = reason
        file = self._transfer.files[index]
        file.partial.unlink(missing_ok=True)
        self.folder.set_file(file, have=0)
        self._transfer.hashers.pop(index, None)

    def _close_file(self) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        try:
            out.close()
        except OSError as e:
            if self._index not in self._failed:
                self._fail(self._index, failure_of(e))
        if isinstance(out, UnnamedFile) and self._transfer is not None:  # discarded unsaved: nothing is held
            self.folder.set_file(self._transfer.files[self._index], have=0)
            self._transfer.hashers.pop(self._index, None)
