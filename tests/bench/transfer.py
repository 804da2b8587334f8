"""Transfer figures: lanchat against a minimal independent peer, both directions, and 2,000 small files.

Run: `.venv/bin/python tests/bench/transfer.py [--size-mib 512] [--rounds 9]`
(as root it re-runs itself in a private network namespace). Prints figures;
no pass/fail.

Four processes on loopback: two `lanchat --headless` (one sends, one takes
every offer) and the two halves of `wirepeer.py`, a minimal Python peer
written from docs/protocol.md that speaks the same wire (TLS 1.3 with a
client certificate, hello/offer/data/end/done) and does the same work:
SHA-256 of every byte on both ends and every byte written to disk, in
lanchat's own block size. Each round times the four pairs in turn, from
the sender's command to the sender hearing `done` for the file:

    lanchat  -> lanchat
    baseline -> lanchat    lanchat receiving; its ratio is to baseline -> baseline
    lanchat  -> baseline   lanchat sending; its ratio is to baseline -> baseline
    baseline -> baseline

and prints the medians. RSS growth is the peak during the rounds over the
idle size, per lanchat process; CPU seconds are user + system time of each
process during a transfer (steadier than wall time on a busy machine).
The small files (two fresh peers) are timed twice: in the folder the run
works in (`LANCHAT_BENCH_DIR`, else the system's temporary folder) and in
memory (/dev/shm), each beside the filesystem alone doing the same creates
and writes. On a disk, creating inodes can be most of the cost and varies
with the filesystem's state (on ext4 here 2,000 to 29,000 creates a second
depending on the block group a folder lands in); in memory what is left is
lanchat's own work.

With `--profile DIR`, py-spy (in the venv) samples each lanchat process
during the rounds and the small files and writes raw stacks there
(`LANCHAT_PYSPY` adds py-spy options: `--native` shows time waiting for
the GIL as libc's futex and condition calls);
`flame.py` summarises them (the figures of such a run are slower:
sampling costs).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_files import make_source  # noqa: E402
from messaging import proc_status, reexec_in_namespace  # noqa: E402
from peers import HeadlessPeer, JsonLinesProcess, free_udp_port, peer_args  # noqa: E402

from lanchat.transports.lanchat.net.transfer import BLOCK_BYTES  # noqa: E402

WIREPEER = Path(__file__).resolve().parent / "wirepeer.py"
#: Small files are timed on the disk the run works on and in memory (tmpfs): on a disk, creating files can be most
#: of the cost and varies with the filesystem's state; in memory what is left is lanchat's own work.
MEMORY_DIR = Path("/dev/shm")
SMALL_PLACES = {"disk": "the run's folder", "memory": "memory (/dev/shm)"}


class BenchPeer(HeadlessPeer):
    """`lanchat --headless` with a buffered stdout; a line cut off when it is stopped is dropped.

    Not `PYTHONUNBUFFERED` (as `HeadlessPeer` runs it): then stdout is a raw
    FileIO, and an event line longer than the pipe (a transfer of 1000
    files is ~150 KB) written while a signal arrives (py-spy attaching) is
    cut short, the rest never written: headless mode ignores `write`'s count.
    """

    def __init__(self, profile: Path, name: str, presence_port: int, *extra: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        env["QT_QPA_PLATFORM"] = "offscreen"
        JsonLinesProcess.__init__(
            self, [sys.executable, "-m", "lanchat", "--headless", *peer_args(profile, name, presence_port), *extra],
            env,
        )
        self.ready = self.wait_for(lambda e: e["event"] == "ready", timeout=20)
        self.id = self.ready["id"]
        self.port = self.ready["port"]

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                pass

    def quiet(self, seconds: float = 0.5) -> None:
        """Wait until it has printed nothing for `seconds` (every event of the last transfer is out)."""
        while True:
            try:
                self.seen.append(self.events.get(timeout=seconds))
            except queue.Empty:
                return


class WirePeer(JsonLinesProcess):
    """`wirepeer.py` in a subprocess (the baseline): `send` or `receive`."""

    def __init__(self, role: str, *options: str) -> None:
        super().__init__([sys.executable, str(WIREPEER), role, "--block", str(BLOCK_BYTES), *options])
        ready = self.wait_for(lambda e: e["event"] == "ready", timeout=20)
        self.id: str = ready["id"]
        self.port: int = ready.get("port", 0)


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    return int(proc_status(pid)[field].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (every thread, ended ones too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid: int) -> None:
    """Make VmHWM start again from the current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def is_transfer(tid: str, state: str, direction: str | None = None) -> Callable[[dict], bool]:
    return lambda e: (
        e["event"] == "transfer" and e["tid"] == tid and e["state"] in (state, "failed", "cancelled")
        and (direction is None or e["direction"] == direction)
    )


