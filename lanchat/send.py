"""`lanchat send`: deliver once and exit (CLI.md exit codes).

If a lanchat already runs with the profile, the request goes to it over
the profile's control socket; otherwise `send` runs its own presence and
listener for as long as it takes.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

from lanchat.__main__ import EXIT_CERT_MISMATCH, EXIT_FAILED, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from lanchat.app import Options, Runtime, StartupError
from lanchat.control import SOCKET_NAME, CommandError, Commands, is_running
from lanchat.core.contacts import Contact

#: After the first contact of that name appears, how long to wait for others
#: (query answers come within 300 ms) before calling the name unambiguous.
AMBIGUITY_WAIT_MS = 600


def fail(code: int, message: str) -> int:
    print(f"lanchat send: {message}", file=sys.stderr)
    return code


def run_send(args: argparse.Namespace) -> int:
    if args.file or args.dir:
        return fail(EXIT_USAGE, "sending files is not available in this version yet")
    try:
        options = Options.from_args(args)
    except ValueError as e:
        return fail(EXIT_USAGE, str(e))
    control_path = options.profile / SOCKET_NAME
    if is_running(control_path):
        return _send_through_running(control_path, args.to, args.text, args.timeout)
    return _send_ourselves(options, args.to, args.text, args.timeout)


def _send_through_running(path: Any, to: str, text: str, timeout: float) -> int:
    """Hand the message to the lanchat already running with this profile."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        lines = sock.makefile("rb")
        mid = None
        while mid is None:
            sock.sendall(json.dumps({"cmd": "send", "id": "send", "to": to, "text": text}).encode() + b"\n")
            result = _next_line(lines, sock, deadline, lambda e: e.get("event") == "result")
            if result is None:
                return fail(EXIT_FAILED, "the running lanchat did not answer in time")
            if result.get("ok"):
                mid = result.get("mid")
            elif result.get("error") in ("not-found", "ambiguous"):
                if result.get("error") == "ambiguous" or time.monotonic() >= deadline - 0.5:
                    return fail(EXIT_NOT_FOUND, result.get("message", "contact not found"))
                time.sleep(0.5)  # the contact may still appear
            else:
                return fail(EXIT_FAILED, result.get("message", "the message was not accepted"))
        outcome = _next_line(
            lines, sock, deadline,
            lambda e: e.get("event") in ("delivered", "failed") and e.get("mid") == mid,
        )
    if outcome is None:
        return fail(EXIT_FAILED, f"not delivered within {timeout:g} s (it stays queued in the running lanchat)")
    if outcome["event"] == "failed":
        return fail(EXIT_FAILED, f"delivery failed: {outcome.get('reason')}")
    return EXIT_OK


def _next_line(lines: Any, sock: socket.socket, deadline: float, wanted: Any) -> dict[str, Any] | None:
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            raw = lines.readline()
        except TimeoutError:
            return None
        if not raw:
            return None
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        if isinstance(event, dict) and wanted(event):
            return event


class OneShotSender(QObject):
    """Waits for the contact, sends, waits for the ack; sets `exit_code`."""

    def __init__(self, runtime: Runtime, app: QCoreApplication, to: str, text: str, timeout: float) -> None:
        super().__init__()
        self.runtime = runtime
        self.app = app
        self.to = to
        self.text = text
        self.commands = Commands(runtime)
        self.exit_code: int | None = None
        self.message = ""
        self.mid: str | None = None
        self.peer: str | None = None
        self._first_seen: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._poll)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._timed_out)
        self._deadline.start(int(timeout * 1000))
        runtime.messaging.delivered.connect(self._on_delivered)
        runtime.messaging.failed.connect(self._on_failed)
        runtime.links.link_down.connect(self._on_link_down)
        self._timer.start()

    def _finish(self, code: int, message: str = "") -> None:
        if self.exit_code is None:
            self.exit_code, self.message = code, message
            self.app.quit()

    def _candidates(self) -> list[Contact]:
        return [c for c in self.runtime.contacts.find(self.to) if c.online]

    @Slot()
    def _poll(self) -> None:
        if self.mid is not None:
            return
        found = self._candidates()
        if not found:
            return
        is_id = len(found) == 1 and found[0].id.startswith(self.to.lower())
        now = time.monotonic()
        if self._first_seen is None:
            self._first_seen = now
        if not is_id and now - self._first_seen < AMBIGUITY_WAIT_MS / 1000:
            return
        if len(found) > 1:
            self._finish(EXIT_NOT_FOUND, f"{len(found)} contacts are called {self.to!r}; use the id")
            return
        self.peer = found[0].id
        try:
            self.mid = self.runtime.messaging.send_text(self.peer, self.text)
        except CommandError as e:
            self._finish(EXIT_FAILED, e.message)
        except ValueError as e:
            self._finish(EXIT_USAGE, str(e))
        self._timer.stop()

    @Slot(str, str)
    def _on_delivered(self, mid: str, to: str) -> None:
        if mid == self.mid:
            self._finish(EXIT_OK)

    @Slot(str, str, str)
    def _on_failed(self, mid: str, to: str, reason: str) -> None:
        if mid == self.mid:
            self._finish(EXIT_FAILED, f"delivery failed: {reason}")

    @Slot(str, str, bool)
    def _on_link_down(self, peer_id: str, reason: str, mismatch: bool) -> None:
        if peer_id == self.peer and mismatch:
            self._finish(EXIT_CERT_MISMATCH, "the contact's certificate does not match its announced id")

    @Slot()
    def _timed_out(self) -> None:
        if self.mid is None:
            self._finish(EXIT_NOT_FOUND, f"no contact {self.to!r} appeared in time")
        else:
            self._finish(EXIT_FAILED, "not delivered in time")


def _send_ourselves(options: Options, to: str, text: str, timeout: float) -> int:
    app = QCoreApplication.instance() or QCoreApplication(["lanchat-send"])
    assert isinstance(app, QCoreApplication)
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        return fail(EXIT_FAILED, str(e))
    sender = OneShotSender(runtime, app, to, text, timeout)
    app.exec()
    if sender.exit_code != EXIT_OK and sender.mid is not None and sender.peer is not None:
        # Not delivered now: do not let a later run deliver it by surprise.
        runtime.messaging.give_up(sender.mid, sender.peer, "timed-out")
    runtime.stop()
    code = EXIT_FAILED if sender.exit_code is None else sender.exit_code
    return fail(code, sender.message) if code != EXIT_OK else EXIT_OK
