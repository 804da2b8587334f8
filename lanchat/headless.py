"""`lanchat --headless`: the same workers without a window; JSON events out, commands in (CLI.md)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal, Slot

from lanchat.app import Options, Runtime, StartupError
from lanchat.control import SOCKET_NAME, Commands, ControlClient, ControlServer, peer_event, transfer_event
from lanchat.core.contacts import Contact
from lanchat.core.messaging import ChatMessage
from lanchat.core.notices import Notice
from lanchat.core.transfers import TransferView
from lanchat.net.threads import WorkerThread

log = logging.getLogger("lanchat.headless")

PROGRESS_INTERVAL = 0.5


def event_line(event: dict[str, Any]) -> bytes:
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class StdinReader(QObject):
    """Reads command lines from stdin in a thread; end of input does not stop anything."""

    line_read = Signal(object)  # parsed JSON, or None for a line that is not JSON

    def start(self) -> None:
        threading.Thread(target=self._read, name="lanchat-stdin", daemon=True).start()

    def _read(self) -> None:
        # os.read, not sys.stdin: a daemon thread blocked inside a buffered
        # reader aborts the interpreter at exit.
        pending = b""
        while True:
            try:
                data = os.read(0, 65536)
            except OSError:
                return
            if not data:
                return
            *lines, pending = (pending + data).split(b"\n")
            for raw in lines:
                if raw.strip():
                    self.line_read.emit(_parse_command(raw))


def _parse_command(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Headless(QObject):
    """Prints events as JSON lines and carries out commands from stdin and the control socket."""

    def __init__(self, runtime: Runtime, app: QCoreApplication) -> None:
        super().__init__()
        self.runtime = runtime
        self.app = app
        self.commands = Commands(runtime)
        self.commands.quit_requested.connect(self.quit)
        self.control = ControlServer(runtime.options.profile / SOCKET_NAME)
        self.control_thread: WorkerThread | None = None
        self.stdin = StdinReader()
        self.stdin.line_read.connect(self.on_stdin_command)
        self.control.command_received.connect(self.on_control_command)
        runtime.contacts.changed.connect(self.on_contact_changed)
        runtime.messaging.message_received.connect(self.on_message)
        runtime.messaging.delivered.connect(self.on_delivered)
        runtime.messaging.failed.connect(self.on_failed)
        runtime.notices.posted.connect(self.on_notice)
        runtime.transfers.transfer_changed.connect(self.on_transfer)
        self._last_progress: dict[str, float] = {}

    def start(self) -> None:
        self.control.bind()
        self.control_thread = WorkerThread(self.control, "lanchat-control")
        self.control_thread.start()
        runtime = self.runtime
        self.print_event({"event": "ready", "id": runtime.identity.id, "name": runtime.name, "port": runtime.port})
        for notice in runtime.notices.listen():
            self.on_notice(notice)
        self.stdin.start()

    def print_event(self, event: dict[str, Any]) -> None:
        line = event_line(event)
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        self.control.broadcast(line)

    @Slot()
    def quit(self) -> None:
        self.app.quit()

    def stop(self) -> None:
        self.runtime.stop()
        if self.control_thread is not None:
            self.control_thread.stop()

    @Slot(object)
    def on_stdin_command(self, command: Any) -> None:
        result = self.commands.execute(command)
        sys.stdout.buffer.write(event_line(result))
        sys.stdout.buffer.flush()

    @Slot(object, object)
    def on_control_command(self, client: ControlClient, command: Any) -> None:
        client.write(event_line(self.commands.execute(command)))

    @Slot(object)
    def on_contact_changed(self, contact: Contact) -> None:
        self.print_event(peer_event(contact))

    @Slot(object)
    def on_message(self, message: ChatMessage) -> None:
        self.print_event({
            "event": "message", "from": message.sender, "mid": message.mid, "text": message.text,
            "room": message.room.id if message.room else None, "ts": message.ts,
            "room_name": message.room.name if message.room else None,
        })

    @Slot(str, str)
    def on_delivered(self, mid: str, to: str) -> None:
        self.print_event({"event": "delivered", "mid": mid, "to": to})

    @Slot(str, str, str)
    def on_failed(self, mid: str, to: str, reason: str) -> None:
        self.print_event({"event": "failed", "mid": mid, "to": to, "reason": reason})

    @Slot(object)
    def on_transfer(self, view: TransferView) -> None:
        if view.state == "progress":  # at most twice a second per transfer
            now = time.monotonic()
            if now - self._last_progress.get(view.tid, 0.0) < PROGRESS_INTERVAL:
                return
            self._last_progress[view.tid] = now
        self.print_event(transfer_event(view))

    @Slot(object)
    def on_notice(self, notice: Notice) -> None:
        self.print_event({"event": "error", "code": notice.code, "message": notice.text, "peer": notice.peer})


class SignalWaker(QObject):
    """Turns SIGINT/SIGTERM into a clean quit of the Qt event loop, at once."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self._app = app
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        signal.set_wakeup_fd(self._write.fileno())
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: None)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_signal)

    @Slot()
    def _on_signal(self) -> None:
        try:
            self._read.recv(64)
        except OSError:
            pass
        self._app.quit()


def configure_logging() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s"
    )


def run_headless(args: argparse.Namespace) -> int:
    configure_logging()
    try:
        options = Options.from_args(args)
    except ValueError as e:
        print(f"lanchat: {e}", file=sys.stderr)
        return 2
    app = QCoreApplication.instance() or QCoreApplication(["lanchat"])
    assert isinstance(app, QCoreApplication)
    waker = SignalWaker(app)
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        print(f"lanchat: {e}", file=sys.stderr)
        return 1
    headless = Headless(runtime, app)
    try:
        headless.start()
    except OSError as e:
        runtime.stop()
        print(f"lanchat: {e}", file=sys.stderr)
        return 1
    app.exec()
    headless.stop()
    del waker
    return 0
