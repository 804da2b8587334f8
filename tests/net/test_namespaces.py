"""Three hosts on a real (virtual) LAN: network namespaces on a bridge, real broadcast.

Needs root and iproute2; skipped otherwise. Everything lives in namespaces
this test creates (the bridge too), so no datagram reaches a real network.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

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


class NamespacedPeer:
    def __init__(self, namespace: str, profile: Path, name: str) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
        # No --only-targets: this LAN is ours alone, so real broadcast is the point.
        self.process = subprocess.Popen(
            ["ip", "netns", "exec", namespace, sys.executable, "-m", "lanchat", "--headless",
             "--profile", str(profile), "--name", name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        self.events: queue.Queue[dict] = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.id = self.wait_for(lambda e: e["event"] == "ready")["id"]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.events.put(json.loads(line))

    def wait_for(self, predicate, timeout: float = 20.0) -> dict:
        for event in self.seen:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(event)
            if predicate(event):
                return event
        raise AssertionError(f"no matching event; seen {self.seen}")

    def command(self, **command) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        self.process.stdin.flush()

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -1


@pytest.fixture
def lan():
    reason = can_make_namespaces()
    if reason:
        pytest.skip(reason)
    network = LAN(3)
    yield network
    network.remove()


def test_three_hosts_find_each_other_by_broadcast_and_chat(lan, tmp_path):
    peers = [NamespacedPeer(ns, tmp_path / f"p{i}", f"host{i}") for i, ns in enumerate(lan.hosts)]
    try:
        for peer in peers:
            for other, address in zip(peers, lan.addresses, strict=True):
                if other is not peer:
                    seen = peer.wait_for(lambda e, o=other: e["event"] == "peer" and e["id"] == o.id)
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
