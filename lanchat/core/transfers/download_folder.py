"""Where received files go on every network: partial files, hashing, final names (docs/protocol.md §3.3–3.4).

`DownloadFolder` holds every accepted incoming transfer. A transport's
receiving thread writes through a `FileSink` (a small file arriving whole
into an unnamed file, any other into a partial file); the folder's lock guards
the shared state, the main thread reads frozen snapshots (`held`), and the
signals report to the main thread. Nothing is written outside the download
folder, no symlink inside it is followed, and an existing file is never
overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.offers import FileFailure, OfferedFile
from lanchat.core.transfers.paths import PARTIAL_DIR, numbered_name, path_problem, safe_component
from lanchat.core.transfers.pictures import is_picture
from lanchat.core.transfers.unnamed_file import UnnamedFile, Unsupported

log = logging.getLogger("lanchat.core.download_folder")

MAX_RUNNING = 8
PROGRESS_SECONDS = 0.1
WRITE_BUFFER_BYTES = 64 * 1024  # larger writes (a transport's blocks) go straight to the file
#: A file at most this big that arrives whole is written unnamed and named when complete (no partial file:
#: nothing to resume for so little, three system calls fewer for each of a folder's thousand small files).
WHOLE_FILE_BYTES = 1024 * 1024
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class Refusal(StrEnum):
    """Why a sink refuses what a sender streams (a transport maps it to its wire's error)."""

    UNKNOWN_TRANSFER = "unknown-transfer"  # no such accepted transfer from this sender
    BAD_DATA = "bad-data"  # a wrong file index or offset, two transfers on one connection
    TOO_MUCH_DATA = "too-much-data"  # more bytes than the file's size
    BUSY = "busy"  # 8 are running, or this transfer has a connection already


class TransferRefused(Exception):
    def __init__(self, code: Refusal, message: str, tid: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.tid = tid


class SaveError(Exception):
    """A finished file cannot be put under its final name."""

    def __init__(self, reason: FileFailure, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class _File:
    path: str
    size: int
    partial: Path
    folder: bool = False  # a folder whose files are named as they arrive
    have: int = 0
    saved_as: Path | None = None
    sha256: str | None = None
    ok: bool | None = None  # True once saved; None while it may still come
    error: str | None = None  # the reason of the last failed attempt


@dataclass
class _Transfer:
    tid: str
    sender: str
    files: list[_File]
    cancelled: bool = False
    check_pictures: bool = False  # auto-accepted as a picture: its bytes must decode as one
    stop_connection: Callable[[], None] | None = None
    connection: object | None = None  # the sink streaming it now
    hashers: dict[int, hashlib._Hash] = field(default_factory=dict)
    saved_before: int = 0  # files[:saved_before] are all saved (a file saved stays saved)


@dataclass(frozen=True)
class HeldFile:
    """A snapshot of one file of an accepted transfer."""

    path: str
    size: int
    have: int
    partial: str
    saved_as: str | None
    sha256: str | None
    ok: bool | None
    error: str | None


@dataclass(frozen=True)
class HeldTransfer:
    """A snapshot of an accepted incoming transfer, safe to keep on the main thread."""

    tid: str
    sender: str
    files: tuple[HeldFile, ...]

    @property
    def bytes_done(self) -> int:
        return sum(f.have for f in self.files)

    @property
    def complete(self) -> bool:
        return all(f.ok for f in self.files)


@dataclass(frozen=True)
class ReceiveProgress:
    tid: str
    bytes_done: int  # in all files of the transfer


@dataclass(frozen=True)
class FileFinished:
    """One file's end: saved under `saved_as`, or failed for `reason`."""

    tid: str
    index: int
    ok: bool
    saved_as: str | None
    sha256: str | None
    reason: FileFailure | None


@dataclass(frozen=True)
class FileVerdict:
    """What a sink says of one finished file (the transport tells the sender)."""

    ok: bool
    reason: FileFailure | None = None


def _snapshot(transfer: _Transfer) -> HeldTransfer:
    return HeldTransfer(transfer.tid, transfer.sender, tuple(_snapshot_file(f) for f in transfer.files))


def _snapshot_file(f: _File) -> HeldFile:
    return HeldFile(f.path, f.size, f.have, str(f.partial), str(f.saved_as) if f.saved_as else None,
                    f.sha256, f.ok, f.error)


class DownloadFolder(QObject):
    """Accepted incoming transfers and their files on disk."""

    #: At most every 0.1 s per transfer, from receiving threads.
    progress = Signal(ReceiveProgress)
    #: From receiving threads.
    file_finished = Signal(FileFinished)
    #: tid: the connection that streamed it ended (from its thread).
    connection_ended = Signal(str)

    def __init__(self, path: Path, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.path = path.resolve()  # the folder may be a link; nothing below it is followed
        self._clock = clock
        self._lock = threading.Lock()
        self._transfers: dict[str, _Transfer] = {}
        self._running = 0
        self._windows = os.name == "nt"
        #: Small files arriving whole are written as unnamed files; False once this folder turned out to have none.
        self.unnamed_files = True

    @property
    def partial_root(self) -> Path:
        return self.path / PARTIAL_DIR

    # --- main thread --------------------------------------------------------

    def held(self, tid: str) -> HeldTransfer | None:
        """A snapshot of what is held for `tid`, or None when it is not accepted."""
        with self._lock:
            transfer = self._transfers.get(tid)
            return _snapshot(transfer) if transfer is not None else None

    def held_file(self, tid: str, index: int) -> HeldFile | None:
        """A snapshot of file `index` of `tid` (cheaper than `held` for one file of a thousand)."""
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None or not 0 <= index < len(transfer.files):
                return None
            return _snapshot_file(transfer.files[index])

    def bytes_held(self, tid: str) -> int | None:
        """The bytes held for `tid` in all its files, or None when it is not accepted."""
        with self._lock:
            transfer = self._transfers.get(tid)
            return sum(f.have for f in transfer.files) if transfer is not None else None

    def complete(self, tid: str) -> bool:
        """Every file of `tid` is saved (False when it is not accepted).

        Asked as each file finishes: it walks on from the first file not
        saved when last asked, not over a thousand files each time.
        """
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None:
                return False
            files, i = transfer.files, transfer.saved_before
            while i < len(files) and files[i].ok:
                i += 1
            transfer.saved_before = i
            return i == len(files)

    def accept(
        self,
        tid: str,
        sender: str,
        entries: tuple[OfferedFile, ...],
        saved: dict[int, str] | None = None,
        resume: bool = False,
        check_pictures: bool = False,
    ) -> list[int]:
        """Take on a transfer, new or known from an earlier run; returns `have`.

        Args:
            saved: files completed in an earlier run: index -> saved path.
            resume: history says we accepted this transfer in an earlier run,
                so its partial files are ours; otherwise whatever lies in its
                partial folder is removed (lanchat never trusts a partial
                file it did not record).
            check_pictures: the bytes of each file must decode as the
                picture its name says, or it is not saved.

        Zero-size files not saved before are created at once under their
        final names.

        Raises:
            OSError: the download folder cannot be used.
        """
        with self._lock:
            known = self._transfers.get(tid)
            if known is not None and not known.cancelled:
                return [f.have for f in known.files]
        folder = self._partial_folder(tid, keep=resume)
        saved = saved or {}
        transfer = _Transfer(tid, sender, [], check_pictures=check_pictures)
        for i, entry in enumerate(entries):
            partial = folder / f"{i}.part"
            file = _File(entry.path, entry.size, partial, entry.folder)
            transfer.files.append(file)
            if i in saved:
                file.ok, file.have, file.saved_as = True, entry.size, Path(saved[i])
            elif entry.folder:
                partial.unlink(missing_ok=True)  # a folder's files arrive whole each time
            elif entry.size == 0:
                self._finish_empty(file)
            elif resume:
                file.have = min(_regular_size(partial), entry.size)
        with self._lock:
            self._transfers[tid] = transfer
        return [f.have for f in transfer.files]

    def open_partial(self, path: Path) -> IO[bytes]:
        """Open a partial file for appending, never through a link (tests replace this to inject disk errors)."""
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
        return os.fdopen(fd, "ab", buffering=WRITE_BUFFER_BYTES)  # a size given: no terminal check

    def open_unnamed(self, folder: Path) -> UnnamedFile | None:
        """An unnamed file in `folder`, or None where there are none (then never asked again).

        Raises:
            OSError: the folder cannot be written.
        """
        if not self.unnamed_files:
            return None
        try:
            return UnnamedFile(folder)
        except Unsupported as e:
            log.info("partial files only in %s: %s", self.path, e)
            self.unnamed_files = False
            return None

    def _partial_folder(self, tid: str, keep: bool) -> Path:
        """`.lanchat-partial/<tid>/`, real folders both (a link there is refused); emptied unless `keep`."""
        self.path.mkdir(parents=True, exist_ok=True)
        _real_folder(self.path)
        root = _real_folder(self.partial_root)
        folder = _real_folder(root / tid)
        if not keep:
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)  # does not follow links inside
                else:
                    os.unlink(entry.path)
        return folder

    def free_space_ok(self, needed: int) -> bool:
        target = self.path
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
            stop = transfer.stop_connection
        if stop is not None:
            stop()
        else:
            self._remove_partials(transfer)

    def forget(self, tid: str) -> None:
        with self._lock:
            transfer = self._transfers.pop(tid, None)
        if transfer is not None:
            self._remove_partials(transfer)

    def remove_unused_partials(self) -> int:
        """Remove what `.lanchat-partial/` holds for no transfer held now; returns how many entries went."""
        root = self.partial_root
        try:
            entries = list(os.scandir(root))
        except (FileNotFoundError, NotADirectoryError):
            return 0
        with self._lock:
            held = set(self._transfers)
        removed = 0
        for entry in entries:
            if entry.name in held and entry.is_dir(follow_symlinks=False):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)  # does not follow links inside
                else:
                    os.unlink(entry.path)
                removed += 1
            except OSError as e:
                log.info("cannot remove %s: %s", entry.path, e.strerror)
        return removed

    # --- receiving threads -------------------------------------------------

    def open_sink(self, sender: str, stop_connection: Callable[[], None]) -> FileSink:
        """A sink for a new connection from `sender`; `stop_connection` closes it on cancel.

        Raises:
            TransferRefused: busy, when 8 are running.
        """
        with self._lock:
            if self._running >= MAX_RUNNING:
                raise TransferRefused(Refusal.BUSY, f"{MAX_RUNNING} transfers are running already")
            self._running += 1
        return FileSink(self, sender, stop_connection)

    def _claim(self, tid: str, sink: FileSink) -> _Transfer:
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None or transfer.sender != sink.sender or transfer.cancelled:
                raise TransferRefused(Refusal.UNKNOWN_TRANSFER, "no such transfer accepted", tid)
            if transfer.connection is not None and transfer.connection is not sink:
                raise TransferRefused(Refusal.BUSY, "this transfer has a connection already", tid)
            transfer.connection = sink
            transfer.stop_connection = sink.stop_connection
            return transfer

    def _release(self, sink: FileSink, transfer: _Transfer | None) -> None:
        with self._lock:
            self._running -= 1
            if transfer is not None and transfer.connection is sink:
                transfer.connection = None
                transfer.stop_connection = None
                transfer.hashers.clear()
        if transfer is not None:
            if transfer.cancelled:
                self._remove_partials(transfer)
            self.connection_ended.emit(transfer.tid)

    def _add_bytes(self, file: _File, count: int) -> None:
        """Count `count` more bytes of `file`."""
        with self._lock:
            file.have += count

    def _bytes_held(self, transfer: _Transfer) -> int:
        """The transfer's bytes held in all its files (a walk of them: only when progress is due)."""
        with self._lock:
            return sum(f.have for f in transfer.files)

    def _set(self, file: _File, **values: object) -> None:
        with self._lock:
            for key, value in values.items():
                setattr(file, key, value)

    def _finish_empty(self, file: _File) -> None:
        try:
            file.partial.touch()
            file.saved_as = self._move_into_place(file.partial, file.path)
            file.ok, file.sha256 = True, EMPTY_SHA256
        except SaveError as e:
            log.info("cannot save %s: %s", file.path, e)
            file.error = e.reason.value

    def _folder_for(self, parts: list[str]) -> Path:
        """The folder `parts` under the download folder, created as needed; folders merge, links are refused.

        One `lstat` per existing part (this runs for every file received).
        """
        folder = self.path
        for part in parts:
            folder = folder / safe_component(part, windows=self._windows)
            try:
                try:
                    mode = os.lstat(folder).st_mode
                except FileNotFoundError:
                    try:
                        os.mkdir(folder)
                        continue
                    except FileExistsError:  # made meanwhile
                        mode = os.lstat(folder).st_mode
            except OSError as e:
                raise SaveError(_reason(e), f"cannot create {folder}: {e.strerror}") from e
            if not stat.S_ISDIR(mode):
                raise SaveError(FileFailure.IO_ERROR, f"{folder} exists and is not a folder")
        return folder

    def _move_into_place(self, partial: Path | UnnamedFile, rel_path: str) -> Path:
        """Give a complete file its final name, `rel_path` under the download folder (never overwriting)."""
        parent, _, name = rel_path.rpartition("/")
        folder = self._folder_for(parent.split("/") if parent else [])
        return self._link_free(partial, folder, safe_component(name, windows=self._windows))

    def _link_free(self, partial: Path | UnnamedFile, folder: Path, name: str) -> Path:
        """Give `partial` the name `name` in `folder`, or the first free numbered variant of it.

        Raises:
            SaveError: it cannot be saved.
        """
        for n in range(1000):
            target = folder / (numbered_name(name, n) if n else name)
            try:
                if isinstance(partial, UnnamedFile):
                    partial.link(target)
                    return target
                os.link(partial, target)
            except FileExistsError:
                continue  # taken: try the next number
            except OSError as e:
                if isinstance(partial, UnnamedFile) or e.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP):
                    raise SaveError(_reason(e), f"cannot save {target}: {e.strerror}") from e
                if os.path.lexists(target):
                    continue
                os.replace(partial, target)  # no hard links here (e.g. FAT)
                return target
            partial.unlink(missing_ok=True)
            return target
        raise SaveError(FileFailure.IO_ERROR, f"no free name for {name}")

    def _remove_partials(self, transfer: _Transfer) -> None:
        folder = self.partial_root / transfer.tid
        for file in transfer.files:
            if not file.ok:  # a saved file's partial name went when it was saved
                file.partial.unlink(missing_ok=True)
        for member in folder.glob("*.member"):
            member.unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _real_folder(path: Path) -> Path:
    """`path`, created if needed; OSError when it is a link or not a folder (nothing is followed)."""
    try:
        path.mkdir(exist_ok=True)
    except FileExistsError:
        pass
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        raise OSError(errno.ENOTDIR, f"{path} is not a folder (lanchat does not follow links there)")
    return path


def _regular_size(path: Path) -> int:
    """The size of a regular file at `path` (not through a link); 0 when there is none."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def _reason(error: OSError) -> FileFailure:
    return FileFailure.NO_SPACE if error.errno in (errno.ENOSPC, errno.EDQUOT) else FileFailure.IO_ERROR


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
        self._transfer: _Transfer | None = None
        self._index = -1
        self._out: IO[bytes] | UnnamedFile | None = None
        self._failed: dict[int, FileFailure] = {}
        self._last_progress = 0.0
        self._member: tuple[str, Path, hashlib._Hash, int] | None = None  # path, partial, hash, size left
        self._members = 0

    def _transfer_for(self, tid: str, index: int) -> _Transfer:
        transfer = self.folder._claim(tid, self)
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
            self.folder._set(file, have=0)
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
            self._fail(index, _reason(e))

    def _open_for(self, transfer: _Transfer, file: _File, offset: int, size: int) -> IO[bytes] | UnnamedFile:
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
            self._fail(self._index, _reason(e))
            return
        count = len(data)
        if self._member is not None:
            path, partial, digest, left = self._member
            digest.update(data)
            self._member = (path, partial, digest, left - count)
        else:
            transfer.hashers[self._index].update(data)
        self.folder._add_bytes(file, count)
        now = self.folder._clock.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.folder.progress.emit(ReceiveProgress(transfer.tid, self.folder._bytes_held(transfer)))

    def body_end(self) -> None:
        if self._out is not None:
            try:
                self._out.flush()
            except OSError as e:
                self._fail(self._index, _reason(e))

    def end(self, tid: str, index: int, sha256: str | None) -> FileVerdict:
        """The sender says file `index` is complete; `sha256` None when its network sends no hash."""
        transfer = self.folder._claim(tid, self)
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

    def _end_file(self, transfer: _Transfer, index: int, sha256: str | None, unnamed: UnnamedFile | None
                  ) -> FileVerdict:
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
                saved_as = self.folder._move_into_place(unnamed or file.partial, file.path)
            except SaveError as e:
                log.info("cannot save %s: %s", file.path, e)
                reason = e.reason
        if reason is None:
            self.folder._set(file, ok=True, sha256=digest, error=None, saved_as=saved_as)
        else:  # the sender may send it again from offset 0
            file.partial.unlink(missing_ok=True)
            self.folder._set(file, have=0, error=reason.value)
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
            self.folder._folder_for(path.split("/"))
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
            self._fail(index, _reason(e))
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
            self.folder._move_into_place(partial, path)
        except SaveError as e:
            partial.unlink(missing_ok=True)
            self._failed[self._index] = e.reason
            return FileVerdict(False, e.reason)
        return FileVerdict(True)

    def _check_member(self, transfer: _Transfer, index: int, path: str, folder: bool) -> None:
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
        self.folder._set(transfer.files[index], error=reason.value)
        self.folder.file_finished.emit(FileFinished(tid, index, False, None, None, reason))

    def close(self) -> None:
        self._close_file()
        self.folder._release(self, self._transfer)

    def _end_folder(self, transfer: _Transfer, index: int, reason: FileFailure | None) -> FileVerdict:
        """Every file of folder entry `index` has come (or one failed): the folder ends."""
        file = transfer.files[index]
        saved_as: Path | None = None
        if reason is None:
            try:
                saved_as = self.folder._folder_for(file.path.split("/"))
            except SaveError as e:
                reason = e.reason
        if reason is None:
            self.folder._set(file, ok=True, error=None, saved_as=saved_as, size=max(file.size, file.have))
        else:
            self.folder._set(file, error=reason.value)
        self.folder.file_finished.emit(FileFinished(
            transfer.tid, index, reason is None, str(saved_as) if saved_as else None, None, reason,
        ))
        return FileVerdict(reason is None, reason)

    def _hash_prefix(self, file: _File) -> hashlib._Hash:
        digest = hashlib.sha256()
        if file.have:
            fd = os.open(file.partial, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
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
        self.folder._set(file, have=0)
        self._transfer.hashers.pop(index, None)

    def _close_file(self) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        try:
            out.close()
        except OSError as e:
            if self._index not in self._failed:
                self._fail(self._index, _reason(e))
        if isinstance(out, UnnamedFile) and self._transfer is not None:  # discarded unsaved: nothing is held
            self.folder._set(self._transfer.files[self._index], have=0)
            self._transfer.hashers.pop(self._index, None)
