"""Benchmark: a browser's upload into lanchat's share, against a same-run baseline, on loopback.

`lanchat share --receive --accept-all` runs in a subprocess (its own
profile, `--accept auto`). Each round, in turn:

- baseline: the same client PUTs the file to a bare receiver in this
  process (one thread: recv into a 1 MiB buffer, hash, write to disk),
  which is the least any receiver does with the bytes;
- lanchat: the client asks for an upload (`POST api/uploads`), then PUTs the
  file; timed from the PUT's first byte to lanchat's answer (hashed, on disk
  under its name).

The client sends the head and then the file with sendfile, as a browser
streams a picked file. Every received file's SHA-256 is checked after its
round (outside the timing). Prints each round, the medians, MB/s, the ratio
(baseline / lanchat: 1.0 means as fast as the bare receiver), and the growth
of lanchat's RSS (peak during the run minus after start; target < 64 MiB),
and says whether lanchat made the targets (≥ 100 MB/s, < 64 MiB).

    unshare -n sh -c 'ip link set lo up; .venv/bin/python tests/bench/browser.py [--size-mib 512] [--rounds 5]'
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "transports" / "browser")]

from bench_files import MIB, make_source, rss_kib, sha256_of  # noqa: E402
from pageclient import PageClient  # noqa: E402
from peers import JsonLinesProcess  # noqa: E402

SHARE = TESTS / "transports" / "browser" / "lanchat_share.py"


def put(host: str, port: int, target: str, source: Path) -> tuple[float, int, bytes]:
    """PUT `source` (head, then sendfile); seconds from the first byte to the whole answer, its status and body."""
    size = source.stat().st_size
    with socket.create_connection((host, port), timeout=120) as sock, open(source, "rb") as f:
        start = time.monotonic()
        sock.sendall(f"PUT {target} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {size}\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n".encode())
        sock.sendfile(f)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        seconds = time.monotonic() - start
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return seconds, status, answer.split(b"\r\n\r\n", 1)[-1]


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


class BareReceiver:
    """The baseline: reads one PUT's body into a file, hashing it, and answers 200."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.digest = ""
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        buffer = bytearray(MIB)
        view = memoryview(buffer)
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    head += conn.recv(4096)
                head, rest = head.split(b"\r\n\r\n", 1)
                left = _length(head + b"\r\n\r\n") - len(rest)
                digest = hashlib.sha256(rest)
                with open(self.folder / "baseline.bin", "wb") as out:
                    out.write(rest)
                    while left:
                        got = conn.recv_into(view[:min(left, MIB)])
                        if not got:
                            break
                        digest.update(view[:got])
                        out.write(view[:got])
                        left -= got
                self.digest = digest.hexdigest()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")

    def close(self) -> None:
        self.sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    size = args.size_mib * MIB
    work = Path(tempfile.mkdtemp(prefix="lanchat-browser-bench-"))
    source = work / "video.bin"
    expected = make_source(source, size)
    times: dict[str, list[float]] = {"baseline": [], "lanchat": []}
    seen_tids: set[str] = set()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    lanchat = JsonLinesProcess([sys.executable, str(SHARE), "--profile", str(work / "lanchat"), "--name", "bench",
                                "--port", "0", "--presence-port", "47999", "--only-targets", "--target",
                                "127.255.255.255", "--download-dir", str(work / "in"), "--accept", "auto",
                                "--receive", "--accept-all"], env)
    baseline = BareReceiver(work)
    try:
        share = lanchat.wait_for(lambda e: e["event"] == "share", timeout=20)
        link = share["urls"][0]  # in a namespace with loopback only, 127.0.0.1
        page = PageClient(link)
        port = urlsplit(link).port or 80
        pid = lanchat.process.pid
        time.sleep(0.5)
        rss_start = rss_kib(pid, "VmRSS")
        for n in range(1, args.rounds + 1):
            seconds, status, _ = put("127.0.0.1", baseline.port, "/upload", source)
            assert status == 200 and baseline.digest == expected, "baseline: the hash differs"
            times["baseline"].append(seconds)
            (work / "baseline.bin").unlink()

            device = f"{n:032x}"
            upload = page.new_upload(device, "bench", [(source.name, size)]).json()
            deadline = time.monotonic() + 10
            while page.call("GET", f"api/uploads/{upload['id']}").json()["state"] != "accepted":
                assert time.monotonic() < deadline, "the upload was not accepted"
                time.sleep(0.05)
            seconds, status, body = put("127.0.0.1", port, page.target(f"api/uploads/{upload['id']}/0", offset="0"),
                                        source)
            assert status == 200 and json.loads(body)["state"] == "done", body
            times["lanchat"].append(seconds)
            done = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["state"] == "done"
                                    and e["tid"] not in seen_tids, timeout=30)
            seen_tids.add(done["tid"])
            saved = Path(done["files"][0]["saved_as"])
            assert sha256_of(saved) == expected, "lanchat: the hash differs"
            saved.unlink()
            print(f"round {n}: baseline {times['baseline'][-1]:.2f} s, lanchat {times['lanchat'][-1]:.2f} s",
                  flush=True)
        rss_peak = rss_kib(pid, "VmHWM")
    finally:
        baseline.close()
        lanchat.stop()
        shutil.rmtree(work, ignore_errors=True)
    medians = {k: statistics.median(v) for k, v in times.items()}
    mb = size / 1e6
    speed = mb / medians["lanchat"]
    growth = (rss_peak - rss_start) / 1024
    print(f"\n{args.size_mib} MiB upload on loopback, {args.rounds} rounds, medians:")
    print(f"  bare receiver (baseline): {medians['baseline']:.2f} s  {mb / medians['baseline']:.0f} MB/s")
    print(f"  lanchat share:            {medians['lanchat']:.2f} s  {speed:.0f} MB/s"
          f"  ratio {medians['baseline'] / medians['lanchat']:.2f}× (baseline / lanchat)")
    print(f"  lanchat RSS: {rss_start / 1024:.0f} MiB after start, peak {rss_peak / 1024:.0f} MiB, "
          f"growth {growth:.0f} MiB")
    print(f"  targets: ≥ 100 MB/s {'met' if speed >= 100 else 'MISSED'}, "
          f"RSS growth < 64 MiB {'met' if growth < 64 else 'MISSED'}")
    return 0 if speed >= 100 and growth < 64 else 1


if __name__ == "__main__":
    sys.exit(main())
