"""Benchmark: lanchat receiving a large file from the real iptux (libiptux-core), against iptux receiving it.

Three hosts on a private bridge (tests/netlab.py): an iptux sender, an iptux
receiver and `lanchat --headless --protocols lanchat,ipmsg --accept auto`.
Rounds alternate between the two receivers; each is timed from the send
command to the receiver's "file complete" event, and the file's sha256 is
checked afterwards. Prints each round, the medians, the ratio and the load.

    sudo .venv/bin/python tests/bench/ipmsg.py [--size-mib 512] [--rounds 5]

Needs root (network namespaces) and what `make test` installs (iptux and the
driver's build packages).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "ipmsg_peers")]

from bench_files import MIB, make_source, sha256_of  # noqa: E402
from iptux import IptuxPeer, build_driver  # noqa: E402
from netlab import LAN, can_make_namespaces  # noqa: E402
from peers import HeadlessPeer  # noqa: E402


def run(size_mib: int, rounds: int, subnet: int) -> tuple[list[float], list[float]]:
    binary = build_driver()
    to_iptux: list[float] = []
    to_lanchat: list[float] = []
    with tempfile.TemporaryDirectory(prefix="lanchat-ipmsg-bench-") as tmp:
        work = Path(tmp)
        source = work / f"bench-{size_mib}MiB.bin"
        expected = make_source(source, size_mib * MIB)
        lan = LAN(3, subnet=subnet)
        sender = receiver = lanchat = None
        try:
            sender = IptuxPeer(lan.prefix(0), "sender", work / "sender", binary=binary)
            receiver = IptuxPeer(lan.prefix(1), "receiver", work / "receiver", binary=binary)
            lanchat = HeadlessPeer(work / "lanchat", "lanchat", 0, "--protocols", "lanchat,ipmsg", "--accept", "auto",
                                   prefix=lan.prefix(2), loopback_only=False)
            for ip in lan.addresses[1:]:
                sender.wait_for(lambda e, ip=ip: e["event"] in ("peer_appeared", "peer_changed") and e["ip"] == ip, 20)
            lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[0]}", timeout=20)
            done_tids: set[str] = set()
            for n in range(1, rounds + 1):
                start = time.monotonic()
                sender.command(cmd="send_files", to=lan.addresses[1], paths=[str(source)])
                event = receiver.wait_event("file_received", 600)
                elapsed = event["_time"] - start
                received = Path(event["path"])
                assert event["ok"] and sha256_of(received) == expected, f"iptux round {n} differs"
                received.unlink()
                to_iptux.append(elapsed)

                start = time.monotonic()
                sender.command(cmd="send_files", to=lan.addresses[2], paths=[str(source)])
                done = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["tid"] not in done_tids
                                        and e["state"] in ("done", "failed"), timeout=600)
                elapsed_lanchat = time.monotonic() - start
                done_tids.add(done["tid"])
                saved = Path(done["files"][0]["saved_as"])
                assert done["state"] == "done" and sha256_of(saved) == expected, f"lanchat round {n} differs"
                saved.unlink()
                to_lanchat.append(elapsed_lanchat)
                print(f"round {n}: iptux -> iptux {elapsed:.3f} s, iptux -> lanchat {elapsed_lanchat:.3f} s",
                      flush=True)
        finally:
            for peer in (sender, receiver):
                if peer is not None:
                    peer.stop()
            if lanchat is not None:
                lanchat.stop()
            lan.remove()
    return to_iptux, to_lanchat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--subnet", type=int, default=147, help="third octet of the private 10.201.N.0/24")
    args = parser.parse_args()
    why = can_make_namespaces()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    to_iptux, to_lanchat = run(args.size_mib, args.rounds, args.subnet)
    mb = args.size_mib * MIB / 1e6
    baseline, ours = mb / statistics.median(to_iptux), mb / statistics.median(to_lanchat)
    print(f"{args.size_mib} MiB from libiptux-core, medians of {args.rounds} rounds:")
    print(f"  iptux -> iptux    {baseline:7.1f} MB/s   (baseline, same run)")
    print(f"  iptux -> lanchat  {ours:7.1f} MB/s   ratio {ours / baseline:.2f} (target >= 0.6)")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
