"""Test helpers: real lanchat peers on loopback, in-process or as subprocesses."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

LOOPBACK_BROADCAST = "127.255.255.255"


def free_udp_port() -> int:
    """A UDP port nothing on this host uses now (so tests never meet a real lanchat)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peer_args(profile: Path, name: str, presence_port: int) -> list[str]:
    """Options that keep a peer on loopback: any TCP port, loopback broadcast only."""
    return [
        "--profile", str(profile), "--name", name, "--port", "0",
        "--presence-port", str(presence_port), "--only-targets", "--target", LOOPBACK_BROADCAST,
        "--download-dir", str(profile / "downloads"),
    ]


class JsonLinesProcess:
    """A subprocess that prints one JSON object per line and takes JSON command lines on stdin."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(  # its own process group: `stop` ends what it started too
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            start_new_session=True,
        )
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.events.put(json.loads(line))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def command(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False).encode() + b"\n")
        self.process.stdin.flush()

    def wait_for(self, predicate: Any, timeout: float = 15.0) -> dict[str, Any]:
        """The first event (already seen or coming) for which `predicate` is true."""
        for event in self.seen:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                recent = [repr(event)[:300] for event in self.seen[-10:]]
                raise AssertionError(f"no matching event in {timeout} s; seen {recent}; stderr {self.stderr[-10:]}")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if predicate(event):
                return event

    def drain(self) -> list[dict[str, Any]]:
        """Every event so far, including those not yet waited for."""
        while True:
            try:
                self.seen.append(self.events.get_nowait())
            except queue.Empty:
                return list(self.seen)

    def stop(self) -> int:
        """End the process and everything it started (a browser's driver, Xvfb, a D-Bus daemon)."""
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                code = self.process.wait(10)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                code = self.process.wait()
        else:
            code = self.process.wait()
        self._signal_group(signal.SIGKILL)  # what outlived it in its group
        return code

    def _signal_group(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except (ProcessLookupError, PermissionError):
            pass


class HeadlessPeer(JsonLinesProcess):
    """`lanchat --headless` in a subprocess; events read into a queue."""

    def __init__(
        self,
        profile: Path,
        name: str,
        presence_port: int,
        *extra: str,
        prefix: tuple[str, ...] = (),
        loopback_only: bool = True,
    ) -> None:
        """Start it; `prefix` runs it under another command (e.g. `ip netns exec NS`).

        With `loopback_only` (the default) presence stays on loopback; without
        it the peer uses its normal targets, for a LAN of the test's own.
        """
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
        options = (
            peer_args(profile, name, presence_port) if loopback_only
            else ["--profile", str(profile), "--name", name, "--download-dir", str(profile / "downloads")]
        )
        super().__init__([*prefix, sys.executable, "-m", "lanchat", "--headless", *options, *extra], env)
        self.ready = self.wait_for(lambda e: e["event"] == "ready", timeout=20)
        self.id: str = self.ready["id"]
        self.port: int = self.ready["port"]