class Pairs:
    """The four sender -> receiver pairs; each call sends `source` once and returns the seconds it took."""

    def __init__(self, ana: BenchPeer, ben: BenchPeer, base_rx: WirePeer, base_tx: WirePeer,
                 source: Path, digest: str) -> None:
        self.ana, self.ben, self.base_rx, self.base_tx = ana, ben, base_rx, base_tx
        self.source, self.digest = source, digest
        self.n = 0

    def lanchat_sends(self, to: str) -> tuple[float, str]:
        self.n += 1
        started = time.perf_counter()
        self.ben.command(cmd="offer", id=f"o{self.n}", to=to, paths=[str(self.source)])
        tid = self.ben.wait_for(lambda e: e["event"] == "result" and e["id"] == f"o{self.n}", timeout=60)["tid"]
        end = self.ben.wait_for(is_transfer(tid, "done", "out"), timeout=600)
        seconds = time.perf_counter() - started
        assert end["state"] == "done", end
        return seconds, tid

    def baseline_sends(self, to: str, port: int) -> tuple[float, str]:
        tid = secrets.token_hex(16)
        started = time.perf_counter()
        self.base_tx.command(cmd="send", id=to, port=port, path=str(self.source), tid=tid)
        end = self.base_tx.wait_for(lambda e: e.get("tid") == tid, timeout=600)
        seconds = time.perf_counter() - started
        assert end["event"] == "sent" and end["ok"] and end["sha256"] == self.digest, end
        return seconds, tid

    def lanchat_received(self, tid: str) -> None:
        end = self.ana.wait_for(is_transfer(tid, "done", "in"), timeout=60)
        assert end["state"] == "done" and end["files"][0]["sha256"] == self.digest, end
        Path(end["files"][0]["saved_as"]).unlink()

    def baseline_received(self, tid: str) -> None:
        end = self.base_rx.wait_for(lambda e: e.get("tid") == tid, timeout=60)
        assert end["event"] == "received" and end["ok"] and end["sha256"] == self.digest, end
        Path(end["saved_as"]).unlink()

    def lanchat_to_lanchat(self) -> float:
        seconds, tid = self.lanchat_sends(self.ana.id)
        self.lanchat_received(tid)
        return seconds

    def baseline_to_lanchat(self) -> float:
        seconds, tid = self.baseline_sends(self.ana.id, self.ana.port)
        self.lanchat_received(tid)
        return seconds

    def lanchat_to_baseline(self) -> float:
        seconds, tid = self.lanchat_sends(self.base_rx.id)
        self.baseline_received(tid)
        return seconds

    def baseline_to_baseline(self) -> float:
        seconds, tid = self.baseline_sends(self.base_rx.id, self.base_rx.port)
        self.baseline_received(tid)
        return seconds


