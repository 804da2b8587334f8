"""Where received files go on every network: accepted transfers, partial folders, final names (protocol §3.3–3.4).

`DownloadFolder` holds every accepted incoming transfer. A transport's
receiving thread writes through a `FileSink` (file_sink.py: a small file
arriving whole into an unnamed file, any other into a partial file); the
folder's lock guards the shared state, the main thread reads frozen
snapshots (`held`), and the signals report to the main thread. Nothing is written outside the download
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
from typing import IO, Protocol

from PySide6.QtCore import QObject, Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.offers import FileFailure, OfferedFile
from lanchat.core.transfers.paths import PARTIAL_DIR, numbered_name, safe_component
from lanchat.core.transfers.unnamed_file import UnnamedFile, Unsupported

log = logging.getLogger("lanchat.core.download_folder")

MAX_RUNNING = 8
WRITE_BUFFER_BYTES = 64 * 1024  # larger writes (a transport's blocks) go straight to the file
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


class Streaming(Protocol):
    """What the folder knows of a connection streaming a transfer (a `file_sink.FileSink`)."""

    sender: str
    stop_connection: Callable[[], None]


@dataclass
class AcceptedFile:
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
class AcceptedTransfer:
    tid: str
    sender: str
    files: list[AcceptedFile]
    cancelled: bool = False
    check_pictures: bool = False  # auto-accepted as a picture: its bytes must decode as one
    stop_connection: Callable[[], None] | None = None
    connection: Streaming | None = None  # the sink streaming it now
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


def _snapshot(transfer: AcceptedTransfer) -> HeldTransfer:
    return HeldTransfer(transfer.tid, transfer.sender, tuple(_snapshot_file(f) for f in transfer.files))


def _snapshot_file(f: AcceptedFile) -> HeldFile:
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
        self.clock = clock
        self._lock = threading.Lock()
        self._transfers: dict[str, AcceptedTransfer] = {}
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
        transfer = AcceptedTransfer(tid, sender, [], check_pictures=check_pictures)
        for i, entry in enumerate(entries):
            partial = folder / f"{i}.part"
            file = AcceptedFile(entry.path, entry.size, partial, entry.folder)
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
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | NO_LINKS, 0o666)
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

    # --- receiving threads: what a FileSink (file_sink.py) asks of the folder ---------

    def reserve_connection(self) -> None:
        """A receiving connection starts (`file_sink.open_sink`); `release` ends it.

        Raises:
            TransferRefused: busy, when 8 are running.
        """
        with self._lock:
            if self._running >= MAX_RUNNING:
                raise TransferRefused(Refusal.BUSY, f"{MAX_RUNNING} transfers are running already")
            self._running += 1

    def claim(self, tid: str, sink: Streaming) -> AcceptedTransfer:
        """`tid` streams on `sink`'s connection (the one that streams it now, or the first).

        Raises:
            TransferRefused: no such transfer from the sink's sender, or another connection has it.
        """
        with self._lock:
            transfer = self._transfers.get(tid)
            if transfer is None or transfer.sender != sink.sender or transfer.cancelled:
                raise TransferRefused(Refusal.UNKNOWN_TRANSFER, "no such transfer accepted", tid)
            if transfer.connection is not None and transfer.connection is not sink:
                raise TransferRefused(Refusal.BUSY, "this transfer has a connection already", tid)
            transfer.connection = sink
            transfer.stop_connection = sink.stop_connection
            return transfer

    def release(self, sink: Streaming, transfer: AcceptedTransfer | None) -> None:
        """`sink`'s connection ended (streaming `transfer`, or none)."""
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

    def add_bytes(self, file: AcceptedFile, count: int) -> None:
        """Count `count` more bytes of `file`."""
        with self._lock:
            file.have += count

    def bytes_held_in(self, transfer: AcceptedTransfer) -> int:
        """The transfer's bytes held in all its files (a walk of them: only when progress is due)."""
        with self._lock:
            return sum(f.have for f in transfer.files)

    def set_file(self, file: AcceptedFile, **values: object) -> None:
        """Change fields of `file` under the lock (the main thread's snapshots read them)."""
        with self._lock:
            for key, value in values.items():
                setattr(file, key, value)

    def _finish_empty(self, file: AcceptedFile) -> None:
        try:
            file.partial.touch()
            file.saved_as = self.move_into_place(file.partial, file.path)
            file.ok, file.sha256 = True, EMPTY_SHA256
        except SaveError as e:
            log.info("cannot save %s: %s", file.path, e)
            file.error = e.reason.value

    def folder_for(self, parts: list[str]) -> Path:
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
                raise SaveError(failure_of(e), f"cannot create {folder}: {e.strerror}") from e
            if not stat.S_ISDIR(mode):
                raise SaveError(FileFailure.IO_ERROR, f"{folder} exists and is not a folder")
        return folder

    def move_into_place(self, partial: Path | UnnamedFile, rel_path: str) -> Path:
        """Give a complete file its final name, `rel_path` under the download folder (never overwriting)."""
        parent, _, name = rel_path.rpartition("/")
        folder = self.folder_for(parent.split("/") if parent else [])
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
                    raise SaveError(failure_of(e), f"cannot save {target}: {e.strerror}") from e
                if os.path.lexists(target):
                    continue
                os.replace(partial, target)  # no hard links here (e.g. FAT)
                return target
            partial.unlink(missing_ok=True)
            return target
        raise SaveError(FileFailure.IO_ERROR, f"no free name for {name}")

    def _remove_partials(self, transfer: AcceptedTransfer) -> None:
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


#: Flags of every open of a partial file: never through a link, not inherited.
NO_LINKS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


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


def failure_of(error: OSError) -> FileFailure:
    return FileFailure.NO_SPACE if error.errno in (errno.ENOSPC, errno.EDQUOT) else FileFailure.IO_ERROR
