"""The window's side of the control socket: one instance per profile, and `lanchat send` hand-off.

The window serves the same JSON commands as headless mode on `<profile>/lanchat.sock`
(CLI.md), plus `{"cmd":"raise"}`, which a second `lanchat` with the same profile
sends instead of starting a second copy.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.app import Runtime
from lanchat.control import (
    SOCKET_NAME,
    Commands,
    ControlClient,
    ControlServer,
    is_running,
    peer_event,
    transfer_event,
)
from lanchat.core.contacts import Contact
from lanchat.core.messaging import ChatMessage
from lanchat.core.notices import Notice
from lanchat.net.threads import WorkerThread

log = logging.getLogger("lanchat.desktop")

PROGRESS_INTERVAL = 0.5


def event_line(event: dict[str, Any]) -> bytes:
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


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
        self._last_progress: dict[str, float] = {}
        runtime.contacts.changed.connect(self.on_contact_changed)
        runtime.messaging.message_received.connect(self.on_message)
        runtime.messaging.delivered.connect(self.on_delivered)
        runtime.messaging.failed.connect(self.on_failed)
        runtime.notices.posted.connect(self.on_notice)
        transfers = getattr(runtime, "transfers", None)
        if transfers is not None:
            transfers.transfer_changed.connect(self.on_transfer)

    def start(self) -> None:
        """Raises OSError when another lanchat holds the profile's socket."""
        self.server.bind()
        self.worker_thread = WorkerThread(self.server, "lanchat-control")
        self.worker_thread.start()

    def stop(self) -> None:
        if self.worker_thread is not None:
            self.worker_thread.stop()
            self.worker_thread = None

    def emit_event(self, event: dict[str, Any]) -> None:
        self.server.broadcast(event_line(event))

    @Slot(object, object)
    def on_command(self, client: ControlClient, command: Any) -> None:
        client.write(event_line(self.commands.execute(command)))

    @Slot(object)
    def on_contact_changed(self, contact: Contact) -> None:
        self.emit_event(peer_event(contact))

    @Slot(object)
    def on_message(self, message: ChatMessage) -> None:
        self.emit_event({
            "event": "message", "from": message.sender, "mid": message.mid, "text": message.text,
            "room": message.room.id if message.room else None, "ts": message.ts,
            "room_name": message.room.name if message.room else None,
        })

    @Slot(str, str)
    def on_delivered(self, mid: str, to: str) -> None:
        self.emit_event({"event": "delivered", "mid": mid, "to": to})

    @Slot(str, str, str)
    def on_failed(self, mid: str, to: str, reason: str) -> None:
        self.emit_event({"event": "failed", "mid": mid, "to": to, "reason": reason})

    @Slot(object)
    def on_transfer(self, view: Any) -> None:
        if view.state == "progress":
            now = time.monotonic()
            if now - self._last_progress.get(view.tid, 0.0) < PROGRESS_INTERVAL:
                return
            self._last_progress[view.tid] = now
        self.emit_event(transfer_event(view))

    @Slot(object)
    def on_notice(self, notice: Notice) -> None:
        self.emit_event({"event": "error", "code": notice.code, "message": notice.text, "peer": notice.peer})
