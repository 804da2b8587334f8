"""Three hosts on a real (virtual) LAN: network namespaces on a bridge, real broadcast.

Needs root and iproute2; skipped otherwise. Everything lives in namespaces
this test creates (the bridge too), so no datagram reaches a real network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from peers import HeadlessPeer

pytestmark = pytest.mark.namespaces

SUBNET = "10.201.{}.{}"


def run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=30)


def can_make_namespaces() -> str | None:
    if os.geteuid() != 0:
        return "needs root"
    if shutil.which("ip") is None:
        return "needs iproute2"
    probe = f"lanchat-probe-{os.getpid()}"
    try:
        run("ip", "netns", "add", probe)
        run("ip", "netns", "del", probe)
    except (subprocess.CalledProcessError, OSError) as e:
        return f"cannot create network namespaces here: {e}"
    return None


class LAN:
    """A switch namespace with a bridge, and `count` host namespaces plugged into it."""

    def __init__(self, count: int) -> None:
        tag = f"{os.getpid() % 10000}"
        self.switch = f"lcsw{tag}"
        self.hosts = [f"lch{tag}x{i}" for i in range(count)]
        self.addresses = [SUBNET.format(os.getpid() % 200, i + 1) for i in range(count)]
        run("ip", "netns", "add", self.switch)
        self._in(self.switch, "ip", "link", "set", "lo", "up")
        self._in(self.switch, "ip", "link", "add", "br0", "type", "bridge")
        self._in(self.switch, "ip", "link", "set", "br0", "up")
        for i, (host, address) in enumerate(zip(self.hosts, self.addresses, strict=True)):
            run("ip", "netns", "add", host)
            self._in(host, "ip", "link", "set", "lo", "up")
            # A veth pair: one end in the host, the other on the bridge.
            self._in(host, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", f"p{i}")
            self._in(host, "ip", "link", "set", f"p{i}", "netns", self.switch)
            self._in(self.switch, "ip", "link", "set", f"p{i}", "master", "br0")
            self._in(self.switch, "ip", "link", "set", f"p{i}", "up")
            self._in(host, "ip", "addr", "add", f"{address}/24", "brd", "+", "dev", "eth0")
            self._in(host, "ip", "link", "set", "eth0", "up")

    @staticmethod
    def _in(namespace: str, *args: str) -> None:
        run("ip", "netns", "exec", namespace, *args)

    def remove(self) -> None:
        for namespace in [*self.hosts, self.switch]:
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=30)


def namespaced_peer(namespace: str, profile: Path, name: str) -> HeadlessPeer:
    # No --only-targets: this LAN is ours alone, so real broadcast is the point.
    return HeadlessPeer(
        profile, name, 0, prefix=("ip", "netns", "exec", namespace), loopback_only=False
    )


@pytest.fixture
def lan():
    reason = can_make_namespaces()
    if reason:
        pytest.skip(reason)
    network = LAN(3)
    yield network
    network.remove()


def test_three_hosts_find_each_other_by_broadcast_and_chat(lan, tmp_path):
    peers = [namespaced_peer(ns, tmp_path / f"p{i}", f"host{i}") for i, ns in enumerate(lan.hosts)]
    try:
        for peer in peers:
            for other, address in zip(peers, lan.addresses, strict=True):
                if other is not peer:
                    seen = peer.wait_for(lambda e, o=other: e["event"] == "peer" and e["id"] == o.id, timeout=20)
                    assert seen["address"] == address
        first, _, last = peers
        first.command(cmd="send", id="1", to="host2", text="across the LAN")
        message = last.wait_for(lambda e: e["event"] == "message")
        assert message["from"] == first.id and message["text"] == "across the LAN"
        first.wait_for(lambda e: e["event"] == "delivered" and e["to"] == last.id)
        assert last.stop() == 0
        first.wait_for(lambda e: e["event"] == "peer" and e["id"] == last.id and e["status"] == "offline")
    finally:
        for peer in peers:
            peer.stop()
