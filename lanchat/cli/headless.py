"""`lanchat --headless`: no window; JSON events on stdout, commands on stdin and the control socket (docs/cli.md)."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from typing import BinaryIO, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lanchat.app import Options, Runtime, StartupError
from lanchat.cli.commands import Commands
from lanchat.cli.events import EventStream, event_line
from lanchat.cli.signals import SignalWaker
from lanchat.control_socket import SOCKET_NAME, ControlServer

log = logging.getLogger("lanchat.headless")


class StdinReader(QObject):
    """Reads command lines from stdin in a thread; end of input does not stop anything."""

    line_read = Signal(object)  # the parsed JSON, or None for a line that is not JSON

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


def _parse_command(raw: bytes) -> object:
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
        self.stdin = StdinReader()
        self.stdin.line_read.connect(self.on_stdin_command)
        self.control.command_received.connect(self.on_control_command)
        self.events = EventStream(runtime, self.write_line)

    def start(self) -> None:
        """Raises OSError when another lanchat holds the profile's control socket."""
        self.control.bind()
        self.control.start()
        runtime = self.runtime
        ready = {"event": "ready", "id": runtime.identity.id, "name": runtime.name, "port": runtime.port}
        self.events.emit_event(ready)
        for notice in runtime.notices.listen():
            self.events.on_notice(notice)
        self.stdin.start()

    def write_line(self, line: bytes) -> None:
        """An event: to stdout (flushed) and to every control-socket client."""
        write_all(sys.stdout.buffer, line)
        self.control.broadcast(line)

    @Slot()
    def quit(self) -> None:
        self.app.quit()

    def stop(self) -> None:
        self.runtime.stop()
        self.control.stop()

    @Slot(object)
    def on_stdin_command(self, command: object) -> None:
        sys.stdout.buffer.write(event_line(self.commands.execute(command)))
        sys.stdout.buffer.flush()

    @Slot(int, object)
    def on_control_command(self, client: int, command: object) -> None:
        self.control.send(client, event_line(self.commands.execute(command)))


def write_all(out: BinaryIO, data: bytes) -> None:
    """Write all of `data` and flush: with PYTHONUNBUFFERED stdout is raw, and a raw write (a signal
    arriving mid-way) may take only part of a long line."""
    view = memoryview(data)
    while view:
        written = out.write(view)
        view = view[written if written is not None else 0:]
    out.flush()


def configure_logging() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s"
    )


class StartHooks(Protocol):
    """What a command built on headless mode adds to it (`lanchat share`)."""

    def before_events(self, runtime: Runtime) -> None:
        """The runtime has started; headless mode's events are not connected yet."""

    def after_start(self, runtime: Runtime) -> str | None:
        """Headless mode runs; returns why the command cannot go on, or None."""


def run_headless(options: Options, program: str = "lanchat", hooks: StartHooks | None = None) -> int:
    configure_logging()
    app = QCoreApplication.instance() or QCoreApplication(["lanchat"])
    waker = SignalWaker(app)
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        print(f"{program}: {e}", file=sys.stderr)
        return 1
    if hooks is not None:
        hooks.before_events(runtime)
    headless = Headless(runtime, app)
    try:
        headless.start()
    except OSError as e:
        runtime.stop()
        print(f"{program}: {e}", file=sys.stderr)
        return 1
    problem = hooks.after_start(runtime) if hooks is not None else None
    if problem is not None:
        headless.stop()
        print(f"{program}: {problem}", file=sys.stderr)
        return 1
    app.exec()
    headless.stop()
    del waker
    return 0
