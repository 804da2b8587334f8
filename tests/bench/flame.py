"""Summarise py-spy's raw (collapsed) stacks: where a process spent its samples, by function.

Run: `.venv/bin/python tests/bench/flame.py PROFILE.txt [--top 15]`. The
benchmarks write such files with `--profile DIR` (py-spy attached to each
lanchat process for the measured rounds). Prints, per file, the functions
with the most samples on top of the stack ("self") and anywhere in it
("total"), as shares of all samples (or of those through `--under`, e.g.
the connection threads: `--under ConnectionWorker.run`).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_FRAME = re.compile(r"^(?P<function>[^ ]+) \((?P<file>[^:)]+)(?::(?P<line>\d+))?\)$")


def frame_name(frame: str, lines: bool = False) -> str:
    """`recv_into (ssl.py:1234)` -> `ssl.py:recv_into` (`ssl.py:1234:recv_into` with `lines`); others as they are."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    where = f"{Path(match['file']).name}:{match['line']}" if lines and match["line"] else Path(match["file"]).name
    return f"{where}:{match['function']}"


def summarise(
    path: Path, lines: bool = False, under: str | None = None, drop: tuple[str, ...] = ()
) -> tuple[int, Counter[str], Counter[str]]:
    """(samples, self samples by function, total samples by function).

    Only stacks through `under` if given, and none whose top frame ends with one of `drop` (waiting, not working).
    """
    samples = 0
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        count = int(match["count"])
        frames = [frame_name(f, lines) for f in match["stack"].split(";") if f]
        if not frames or (under is not None and not any(f.endswith(under) for f in frames)):
            continue
        if frames[-1].endswith(drop):
            continue
        samples += count
        own[frames[-1]] += count
        for name in set(frames):
            total[name] += count
    return samples, own, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--lines", action="store_true", help="self time per line (which call in a function)")
    parser.add_argument("--under", help="only stacks through this function, e.g. ConnectionWorker.run (one thread)")
    parser.add_argument("--drop", action="append", default=[], help="leave out stacks that end here (idle waits)")
    args = parser.parse_args()
    for path in args.profiles:
        samples, own, total = summarise(path, args.lines, args.under, tuple(args.drop))
        print(f"{path.name}: {samples} samples")
        if not samples:
            continue
        print(f"  {'self':>6}  function")
        for name, count in own.most_common(args.top):
            print(f"  {100 * count / samples:5.1f}%  {name}")
        print(f"  {'total':>6}  function")
        for name, count in total.most_common(args.top):
            print(f"  {100 * count / samples:5.1f}%  {name}")


if __name__ == "__main__":
    main()
