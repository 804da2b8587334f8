"""A file with no name until it is complete (Linux `O_TMPFILE`): nothing half-written ever shows under a name.

A small file that arrives whole is written this way instead of as a
partial file that is linked to its name and unlinked: three system calls
fewer a file, and nothing to clean up when it fails (closing an unnamed
file discards it). Where the system has none (not Linux, a filesystem
without it, no /proc), `UnnamedFile` raises `Unsupported` and the caller
writes a partial file as before.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

_O_TMPFILE = getattr(os, "O_TMPFILE", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: Errors of `open(O_TMPFILE)` that say the filesystem (or kernel) has no unnamed files.
_UNSUPPORTED = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}

_proc_fds: int | None = None  # /proc/self/fd, opened once: an unnamed file gets its name through it
_proc_lock = threading.Lock()


class Unsupported(Exception):
    """This system or filesystem has no unnamed files."""


def _proc_self_fd() -> int:
    global _proc_fds
    with _proc_lock:
        if _proc_fds is None:
            try:
                _proc_fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
            except OSError as e:
                raise Unsupported(f"no /proc/self/fd: {e.strerror}") from e
        return _proc_fds


class UnnamedFile:
    """An open unnamed file in a folder; `link` names it, `close` without a name discards it.

    Raises (on creation):
        Unsupported: no unnamed files here.
        OSError: the folder cannot be written (full disk, permissions).
    """

    def __init__(self, folder: Path) -> None:
        if not _O_TMPFILE:
            raise Unsupported("this system has no O_TMPFILE")
        self._proc = _proc_self_fd()
        try:
            self.fd = os.open(folder, os.O_WRONLY | _O_TMPFILE | _CLOEXEC, 0o666)
        except OSError as e:
            if e.errno in _UNSUPPORTED:
                raise Unsupported(f"{folder}: {e.strerror}") from e
            raise
        self._open = True

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Write all of `data` (a regular file takes it in one call; a short write is continued)."""
        view = memoryview(data)
        total = len(view)
        while view:
            view = view[os.write(self.fd, view):]
        return total

    def flush(self) -> None:
        """Nothing is buffered."""

    def link(self, target: Path) -> None:
        """Give the file the name `target` (never replacing one).

        Raises:
            FileExistsError: `target` is taken.
            OSError: it cannot be named there.
        """
        os.link(str(self.fd), target, src_dir_fd=self._proc)  # linkat(…, AT_SYMLINK_FOLLOW)

    def close(self) -> None:
        if self._open:
            self._open = False
            os.close(self.fd)
