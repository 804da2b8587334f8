"""Benchmark: one big file from localsend-cli (host 0) to localsendd (host 1) on a namespace LAN.

Each round times `localsend-cli send` from its start until the command has ended and the whole
file is in localsendd's download directory, then checks the SHA-256 (outside the timing). It
reports the wall time and MB/s (10^6 bytes) of each round, their medians, and localsend-cli's peak
RSS (ru_maxrss from wait4; `ip netns exec` execs the tool in place, so it is the tool's own).

Needs root, iproute2, openssl and the tools (see tests/localsend_peers/localsend.py). Traffic stays
on the private bridge of the namespaces it creates and removes.

    python tests/localsend_peers/bench_localsend.py [--size-mib 512] [--rounds 5] [--subnet 155] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # localsend.py
sys.path.insert(0, str(HERE.parent))  # netlab.py

import localsend as ls  # noqa: E402
from netlab import LAN, can_make_namespaces  # noqa: E402

CHUNK = 1 << 20


def make_source(path: Path, size: int) -> str:
    """A file of `size` random bytes; returns its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            block = os.urandom(min(CHUNK, left))
            digest.update(block)
            f.write(block)
            left -= len(block)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def run_bench(size_mib: int = 512, rounds: int = 5, subnet: int = 155, workdir: Path | None = None,
              verify: bool = True, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the benchmark and return its figures (also logged round by round through `log`)."""
    why = can_make_namespaces() or ls.missing_tools()
    if why:
        raise RuntimeError(f"cannot run the LocalSend benchmark: {why}")
    size = size_mib * 1024 * 1024
    own_tmp = workdir is None
    work = Path(tempfile.mkdtemp(prefix="ls-bench-")) if workdir is None else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    source = work / "payload.bin"
    results: list[dict[str, Any]] = []
    try:
        log(f"making a {size_mib} MiB source file in {work}")
        expected = make_source(source, size)
        lan = LAN(2, subnet=subnet)
        try:
            with ls.LocalsendDaemon(lan.prefix(1), "bench-daemon", work / "downloads", work / "daemon") as daemon:
                received = daemon.download_dir / source.name
                for n in range(1, rounds + 1):
                    received.unlink(missing_ok=True)  # so each round lands under the same name
                    start = time.monotonic()
                    sent = ls.cli_send(lan.prefix(0), lan.addresses[1], [source], timeout=900, home=work / "cli")
                    if not sent.ok:
                        raise RuntimeError(f"round {n}: localsend-cli send failed: {sent.describe()}")
                    daemon.wait_for_file(source.name, size, timeout=60)
                    wall = time.monotonic() - start
                    if verify and sha256_of(received) != expected:
                        raise RuntimeError(f"round {n}: the received file's SHA-256 differs")
                    row = {"round": n, "wall_s": round(wall, 3), "mb_s": round(size / 1e6 / wall, 1),
                           "cli_max_rss_mib": round(sent.finished.max_rss_kib / 1024, 1)}
                    results.append(row)
                    log(f"round {n}: {row['wall_s']:.2f} s  {row['mb_s']:.1f} MB/s  "
                        f"localsend-cli peak RSS {row['cli_max_rss_mib']:.0f} MiB")
        finally:
            lan.remove()
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
        else:
            source.unlink(missing_ok=True)
    summary = {
        "size_mib": size_mib,
        "rounds": results,
        "median_wall_s": round(statistics.median(r["wall_s"] for r in results), 3),
        "median_mb_s": round(statistics.median(r["mb_s"] for r in results), 1),
        "cli_peak_rss_mib": max(r["cli_max_rss_mib"] for r in results),
    }
    log(f"median {summary['median_wall_s']:.2f} s, {summary['median_mb_s']:.1f} MB/s; "
        f"localsend-cli peak RSS {summary['cli_peak_rss_mib']:.0f} MiB for a {size_mib} MiB file")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--subnet", type=int, default=155, help="third octet of 10.201.N.0/24")
    parser.add_argument("--workdir", type=Path, help="where the payload goes (default: a temporary dir)")
    parser.add_argument("--no-verify", action="store_true", help="skip the SHA-256 check of each round")
    parser.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    args = parser.parse_args(argv)
    quiet = args.json
    summary = run_bench(args.size_mib, args.rounds, args.subnet, args.workdir, not args.no_verify,
                        log=(lambda _: None) if quiet else print)
    if quiet:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
