"""Messaging figures: discovery, round trip, burst rate, presence load (prints; no pass/fail).

Run: `.venv/bin/python tests/bench/messaging.py` (as root it re-runs itself
in a private network namespace; otherwise every peer keeps to loopback).
Two `lanchat --headless` processes on loopback; the baseline is plain
Python doing the same exchange over TLS 1.3 in the same run.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peers import HeadlessPeer, free_udp_port  # noqa: E402

from lanchat.identity import load_or_create  # noqa: E402
from lanchat.transports.lanchat.net import tls  # noqa: E402

ROUND_TRIPS = 500
BURST = 10_000
SIMULATED_PEERS = 50


def reexec_in_namespace() -> None:
    if os.environ.get("LANCHAT_BENCH_NETNS") or os.geteuid() != 0:
        return
    script = f"ip link set lo up && exec {sys.executable} {' '.join(sys.argv)}"
    env = dict(os.environ, LANCHAT_BENCH_NETNS="1")
    sys.exit(subprocess.call(["unshare", "-n", "sh", "-c", script], env=env))


def proc_status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def send_and_wait(peer: HeadlessPeer, to: str, text: str, n: int) -> str:
    peer.command(cmd="send", id=f"b{n}", to=to, text=text)
    result = peer.wait_for(lambda e: e["event"] == "result" and e["id"] == f"b{n}", timeout=10)
    return str(result["mid"])


def bench_lanchat(root: Path) -> dict[str, float]:
    port = free_udp_port()
    figures: dict[str, float] = {}
    ana = HeadlessPeer(root / "ana", "ana", port)
    started = time.monotonic()
    ben = HeadlessPeer(root / "ben", "ben", port)
    ready = time.monotonic()
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id, timeout=10)
    seen = time.monotonic()
    figures["discovery_from_spawn_s"] = seen - started
    figures["discovery_from_ready_ms"] = (seen - ready) * 1000

    # Round trips: send, wait for the ack (the `delivered` event), one at a time.
    send_and_wait(ana, ben.id, "warm-up", -1)
    ana.wait_for(lambda e: e["event"] == "delivered", timeout=10)
    rtts = []
    for i in range(ROUND_TRIPS):
        t0 = time.perf_counter()
        mid = send_and_wait(ana, ben.id, f"ping {i}", i)
        ana.wait_for(lambda e, mid=mid: e["event"] == "delivered" and e["mid"] == mid, timeout=10)
        rtts.append((time.perf_counter() - t0) * 1000)
    figures["rtt_p50_ms"] = statistics.median(rtts)
    figures["rtt_p99_ms"] = percentile(rtts, 99)

    # Burst: queue 10,000 sends at once, then wait for every ack.
    t0 = time.perf_counter()
    assert ana.process.stdin is not None
    lines = b"".join(
        json.dumps({"cmd": "send", "id": f"x{i}", "to": ben.id, "text": f"burst {i}"}).encode() + b"\n"
        for i in range(BURST)
    )
    ana.process.stdin.write(lines)
    ana.process.stdin.flush()
    delivered = 0
    while delivered < BURST:
        event = ana.events.get(timeout=60)
        delivered += event["event"] == "delivered"
    figures["burst_msgs_per_s"] = BURST / (time.perf_counter() - t0)
    received = 0
    while received < BURST:
        event = ben.events.get(timeout=30)
        received += event["event"] == "message" and event["text"].startswith("burst ")
    figures["burst_lost"] = BURST - received

    # Presence load: 50 simulated peers announcing to ben every second.
    before = proc_status(ben.process.pid)
    sim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    seq = int(time.time() * 1000)
    for _round in range(5):
        for n in range(SIMULATED_PEERS):
            seq += 1
            datagram = {
                "app": "lanchat", "v": 1, "kind": "announce", "id": f"{n:064x}", "name": f"sim {n}",
                "seq": seq, "port": 40000 + n, "status": "online",
            }
            sim.sendto(json.dumps(datagram).encode(), ("127.0.0.1", port))
        time.sleep(1)
    after = proc_status(ben.process.pid)
    sim.close()
    figures["rss_before_sim_mib"] = int(before["VmRSS"].split()[0]) / 1024
    figures["rss_with_50_peers_mib"] = int(after["VmRSS"].split()[0]) / 1024
    figures["threads_with_50_peers"] = int(after["Threads"])
    figures["peak_rss_mib"] = int(after["VmHWM"].split()[0]) / 1024
    ana.stop()
    ben.stop()
    return figures


def bench_baseline(root: Path) -> dict[str, float]:
    """Plain Python: a TLS 1.3 server acking length-prefixed JSON messages."""
    server_identity = load_or_create(root / "baseline-server")
    context = tls.server_context(server_identity)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with context.wrap_socket(conn, server_side=True) as sock:
            buffer = b""
            while True:
                data = sock.recv(262144)
                if not data:
                    return
                buffer += data
                acks = []
                while len(buffer) >= 4 and len(buffer) >= 4 + struct.unpack(">I", buffer[:4])[0]:
                    length = struct.unpack(">I", buffer[:4])[0]
                    header, buffer = json.loads(buffer[4 : 4 + length]), buffer[4 + length :]
                    ack = json.dumps({"t": "ack", "mid": header["mid"]}).encode()
                    acks.append(struct.pack(">I", len(ack)) + ack)
                sock.sendall(b"".join(acks))

    threading.Thread(target=serve, daemon=True).start()
    client = tls.client_context().wrap_socket(socket.create_connection(("127.0.0.1", port)))

    def message(i: int) -> bytes:
        body = json.dumps({"t": "msg", "mid": f"{i:032x}", "ts": 0, "text": f"ping {i}"}).encode()
        return struct.pack(">I", len(body)) + body

    def read_acks(n: int) -> None:
        buffer, got = b"", 0
        while got < n:
            buffer += client.recv(262144)
            while len(buffer) >= 4 and len(buffer) >= 4 + struct.unpack(">I", buffer[:4])[0]:
                buffer = buffer[4 + struct.unpack(">I", buffer[:4])[0] :]
                got += 1

    rtts = []
    for i in range(ROUND_TRIPS):
        t0 = time.perf_counter()
        client.sendall(message(i))
        read_acks(1)
        rtts.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    reader = threading.Thread(target=read_acks, args=(BURST,))
    reader.start()
    for i in range(BURST):
        client.sendall(message(i))
    reader.join()
    rate = BURST / (time.perf_counter() - t0)
    client.close()
    listener.close()
    return {"rtt_p50_ms": statistics.median(rtts), "rtt_p99_ms": percentile(rtts, 99), "burst_msgs_per_s": rate}


def main() -> None:
    reexec_in_namespace()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lanchat = bench_lanchat(root)
        baseline = bench_baseline(root)
    print("lanchat messaging benchmark (loopback, two headless processes)")
    print(f"  discovery of a new peer: {lanchat['discovery_from_ready_ms']:.0f} ms after it is ready "
          f"({lanchat['discovery_from_spawn_s']:.2f} s from process spawn)")
    for key, label in (("rtt_p50_ms", "round trip p50"), ("rtt_p99_ms", "round trip p99")):
        print(f"  {label}: {lanchat[key]:.2f} ms (baseline {baseline[key]:.2f} ms)")
    ratio = lanchat["burst_msgs_per_s"] / baseline["burst_msgs_per_s"]
    print(f"  {BURST:,}-message burst: {lanchat['burst_msgs_per_s']:,.0f} msgs/s, "
          f"{lanchat['burst_lost']:.0f} lost (baseline {baseline['burst_msgs_per_s']:,.0f} msgs/s, "
          f"ratio {ratio:.2f})")
    print(f"  with {SIMULATED_PEERS} simulated peers announcing: RSS {lanchat['rss_with_50_peers_mib']:.1f} MiB "
          f"(before {lanchat['rss_before_sim_mib']:.1f} MiB, peak {lanchat['peak_rss_mib']:.1f} MiB), "
          f"{lanchat['threads_with_50_peers']:.0f} threads")


if __name__ == "__main__":
    main()
