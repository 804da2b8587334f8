"""A real iptux peer for tests: iptux-driver (libiptux-core) in a subprocess.

iptux speaks the IP Messenger protocol on UDP/TCP port 2425 and broadcasts
its BR_ENTRY at start, so `IptuxPeer` runs it only inside a network namespace:
give it the `ip netns exec NS` prefix of a `netlab.LAN` host (or run the test
itself under `unshare -n`).  It refuses to start in the machine's own network
namespace.

    binary = build_driver()
    lan = LAN(2, subnet=140)
    try:
        a = IptuxPeer(lan.prefix(0), "alice", tmp / "a")
        b = IptuxPeer(lan.prefix(1), "bob", tmp / "b")
        a.wait_for(lambda e: e["event"] == "peer_appeared" and e["ip"] == lan.addresses[1])
        a.command(cmd="send_text", to=lan.addresses[1], text="hi")
        b.wait_for(lambda e: e["event"] == "message" and e["text"] == "hi")
    finally:
        ...stop() both, lan.remove()

The driver's events and commands are listed at the top of iptux_driver.cpp.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BUILD_SCRIPT = HERE / "build_iptux_driver.sh"
DEFAULT_BINARY = REPO / ".venv" / "iptux-driver" / "iptux-driver"
# Debian packages the driver is built from (the build script checks the same list).
APT_PACKAGES = (
    "iptux", "g++", "pkg-config", "libgoogle-glog-dev", "libjsoncpp-dev",
    "libglib2.0-dev", "libsigc++-2.0-dev", "libgflags-dev",
)

Event = dict[str, Any]


class IptuxError(RuntimeError):
    """The driver could not be built or started, or an awaited event never came."""


def build_driver(output: Path = DEFAULT_BINARY) -> Path:
    """Build iptux-driver if its source is newer than `output`; return the binary's path."""
    result = subprocess.run(
        ["sh", str(BUILD_SCRIPT), str(output)], capture_output=True, text=True, timeout=300,
    )
    if result.returncode == 3:
        raise IptuxError(result.stderr.strip())
    if result.returncode != 0:
        raise IptuxError(
            f"building iptux-driver failed (needs apt packages: {' '.join(APT_PACKAGES)}):\n"
            f"{result.stderr.strip()}"
        )
    return Path(result.stdout.strip().splitlines()[-1])


def in_own_network_namespace() -> bool:
    """True when this process shares the network namespace of PID 1 (the real network)."""
    try:
        return os.readlink("/proc/self/ns/net") == os.readlink("/proc/1/ns/net")
    except OSError:
        return True  # cannot tell: assume the worst


class IptuxPeer:
    """One iptux-driver process; its JSON events collected as they arrive."""

    def __init__(
        self,
        prefix: tuple[str, ...],
        nick: str,
        workdir: Path,
        *,
        group: str = "",
        binary: Path | None = None,
        extra_args: tuple[str, ...] = (),
        ready_timeout: float = 15.0,
    ) -> None:
        """Start the driver under `prefix` (e.g. `lan.prefix(0)`) and wait for its "ready".

        `workdir` gets `downloads/` (where every incoming file is saved at once),
        `config/` (iptux-core's settings and cache; HOME points there) and
        `driver.log` (the driver's stderr).
        """
        if not prefix and in_own_network_namespace():
            raise IptuxError(
                "iptux broadcasts on UDP 2425: run IptuxPeer inside a network namespace "
                "(pass a netlab prefix, or run the test under `unshare -n`)"
            )
        self.nick = nick
        self.workdir = Path(workdir)
        self.download_dir = self.workdir / "downloads"
        self.config_dir = self.workdir / "config"
        self.download_dir.mkdir(parents=True, exist_ok=True)
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "driver.log"
        binary = binary or DEFAULT_BINARY
        if not binary.exists():
            binary = build_driver()
        args = [
            *prefix, str(binary), "--nick", nick, "--group", group,
            "--download-dir", str(self.download_dir), "--config-dir", str(self.config_dir),
            *extra_args,
        ]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        self._cond = threading.Condition()
        self._events: list[Event] = []
        self._taken: set[int] = set()
        self._closed = False
        self._reader = threading.Thread(target=self._read, name=f"iptux-{nick}", daemon=True)
        self._reader.start()
        try:
            self.ready = self.wait_for(lambda e: e["event"] == "ready", ready_timeout)
        except IptuxError:
            self.stop()
            raise

    # -- events

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            try:
                event = json.loads(raw)
            except ValueError:
                event = {"event": "unparsed", "line": raw.decode(errors="replace")}
            event["_time"] = time.monotonic()  # arrival time, for measurements
            with self._cond:
                self._events.append(event)
                self._cond.notify_all()
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        """The first event not yet returned by wait_for that satisfies `predicate`.

        Waits up to `timeout` seconds for it; raises IptuxError if it never comes
        or the driver exits first.  Each event is returned at most once, so
        calling it twice with the same predicate waits for two such events.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index, event in enumerate(self._events):
                    if index not in self._taken and predicate(event):
                        self._taken.add(index)
                        return event
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    why = "driver exited" if self._closed else f"timed out after {timeout:g} s"
                    raise IptuxError(f"{self.nick}: {why} waiting for an event; see {self.log_path}")
                self._cond.wait(remaining)

    def wait_event(self, name: str, timeout: float = 10.0, **fields: Any) -> Event:
        """wait_for an event called `name` whose fields equal the given ones."""
        return self.wait_for(
            lambda e: e["event"] == name and all(e.get(k) == v for k, v in fields.items()), timeout,
        )

    def events(self, name: str | None = None) -> list[Event]:
        """Every event seen so far (returned by wait_for or not), optionally only those called `name`."""
        with self._cond:
            return [e for e in self._events if name is None or e["event"] == name]

    # -- commands

    def command(self, **kw: Any) -> None:
        """Send one command, e.g. command(cmd="send_text", to="10.201.140.2", text="hi")."""
        stdin = self.process.stdin
        if stdin is None or self.process.poll() is not None:
            raise IptuxError(f"{self.nick}: driver is not running; see {self.log_path}")
        stdin.write((json.dumps(kw, ensure_ascii=False) + "\n").encode())
        stdin.flush()

    def stop(self, timeout: float = 10.0) -> int | None:
        """Quit (the driver sends BR_EXIT to its peers); kill it if it hangs.  Returns its exit code."""
        if self.process.poll() is None:
            try:
                self.command(cmd="quit")
                if self.process.stdin is not None:
                    self.process.stdin.close()
            except (OSError, IptuxError):
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._reader.join(5)
        self._log.close()
        return self.process.returncode
