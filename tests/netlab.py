"""A virtual LAN for tests: network namespaces on a bridge of their own.

Needs root and iproute2 (`can_make_namespaces()` says why not). Everything
lives in namespaces the test creates, the bridge too, so no broadcast or
multicast datagram can reach a real network. Each host gets `eth0` with a
10.x address, a default route and a multicast route on it (tools that find
their own address with a UDP connect, and LocalSend's 224.0.0.167, need both).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, check=True, capture_output=True, timeout=timeout)


def can_make_namespaces() -> str | None:
    """None when this process may create network namespaces, else why not."""
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
    """A switch namespace with a bridge, and `count` host namespaces plugged into it.

    `hosts[i]` is the namespace name of host i, `addresses[i]` its IPv4 address
    on the /24; `prefix(i)` runs a command inside host i.
    """

    def __init__(self, count: int, subnet: int | None = None) -> None:
        tag = f"{os.getpid() % 10000}"
        third = (os.getpid() % 200) if subnet is None else subnet
        self.switch = f"lcsw{tag}s{third}"
        self.hosts = [f"lch{tag}s{third}x{i}" for i in range(count)]
        self.addresses = [f"10.201.{third}.{i + 1}" for i in range(count)]
        self.broadcast = f"10.201.{third}.255"
        self._created: list[str] = []
        try:
            self._add(self.switch)
            self.exec_in(self.switch, "ip", "link", "add", "br0", "type", "bridge")
            self.exec_in(self.switch, "ip", "link", "set", "br0", "up")
            for i, (host, address) in enumerate(zip(self.hosts, self.addresses, strict=True)):
                self._add(host)
                # A veth pair: one end in the host, the other on the bridge.
                self.exec_in(host, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", f"p{i}")
                self.exec_in(host, "ip", "link", "set", f"p{i}", "netns", self.switch)
                self.exec_in(self.switch, "ip", "link", "set", f"p{i}", "master", "br0")
                self.exec_in(self.switch, "ip", "link", "set", f"p{i}", "up")
                self.exec_in(host, "ip", "addr", "add", f"{address}/24", "brd", "+", "dev", "eth0")
                self.exec_in(host, "ip", "link", "set", "eth0", "up")
                self.exec_in(host, "ip", "route", "add", "default", "dev", "eth0")
                self.exec_in(host, "ip", "route", "add", "224.0.0.0/4", "dev", "eth0")
        except BaseException:
            self.remove()
            raise

    def _add(self, namespace: str) -> None:
        run("ip", "netns", "add", namespace)
        self._created.append(namespace)
        self.exec_in(namespace, "ip", "link", "set", "lo", "up")

    def prefix(self, i: int) -> tuple[str, ...]:
        """The command prefix that runs a program inside host i."""
        return ("ip", "netns", "exec", self.hosts[i])

    @staticmethod
    def exec_in(namespace: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        return run("ip", "netns", "exec", namespace, *args)

    def popen(self, i: int, args: Sequence[str], **kwargs: object) -> subprocess.Popen[bytes]:
        """Start a program inside host i (arguments as for subprocess.Popen)."""
        return subprocess.Popen([*self.prefix(i), *args], **kwargs)  # type: ignore[call-overload,no-any-return]

    def remove(self) -> None:
        for namespace in reversed(self._created):
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=30)
        self._created.clear()
