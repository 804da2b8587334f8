"""Transfer figures: 1 GiB through two lanchat processes vs plain Python, and 2,000 small files.

Run: `.venv/bin/python tests/bench/transfer.py [--size-mib N]` (as root it
re-runs itself in a private network namespace). Prints figures; no pass/fail.
The baseline is two plain Python processes doing the same work: one reads
the file, hashes it and sends it over TLS 1.3, the other receives, hashes
and writes it to disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from messaging import proc_status, reexec_in_namespace  # noqa: E402
from peers import HeadlessPeer, free_udp_port  # noqa: E402

BLOCK = 1 << 20

BASELINE = r"""
import hashlib, socket, ssl, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from lanchat.identity import load_or_create
from lanchat.transports.lanchat.net import tls
role, path, port = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if role == "receive":
    context = tls.server_context(load_or_create(path.parent / "baseline-id"))
    listener = socket.create_server(("127.0.0.1", port))
    print("ready", flush=True)
    conn, _ = listener.accept()
    sock = context.wrap_socket(conn, server_side=True)
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        while data := sock.recv(262144):
            digest.update(data)
            out.write(data)
    print(digest.hexdigest(), flush=True)
else:
    sock = tls.client_context().wrap_socket(socket.create_connection(("127.0.0.1", port)))
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
            sock.sendall(block)
    try:
        sock.unwrap()  # close_notify, then wait for the receiver's end (no RST losing data)
    except OSError:
        pass
    sock.close()
    print(digest.hexdigest(), flush=True)
"""


def random_file(path: Path, size: int) -> None:
    with open(path, "wb") as f:
        for _ in range(size // BLOCK):
            f.write(os.urandom(BLOCK))


def free_tcp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def baseline(source: Path, target: Path) -> float:
    port = free_tcp_port()
    package = str(Path(__file__).resolve().parents[2])
    receiver = subprocess.Popen(
        [sys.executable, "-c", BASELINE, "receive", str(target), str(port), package],
        stdout=subprocess.PIPE, text=True,
    )
    assert receiver.stdout is not None
    receiver.stdout.readline()
    started = time.perf_counter()
    sent = subprocess.run(
        [sys.executable, "-c", BASELINE, "send", str(source), str(port), package],
        capture_output=True, text=True, check=True,
    )
    received = receiver.stdout.readline().strip()
    elapsed = time.perf_counter() - started
    receiver.wait()
    assert received == sent.stdout.strip(), f"baseline hash mismatch: {received!r} {sent.stdout!r} {sent.stderr}"
    return elapsed


def lanchat_transfer(ana: HeadlessPeer, ben: HeadlessPeer, paths: list[Path], n: int) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    ben.command(cmd="offer", id=f"o{n}", to=ana.id, paths=[str(p) for p in paths])
    tids = set(ben.wait_for(lambda e: e["event"] == "result" and e["id"] == f"o{n}", timeout=60)["tids"])
    done = []
    for tid in tids:
        done.append(ana.wait_for(
            lambda e, tid=tid: e["event"] == "transfer" and e["tid"] == tid and e["state"] in ("done", "failed"),
            timeout=600,
        ))
    return time.perf_counter() - started, done


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--small-files", type=int, default=2000)
    args = parser.parse_args()
    reexec_in_namespace()
    size = args.size_mib * BLOCK
    with tempfile.TemporaryDirectory(dir=os.environ.get("LANCHAT_BENCH_DIR")) as tmp:
        root = Path(tmp)
        source = root / "random.bin"
        random_file(source, size)
        base_seconds = baseline(source, root / "baseline-copy.bin")
        (root / "baseline-copy.bin").unlink()

        port = free_udp_port()
        ana = HeadlessPeer(root / "ana", "ana", port, "--accept", "auto")
        ben = HeadlessPeer(root / "ben", "ben", port)
        ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id, timeout=10)
        idle_rss = {p: int(proc_status(p.process.pid)["VmRSS"].split()[0]) / 1024 for p in (ana, ben)}
        seconds, done = lanchat_transfer(ana, ben, [source], 1)
        assert done[0]["state"] == "done" and done[0]["files"][0]["sha256"] == sha256_of(source)
        peak = {p: int(proc_status(p.process.pid)["VmHWM"].split()[0]) / 1024 for p in (ana, ben)}
        Path(done[0]["files"][0]["saved_as"]).unlink()

        folder = root / "small"
        folder.mkdir()
        for i in range(args.small_files):
            (folder / f"file {i:05d}.txt").write_bytes(os.urandom(4096))
        small_seconds, small_done = lanchat_transfer(ana, ben, [folder], 2)
        files_ok = sum(bool(f["ok"]) for d in small_done for f in d["files"])
        ana.stop()
        ben.stop()

    mb = size / 1e6
    print(f"lanchat transfer benchmark (loopback, two headless processes, {args.size_mib} MiB random file)")
    print(f"  lanchat:  {mb / seconds:7.1f} MB/s ({seconds:.2f} s, SHA-256 checked)")
    print(f"  baseline: {mb / base_seconds:7.1f} MB/s ({base_seconds:.2f} s, plain Python: read+hash+TLS 1.3 "
          "-> recv+hash+write)")
    print(f"  ratio lanchat/baseline: {base_seconds / seconds:.2f}")
    for peer, name in ((ben, "sender"), (ana, "receiver")):
        print(f"  {name} RSS: idle {idle_rss[peer]:.1f} MiB, peak {peak[peer]:.1f} MiB "
              f"(growth {peak[peer] - idle_rss[peer]:.1f} MiB)")
    print(f"  {args.small_files:,} files of 4 KiB in {len(small_done)} offers: "
          f"{args.small_files / small_seconds:,.0f} files/s ({files_ok} arrived intact)")


if __name__ == "__main__":
    main()
