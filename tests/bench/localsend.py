"""Benchmark: lanchat on LocalSend against the real tools, with a same-run baseline.

Three hosts on a private bridge (tests/netlab.py): `lanchat --headless
--protocols lanchat,localsend --accept auto` (host 0), localsendd (host 1)
and localsend-cli (host 2). Each round, in turn:

- baseline: localsend-cli → localsendd (from the start of `localsend-cli send`
  until it ends with the whole file in localsendd's folder);
- receive: localsend-cli → lanchat (the same, until lanchat's `done`);
- send: lanchat → localsendd (from the `offer` command, hashing included,
  until lanchat's `done`, which comes after localsendd answered the upload).

Every received file's SHA-256 is checked after its round (outside the
timing). Prints each round, the medians, the ratios (baseline / lanchat:
above 1 is lanchat faster; targets 1.0 to receive and 1.5 to send) and the
growth of lanchat's RSS (peak during the run minus after start; target
under 64 MiB).

    sudo .venv/bin/python tests/bench/localsend.py [--size-mib 512] [--rounds 5]

Needs root (network namespaces), openssl and the tools (`make test` installs them).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "localsend_peers")]

import localsend as ls  # noqa: E402
from bench_files import MIB, make_source, rss_kib, sha256_of  # noqa: E402
from netlab import LAN, can_make_namespaces  # noqa: E402
from peers import HeadlessPeer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--subnet", type=int, default=170, help="third octet of 10.201.N.0/24")
    args = parser.parse_args(argv)
    why = can_make_namespaces() or ls.missing_tools()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 1
    size = args.size_mib * MIB
    work = Path(tempfile.mkdtemp(prefix="lanchat-ls-bench-"))
    source = work / "payload.bin"
    expected = make_source(source, size)
    times: dict[str, list[float]] = {"baseline": [], "receive": [], "send": []}
    lan = LAN(3, subnet=args.subnet)
    lanchat: HeadlessPeer | None = None
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "bench-daemon", work / "daemon-in", work / "daemon") as daemon:
            lanchat = HeadlessPeer(work / "lanchat", "bench", 0, "--protocols", "lanchat,localsend", "--accept",
                                   "auto", prefix=lan.prefix(0), loopback_only=False)
            pid = lanchat.process.pid
            device = lanchat.wait_for(lambda e: e["event"] == "peer" and e["address"] == lan.addresses[1]
                                      and e["status"] == "online", timeout=30)
            rss_start = rss_kib(pid, "VmRSS")
            lanchat_in = work / "lanchat" / "downloads"
            daemon_file = daemon.download_dir / source.name
            for n in range(1, args.rounds + 1):
                daemon_file.unlink(missing_ok=True)
                start = time.monotonic()
                sent = ls.cli_send(lan.prefix(2), lan.addresses[1], [source], timeout=900, home=work / "cli")
                if not sent.ok:
                    raise RuntimeError(f"baseline round {n}: {sent.describe()}")
                daemon.wait_for_file(source.name, size, timeout=60)
                times["baseline"].append(time.monotonic() - start)
                assert sha256_of(daemon_file) == expected, "baseline: the hash differs"

                start = time.monotonic()
                sent = ls.cli_send(lan.prefix(2), lan.addresses[0], [source], timeout=900, home=work / "cli")
                if not sent.ok:
                    raise RuntimeError(f"receive round {n}: {sent.describe()}")
                done = finished(lanchat, "in")
                times["receive"].append(time.monotonic() - start)
                saved = Path(done["files"][0]["saved_as"])
                assert done["state"] == "done" and sha256_of(saved) == expected, "receive: the hash differs"
                saved.unlink()

                daemon_file.unlink(missing_ok=True)
                start = time.monotonic()
                lanchat.command(cmd="offer", id=f"r{n}", to=device["id"], paths=[str(source)])
                done = finished(lanchat, "out")
                times["send"].append(time.monotonic() - start)
                assert done["state"] == "done", done
                assert sha256_of(daemon_file) == expected, "send: the hash differs"
                print(f"round {n}: baseline {times['baseline'][-1]:.2f} s, localsend-cli → lanchat "
                      f"{times['receive'][-1]:.2f} s, lanchat → localsendd {times['send'][-1]:.2f} s", flush=True)
            rss_peak = rss_kib(pid, "VmHWM")
            assert not list(lanchat_in.glob("*.bin"))
    finally:
        if lanchat is not None:
            lanchat.stop()
        lan.remove()
        shutil.rmtree(work, ignore_errors=True)
    medians = {k: statistics.median(v) for k, v in times.items()}
    mb = size / 1e6
    print(f"\n{args.size_mib} MiB, {args.rounds} rounds, medians:")
    print(f"  localsend-cli → localsendd (baseline): {medians['baseline']:.2f} s  {mb / medians['baseline']:.1f} MB/s")
    print(f"  localsend-cli → lanchat:               {medians['receive']:.2f} s  {mb / medians['receive']:.1f} MB/s"
          f"  ratio {medians['baseline'] / medians['receive']:.2f}× (target ≥ 1.0×)")
    print(f"  lanchat → localsendd:                  {medians['send']:.2f} s  {mb / medians['send']:.1f} MB/s"
          f"  ratio {medians['baseline'] / medians['send']:.2f}× (target ≥ 1.5×)")
    growth = (rss_peak - rss_start) / 1024
    print(f"  lanchat RSS: {rss_start / 1024:.0f} MiB after start, peak {rss_peak / 1024:.0f} MiB, "
          f"growth {growth:.0f} MiB (target < 64 MiB)")
    return 0


_taken: set[int] = set()


def finished(lanchat: HeadlessPeer, direction: str) -> dict:
    """The next transfer in `direction` that ended (each event is taken once)."""
    event = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == direction
                             and e["state"] in ("done", "failed", "rejected", "cancelled") and id(e) not in _taken,
                             timeout=300)
    _taken.add(id(event))
    return event


if __name__ == "__main__":
    sys.exit(main())
