"""What the file benchmarks share: a random source file with its SHA-256, a file's SHA-256, a process's RSS."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MIB = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 * MIB):
            digest.update(chunk)
    return digest.hexdigest()


def make_source(path: Path, size: int) -> str:
    """`size` random bytes at `path`; returns their SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            block = os.urandom(min(4 * MIB, left))
            digest.update(block)
            f.write(block)
            left -= len(block)
    return digest.hexdigest()


def rss_kib(pid: int, field: str) -> int:
    """VmRSS or VmHWM (peak) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0
