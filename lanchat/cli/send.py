"""`lanchat send`: deliver a message or files once and exit (docs/cli.md exit codes).

If a lanchat already runs with the profile, the request goes to it over
the profile's control socket; otherwise `send` runs its own presence and
listener for as long as it takes. `--timeout` bounds the wait for the
contact and for each answer; a transfer that keeps making progress is not
cut off by it.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

from lanchat.app import Options, Runtime, StartupError
from lanchat.cli.events import transfer_event
from lanchat.cli.exit_codes import Exit
from lanchat.control_socket import SOCKET_NAME, is_running
from lanchat.core.contacts import Contact, Network
from lanchat.core.ids import canonical_id, localsend_address
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferView
from lanchat.core.transport import Delivery, DeliveryFailure, LinkFailure

#: After the first contact of that name appears, how long to wait for others
#: (query answers come within 300 ms) before calling the name unambiguous.
AMBIGUITY_WAIT_MS = 600
FINAL_STATES = tuple(state.value for state in TransferState if state.finished)


@dataclass(frozen=True)
class Request:
    to: str
    text: str | None
    paths: list[Path]
    timeout: float
    pin: str | None = None  # for a LocalSend device that asks for one


def fail(code: int, message: str) -> int:
    print(f"lanchat send: {message}", file=sys.stderr)
    return code


def run_send(options: Options, request: Request) -> int:
    for path in request.paths:
        if not path.exists():
            return fail(Exit.USAGE, f"{path} does not exist")
    control_path = options.profile / SOCKET_NAME
    if is_running(control_path):
        return _send_through_running(control_path, request)
    return _send_ourselves(options, request)


def transfer_outcome(views: list[dict[str, Any]]) -> tuple[int, str]:
    """Exit code and message once every transfer of a send ended."""
    for view in views:
        if view.get("reason") == "cert-mismatch":
            return Exit.CERT_MISMATCH, "the contact's certificate does not match its announced id"
        if view["state"] != TransferState.DONE or not all(f.get("ok") for f in view["files"]):
            return Exit.FAILED, f"the transfer ended {view['state']}: {view.get('reason') or 'not every file arrived'}"
    return Exit.OK, ""


class ProgressBar:
    """A one-line progress bar on stderr, only when it is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def show(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done * 100 // total:3d}%")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _send_through_running(path: Path, request: Request) -> int:
    """Hand the request to the lanchat already running with this profile."""
    deadline = time.monotonic() + request.timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        lines = sock.makefile("rb")
        command: dict[str, Any] = {"id": "send", "to": request.to}
        if request.pin:
            command["pin"] = request.pin
        if request.text is not None:
            command.update(cmd="send", text=request.text)
        else:
            command.update(cmd="offer", paths=[str(p.resolve()) for p in request.paths])
        while True:
            sock.sendall(json.dumps(command).encode() + b"\n")
            result = _next_line(lines, sock, deadline, lambda e: e.get("event") == "result")
            if result is None:
                return fail(Exit.FAILED, "the running lanchat did not answer in time")
            if result.get("ok"):
                break
            error = result.get("error")
            if error == "ambiguous" or (error == "not-found" and time.monotonic() >= deadline - 0.5):
                return fail(Exit.NOT_FOUND, result.get("message", "contact not found"))
            if error != "not-found":
                return fail(Exit.FAILED if error != "bad-path" else Exit.USAGE, result.get("message", "refused"))
            time.sleep(0.5)  # the contact may still appear
        if request.text is not None:
            mid = result.get("mid")
            outcome = _next_line(
                lines, sock, deadline,
                lambda e: e.get("event") in ("delivered", "failed") and e.get("mid") == mid,
            )
            if outcome is None:
                return fail(Exit.FAILED, f"not delivered within {request.timeout:g} s (it stays queued)")
            if outcome["event"] == "failed":
                code = Exit.CERT_MISMATCH if outcome.get("reason") == "cert-mismatch" else Exit.FAILED
                return fail(code, f"delivery failed: {outcome.get('reason')}")
            return Exit.OK
        return _follow_transfers(lines, sock, set(result.get("tids", [])), request.timeout)


def _follow_transfers(lines: Any, sock: socket.socket, tids: set[str], timeout: float) -> int:
    final: dict[str, dict[str, Any]] = {}
    bar = ProgressBar()
    progress: dict[str, tuple[int, int]] = {}
    deadline = time.monotonic() + timeout
    while len(final) < len(tids):
        event = _next_line(lines, sock, deadline, lambda e: e.get("event") == "transfer" and e.get("tid") in tids)
        if event is None:
            bar.close()
            return fail(Exit.FAILED, f"no answer or progress for {timeout:g} s")
        deadline = time.monotonic() + timeout  # progress keeps the wait alive
        progress[event["tid"]] = (event["bytes"], event["total"])
        bar.show(sum(d for d, _ in progress.values()), sum(t for _, t in progress.values()))
        if event["state"] in FINAL_STATES:
            final[event["tid"]] = event
    bar.close()
    code, message = transfer_outcome(list(final.values()))
    return fail(code, message) if code != Exit.OK else Exit.OK


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
    """Waits for the contact, sends, waits for the ack or every `done`; sets `exit_code`."""

    def __init__(self, runtime: Runtime, app: QCoreApplication, request: Request) -> None:
        super().__init__()
        self.runtime = runtime
        self.app = app
        self.request = request
        self.exit_code: int | None = None
        self.message = ""
        self.mid: str | None = None
        self.tids: set[str] = set()
        self.peer: str | None = None
        self._to = canonical_id(request.to)
        self._address = localsend_address(self._to)  # `localsend:<IPv4>`: the device there, once it answers
        self._final: dict[str, TransferView] = {}
        self._progress: dict[str, tuple[int, int]] = {}
        self._bar = ProgressBar()
        self._first_seen: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._poll)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._timed_out)
        self._deadline.start(int(request.timeout * 1000))
        runtime.messaging.delivered.connect(self._on_delivered)
        runtime.messaging.failed.connect(self._on_failed)
        runtime.transfers.transfer_changed.connect(self._on_transfer)
        for transport in runtime.transports.all():
            transport.link_failed.connect(self._on_link_failed)
        self._timer.start()
        if self._address is not None and runtime.localsend is not None:
            runtime.localsend.probe(self._address)

    def _finish(self, code: int, message: str = "") -> None:
        if self.exit_code is None:
            if self.tids:
                self._bar.close()
            self.exit_code, self.message = code, message
            self.app.quit()

    def _candidates(self) -> list[Contact]:
        if self._address is not None:
            return [c for c in self.runtime.contacts.all()
                    if c.network is Network.LOCALSEND and c.address == self._address and c.online][:1]
        exact = self.runtime.contacts.get(self._to)  # find() lower-cases: a LocalSend id is upper case
        return [c for c in ([exact] if exact else self.runtime.contacts.find(self._to)) if c.online]

    @Slot()
    def _poll(self) -> None:
        found = self._candidates()
        if not found:
            return
        is_id = len(found) == 1 and (found[0].id.startswith(self._to) or self._address is not None)
        now = time.monotonic()
        if self._first_seen is None:
            self._first_seen = now
        if not is_id and now - self._first_seen < AMBIGUITY_WAIT_MS / 1000:
            return
        self._timer.stop()
        if len(found) > 1:
            self._finish(Exit.NOT_FOUND, f"{len(found)} contacts are called {self.request.to!r}; use the id")
            return
        self.peer = found[0].id
        localsend = self.runtime.localsend
        if self.request.pin and localsend is not None and found[0].network is Network.LOCALSEND:
            localsend.set_pin(self.peer, self.request.pin)
        try:
            if self.request.text is not None:
                self.mid = self.runtime.messaging.send_text(self.peer, self.request.text)
            else:
                self.tids = set(self.runtime.transfers.offer(self.peer, self.request.paths))
        except ValueError as e:  # LocalProtocolError too: text too long, unreadable file
            self._finish(Exit.USAGE, str(e))

    @Slot(Delivery)
    def _on_delivered(self, delivery: Delivery) -> None:
        if delivery.mid == self.mid:
            self._finish(Exit.OK)

    @Slot(DeliveryFailure)
    def _on_failed(self, failure: DeliveryFailure) -> None:
        if failure.mid == self.mid:
            code = Exit.CERT_MISMATCH if failure.reason == "cert-mismatch" else Exit.FAILED
            self._finish(code, f"delivery failed: {failure.reason}")

    @Slot(TransferView)
    def _on_transfer(self, view: TransferView) -> None:
        if view.tid not in self.tids:
            return
        self._deadline.start(int(self.request.timeout * 1000))  # progress keeps the wait alive
        self._progress[view.tid] = (view.bytes_done, view.total)
        self._bar.show(sum(d for d, _ in self._progress.values()), sum(t for _, t in self._progress.values()))
        if view.state.finished:
            self._final[view.tid] = view
        if len(self._final) == len(self.tids):
            self._finish(*transfer_outcome([transfer_event(v) for v in self._final.values()]))

    @Slot(LinkFailure)
    def _on_link_failed(self, failure: LinkFailure) -> None:
        if failure.peer == self.peer and failure.cert_mismatch:
            self._finish(Exit.CERT_MISMATCH, "the contact's certificate does not match its announced id")

    @Slot()
    def _timed_out(self) -> None:
        if self.peer is None:
            self._finish(Exit.NOT_FOUND, f"no contact {self.request.to!r} appeared in time")
        else:
            self._finish(Exit.FAILED, f"nothing happened for {self.request.timeout:g} s; not delivered")


def _send_ourselves(options: Options, request: Request) -> int:
    app = QCoreApplication.instance() or QCoreApplication(["lanchat-send"])
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        return fail(Exit.FAILED, str(e))
    sender = OneShotSender(runtime, app, request)
    app.exec()
    if sender.exit_code != Exit.OK and sender.peer is not None:
        # Not delivered now: do not let a later run deliver it by surprise.
        if sender.mid is not None:
            runtime.messaging.give_up(sender.mid, sender.peer, "timed-out")
        for tid in sender.tids:
            runtime.transfers.cancel(tid)
    runtime.stop()
    code = Exit.FAILED if sender.exit_code is None else sender.exit_code
    return fail(code, sender.message) if code != Exit.OK else Exit.OK
