"""Benchmark: one large file from an iptux peer to another (libiptux-core both ends).

Two iptux-driver processes in two network namespaces of a private bridge
(tests/netlab.py); the sender offers the file, the receiver fetches it at
once.  Each round is timed from the send command to the receiver's
"file_received" event; the file's sha256 is checked after each round (outside
the timing).  Prints each round and the median throughput.

    sudo python3 tests/ipmsg_peers/bench_iptux_to_iptux.py [--size-mib 512] [--rounds 5]

Needs root (network namespaces) and the apt packages listed in iptux.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "bench"))

from bench_files import MIB, make_source, sha256_of  # noqa: E402
from iptux import IptuxPeer, build_driver  # noqa: E402
from netlab import LAN, can_make_namespaces  # noqa: E402


def run(size_mib: int, rounds: int, subnet: int, timeout: float) -> list[float]:
    """Send the file `rounds` times; return each round's wall time in seconds."""
    binary = build_driver()
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="iptux-bench-") as tmp:
        work = Path(tmp)
        source = work / "source" / f"bench-{size_mib}MiB.bin"
        source.parent.mkdir()
        expected = make_source(source, size_mib * MIB)
        lan = LAN(2, subnet=subnet)
        peers: list[IptuxPeer] = []
        try:
            sender = IptuxPeer(lan.prefix(0), "bench-sender", work / "sender", binary=binary)
            peers.append(sender)
            receiver = IptuxPeer(lan.prefix(1), "bench-receiver", work / "receiver", binary=binary)
            peers.append(receiver)
            to = lan.addresses[1]
            sender.wait_event("peer_appeared", 15, ip=to)
            receiver.wait_event("peer_appeared", 15, ip=lan.addresses[0])
            for n in range(1, rounds + 1):
                start = time.monotonic()
                sender.command(cmd="send_files", to=to, paths=[str(source)])
                done = receiver.wait_event("file_received", timeout)
                elapsed = done["_time"] - start
                if not done["ok"]:
                    raise RuntimeError(f"round {n}: transfer failed: {done}")
                received = Path(done["path"])
                if sha256_of(received) != expected:
                    raise RuntimeError(f"round {n}: {received} differs from the source")
                received.unlink()
                times.append(elapsed)
                print(f"round {n}: {elapsed:.3f} s  {size_mib / elapsed:.1f} MiB/s", flush=True)
        finally:
            for peer in peers:
                peer.stop()
            lan.remove()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--subnet", type=int, default=146, help="third octet of the private 10.201.N.0/24")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per round")
    args = parser.parse_args()
    why = can_make_namespaces()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    times = run(args.size_mib, args.rounds, args.subnet, args.timeout)
    median = statistics.median(times)
    size_mb = args.size_mib * MIB / 1e6
    print(f"iptux -> iptux, {args.size_mib} MiB x {len(times)}: "
          f"median {median:.3f} s = {size_mb / median:.1f} MB/s ({args.size_mib / median:.1f} MiB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
