"""Files in the profile are its owner's alone: created owner-only whatever the umask.

SQLite gives a database's `-wal` and `-shm` the database file's mode, and
QSettings keeps an existing file's mode when it rewrites it, so creating each
file owner-only before it is first opened is enough.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_folder(path: Path) -> Path:
    """`path` as a folder only its owner can enter, created if needed.

    Raises:
        OSError: it cannot be created or its mode set.
    """
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` as a file only its owner can read, created empty if missing (existing bytes are kept).

    Raises:
        OSError: it cannot be created or its mode set (a link there is refused).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW, FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write a new file only its owner can read.

    Raises:
        OSError: it cannot be written.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        if hasattr(os, "fchmod"):
            os.fchmod(f.fileno(), FILE_MODE)
        f.write(data)
    return path