@contextmanager
def profiled(folder: Path | None, label: str, peers: dict[str, BenchPeer]) -> Iterator[None]:
    """py-spy samples each of `peers` (raw stacks, `folder/label-name.txt`) while the block runs."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).with_name("py-spy"))
    spies = [
        subprocess.Popen(
            [spy, "record", *os.environ.get("LANCHAT_PYSPY", "").split(), "--pid", str(peer.process.pid),
             "--format", "raw", "--rate", "100", "--output", str(folder / f"{label}-{name}.txt")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for name, peer in peers.items()
    ]
    time.sleep(1.0)  # attached before the first byte moves
    try:
        yield
    finally:
        for process in spies:
            process.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        for process in spies:
            process.wait(60)


def small_files(ana: BenchPeer, ben: BenchPeer, folder: Path, n: int) -> tuple[float, int]:
    """Offer `folder` (its files in offers of at most 1000), wait until every offer is done, then remove the copy."""
    started = time.perf_counter()
    ben.command(cmd="offer", id=f"small{n}", to=ana.id, paths=[str(folder)])
    tids = ben.wait_for(lambda e: e["event"] == "result" and e["id"] == f"small{n}", timeout=60)["tids"]
    ends = [ana.wait_for(is_transfer(tid, "done", "in"), timeout=600) for tid in tids]
    seconds = time.perf_counter() - started
    ok = sum(bool(f["ok"]) for end in ends for f in end["files"])
    for peer in (ana, ben):
        peer.quiet()
    shutil.rmtree(Path(ends[0]["files"][0]["saved_as"]).parent)
    return seconds, ok


def bare_small_files(folder: Path, target: Path) -> float:
    """Files/s the filesystem allows a receiver: read, create a partial file, write, link it to its name, unlink."""
    (target / "partial").mkdir(parents=True)
    started = time.perf_counter()
    for i, source in enumerate(sorted(folder.iterdir())):
        data = source.read_bytes()
        partial = target / "partial" / f"{i}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o666)
        os.write(fd, data)
        os.close(fd)
        os.link(partial, target / source.name)
        os.unlink(partial)
    seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return seconds


def small_file_figures(root: Path, n: int, rounds: int, profile: Path | None) -> tuple[float, int, float]:
    """`n` files of 4 KiB from one lanchat to another under `root`, and the filesystem alone there.

    Returns files/s (median of `rounds`), how many arrived intact in the
    worst round, and the bare files/s (median).
    """
    folder = root / "source"
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"file {i:05d}.txt").write_bytes(os.urandom(4096))
    port = free_udp_port()
    ana = BenchPeer(root / "ana", "ana", port, "--accept", "auto")
    ben = BenchPeer(root / "ben", "ben", port)
    try:
        ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id, timeout=15)
        small_files(ana, ben, folder, -1)  # warm-up: the link opens, imports are done
        with profiled(profile, "small", {"receiver": ana, "sender": ben}):
            runs = [small_files(ana, ben, folder, r) for r in range(rounds)]
    finally:
        for peer in (ana, ben):
            peer.stop()
    bare = statistics.median(bare_small_files(folder, root / f"bare{r}") for r in range(rounds))
    return n / statistics.median(s for s, _ in runs), min(ok for _, ok in runs), n / bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--small-files", type=int, default=2000)
    parser.add_argument("--small-rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write py-spy raw stacks of the lanchat processes here")
    args = parser.parse_args()
    reexec_in_namespace()
    load_before = os.getloadavg()
    size = args.size_mib * 2**20
    with tempfile.TemporaryDirectory(dir=os.environ.get("LANCHAT_BENCH_DIR")) as tmp:
        root = Path(tmp)
        source = root / "random.bin"
        digest = make_source(source, size)
        (root / "baseline").mkdir()

        port = free_udp_port()
        ana = BenchPeer(root / "ana", "ana", port, "--accept", "auto")  # lanchat receiving
        ben = BenchPeer(root / "ben", "ben", port)  # lanchat sending
        base_rx = WirePeer("receive", "--dir", str(root / "baseline"), "--presence-port", str(port))
        base_tx = WirePeer("send")
        peers: list[JsonLinesProcess] = [ana, ben, base_rx, base_tx]
        try:
            for contact in (ana.id, base_rx.id):
                ben.wait_for(lambda e, c=contact: e["event"] == "peer" and e["id"] == c, timeout=15)
            pairs = Pairs(ana, ben, base_rx, base_tx, source, digest)
            pairs.lanchat_to_baseline()  # warm-up: links open, imports done
            pairs.baseline_to_lanchat()
            idle = {p: rss_mib(p.process.pid) for p in (ana, ben)}
            for p in (ana, ben):
                reset_peak_rss(p.process.pid)
            names: dict[str, tuple[Callable[[], float], JsonLinesProcess, JsonLinesProcess]] = {
                "lanchat -> lanchat": (pairs.lanchat_to_lanchat, ben, ana),
                "baseline -> lanchat": (pairs.baseline_to_lanchat, base_tx, ana),
                "lanchat -> baseline": (pairs.lanchat_to_baseline, ben, base_rx),
                "baseline -> baseline": (pairs.baseline_to_baseline, base_tx, base_rx),
            }
            times: dict[str, list[float]] = {name: [] for name in names}
            cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in names}  # (sender, receiver)
            lanchat = {"receiver": ana, "sender": ben}
            with profiled(args.profile, "big", lanchat):
                for _ in range(args.rounds):
                    for name, (run, sender, receiver) in names.items():  # interleaved: load falls on all alike
                        for peer in (ana, ben):
                            peer.quiet(0.2)
                        before = [cpu_seconds(p.process.pid) for p in (sender, receiver)]
                        times[name].append(run())
                        after = [cpu_seconds(p.process.pid) for p in (sender, receiver)]
                        cpu[name].append((after[0] - before[0], after[1] - before[1]))
            peak = {p: rss_mib(p.process.pid, "VmHWM") for p in (ana, ben)}
        finally:
            for p in peers:
                p.stop()
        small = {"disk": small_file_figures(root / "small-disk", args.small_files, args.small_rounds, args.profile)}
    if MEMORY_DIR.is_dir():
        with tempfile.TemporaryDirectory(dir=MEMORY_DIR) as tmp:
            small["memory"] = small_file_figures(Path(tmp), args.small_files, args.small_rounds, None)
    load_after = os.getloadavg()

    mb = size / 1e6
    rate = {name: mb / statistics.median(values) for name, values in times.items()}
    print(f"lanchat transfer benchmark: {args.size_mib} MiB of random bytes x {args.rounds} rounds, medians "
          f"(loopback in a private namespace, {os.cpu_count()} cores)")
    print(f"  load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} (1 and 5 min)")
    print(f"  {'':<21} {'median':>12}  {'rounds':>10}        CPU s per transfer: sender receiver")
    for name, values in times.items():
        spread = f"{mb / max(values):.0f}..{mb / min(values):.0f}"
        sender_cpu, receiver_cpu = (statistics.median(c[i] for c in cpu[name]) for i in (0, 1))
        print(f"  {name:<21} {rate[name]:7.1f} MB/s  {spread:>10} MB/s  {sender_cpu:24.2f} {receiver_cpu:8.2f}")
    base = rate["baseline -> baseline"]
    print(f"  lanchat receiving: baseline -> lanchat / baseline -> baseline = {rate['baseline -> lanchat'] / base:.2f}")
    print(f"  lanchat sending:   lanchat -> baseline / baseline -> baseline = {rate['lanchat -> baseline'] / base:.2f}")
    for peer, name in ((ben, "sender"), (ana, "receiver")):
        print(f"  lanchat {name} RSS: idle {idle[peer]:.1f} MiB, peak {peak[peer]:.1f} MiB "
              f"(growth {peak[peer] - idle[peer]:.1f} MiB)")
    for where, (lanchat_rate, intact, bare_rate) in small.items():
        print(f"  {args.small_files:,} files of 4 KiB in {SMALL_PLACES[where]}, lanchat -> lanchat, median of "
              f"{args.small_rounds}: {lanchat_rate:,.0f} files/s ({intact} of each run arrived intact); the filesystem "
              f"alone (read, create, write, link, unlink; one process): {bare_rate:,.0f} files/s")


if __name__ == "__main__":
    main()
