"""The window's side of the control socket: one instance per profile, and `lanchat send` hand-off.

The window serves the same JSON commands as headless mode on `<profile>/lanchat.sock`
(CLI.md), plus `{"cmd":"raise"}`, which a second `lanchat` with the same profile
sends instead of starting a second copy.
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.app import Runtime
from lanchat.control import (
    SOCKET_NAME,
    Commands,
    ControlClient,
    ControlServer,
    EventStream,
    event_line,
    is_running,
)
from lanchat.transports.lanchat.net.threads import WorkerThread

log = logging.getLogger("lanchat.desktop")


def control_path(profile: Path) -> Path:
    return profile / SOCKET_NAME


def ask_running_to_raise(profile: Path, timeout: float = 3.0) -> bool:
    """If a lanchat runs with `profile`, ask it to show its window; True when it answered."""
    path = control_path(profile)
    if not is_running(path):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(b'{"cmd":"raise","id":"raise"}\n')
            with sock.makefile("rb") as lines:
                for line in lines:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("event") == "result" and event.get("id") == "raise":
                        return bool(event.get("ok"))
    except OSError as e:
        log.info("the running lanchat did not answer: %s", e)
    return False


class DesktopControl(QObject):
    """Carries out control-socket commands for the window and broadcasts its events."""

    raise_requested = Signal()
    quit_requested = Signal()

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        self.commands = Commands(runtime)
        self.commands.raise_requested.connect(self.raise_requested)
        self.commands.quit_requested.connect(self.quit_requested)
        self.server = ControlServer(control_path(runtime.options.profile))
        self.server.command_received.connect(self.on_command)
        self.worker_thread: WorkerThread | None = None
        self.events = EventStream(runtime, self.server.broadcast)

    def start(self) -> None:
        """Raises OSError when another lanchat holds the profile's socket."""
        self.server.bind()
        self.worker_thread = WorkerThread(self.server, "lanchat-control")
        self.worker_thread.start()

    def stop(self) -> None:
        if self.worker_thread is not None:
            self.worker_thread.stop()
            self.worker_thread = None

    @Slot(object, object)
    def on_command(self, client: ControlClient, command: Any) -> None:
        client.write(event_line(self.commands.execute(command)))
