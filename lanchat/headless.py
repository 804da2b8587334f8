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
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal, Slot

from lanchat.app import Options, Runtime, StartupError
from lanchat.control import SOCKET_NAME, Commands, ControlClient, ControlServer, EventStream, event_line
from lanchat.transports.lanchat.net.threads import WorkerThread

log = logging.getLogger("lanchat.headless")


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
        self.events = EventStream(runtime, self.write_line)

    def start(self) -> None:
        self.control.bind()
        self.control_thread = WorkerThread(self.control, "lanchat-control")
        self.control_thread.start()
        runtime = self.runtime
        ready = {"event": "ready", "id": runtime.identity.id, "name": runtime.name, "port": runtime.port}
        self.events.emit_event(ready)
        for notice in runtime.notices.listen():
            self.events.on_notice(notice)
        self.stdin.start()

    def write_line(self, line: bytes) -> None:
        """An event: to stdout (flushed) and to every control-socket client."""
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
