"""The JSON commands of CLI.md, and the local socket that takes them from `lanchat send`.

The same `Commands` serve headless stdin and the profile's control socket
(`<profile>/lanchat.sock`), through which a second `lanchat` hands its
work to the one already running for that profile.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.app import Runtime
from lanchat.core.contacts import Contact
from lanchat.core.messaging import ChatMessage, new_id
from lanchat.core.notices import Notice
from lanchat.core.transfers import TransferView
from lanchat.transports.lanchat.protocol.errors import LocalProtocolError
from lanchat.transports.lanchat.protocol.fields import is_hex32
from lanchat.transports.lanchat.protocol.frames import Room
from lanchat.transports.lanchat.protocol.presence import Status

log = logging.getLogger("lanchat.control")

SOCKET_NAME = "lanchat.sock"


class CommandError(Exception):
    """A command cannot be carried out; `code` is the result's `error`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def transfer_event(view: TransferView) -> dict[str, Any]:
    return {
        "event": "transfer", "tid": view.tid, "direction": view.direction, "peer": view.peer,
        "state": view.state, "kind": view.kind,
        "files": [
            {"path": f.path, "size": f.size, "saved_as": f.saved_as, "sha256": f.sha256, "ok": f.ok}
            for f in view.files
        ],
        "bytes": view.bytes_done, "total": view.total, "reason": view.reason,
        "room": view.room, "needs_decision": view.needs_decision,
    }


def peer_event(contact: Contact) -> dict[str, Any]:
    return {
        "event": "peer", "id": contact.id, "name": contact.name, "address": contact.address,
        "port": contact.port, "status": contact.status_text, "group": contact.group,
    }


class Commands(QObject):
    """Carries out one JSON command on the GUI/main thread; returns its result line."""

    quit_requested = Signal()
    #: `{"cmd":"raise"}`: a second lanchat of this profile asks the window to come to the front.
    raise_requested = Signal()

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self._runtime = runtime

    def execute(self, command: Any) -> dict[str, Any]:
        if not isinstance(command, dict):
            return {"event": "result", "id": None, "ok": False, "error": "bad-command",
                    "message": "a command is one JSON object"}
        caller_id = command.get("id")
        result: dict[str, Any] = {"event": "result", "id": caller_id, "ok": True}
        try:
            result.update(self._dispatch(command))
        except CommandError as e:
            result.update(ok=False, error=e.code, message=e.message)
        return result

    def _dispatch(self, command: dict[str, Any]) -> dict[str, Any]:
        name = command.get("cmd")
        if name == "send":
            return self._send(command)
        if name == "offer":
            return self._offer(command)
        if name in ("accept", "decline", "cancel"):
            tid = command.get("tid")
            transfers = self._runtime.transfers
            if not is_hex32(tid) or transfers.view(tid) is None:
                raise CommandError("not-found", f"no transfer {tid!r}")
            try:
                {"accept": transfers.accept, "decline": transfers.decline, "cancel": transfers.cancel}[name](tid)
            except KeyError:
                raise CommandError("bad-command", f"transfer {tid} cannot be {name}ed now") from None
            return {"tid": tid}
        if name == "status":
            try:
                status = Status(str(command.get("status")))
            except ValueError:
                raise CommandError("bad-command", "status is online, away or busy") from None
            self._runtime.set_status(status)
            return {}
        if name == "peers":
            return {"peers": [peer_event(c) for c in self._runtime.contacts.all()]}
        if name == "quit":
            self.quit_requested.emit()
            return {}
        if name == "raise":
            self.raise_requested.emit()
            return {}
        raise CommandError("bad-command", f"unknown command {name!r}")

    def _offer(self, command: dict[str, Any]) -> dict[str, Any]:
        paths = command.get("paths")
        kind = command.get("kind")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise CommandError("bad-command", "'paths' must be a list of paths")
        if kind not in (None, "image", "files"):
            raise CommandError("bad-command", "'kind' is image or files")
        contact = self.resolve(command.get("to"))
        try:
            tids = self._runtime.transfers.offer(contact.id, [Path(p).expanduser() for p in paths], kind)
        except ValueError as e:
            raise CommandError("bad-path", str(e)) from None
        return {"tid": tids[0], "tids": tids, "to": contact.id}

    def resolve(self, to: Any) -> Contact:
        """The one contact `to` names. Raises CommandError not-found / ambiguous."""
        if not isinstance(to, str) or not to.strip():
            raise CommandError("bad-command", "'to' must name a contact")
        found = self._runtime.contacts.find(to)
        if not found:
            raise CommandError("not-found", f"no contact is called {to!r}")
        if len(found) > 1:
            raise CommandError("ambiguous", f"{len(found)} contacts are called {to!r}; use the id")
        return found[0]

    def _send(self, command: dict[str, Any]) -> dict[str, Any]:
        text = command.get("text")
        if not isinstance(text, str):
            raise CommandError("bad-command", "'text' must be a string")
        room = self._room(command.get("room"))
        messaging = self._runtime.messaging
        try:
            if room is not None:
                return {"mid": messaging.send_room_text(room, text)}
            contact = self.resolve(command.get("to"))
            return {"mid": messaging.send_text(contact.id, text), "to": contact.id}
        except LocalProtocolError as e:
            raise CommandError("bad-command", str(e)) from None

    def _room(self, value: Any) -> Room | None:
        """A room given as a known room id, or as {"id"?, "name", "members"}."""
        if value is None:
            return None
        known = self._runtime.messaging.rooms()
        if isinstance(value, str) and value in known:
            return known[value]
        if isinstance(value, dict):
            members = value.get("members")
            name = value.get("name")
            if isinstance(members, list) and isinstance(name, str) and 1 <= len(name) <= 64:
                ids = [self.resolve(m).id for m in members]
                own = self._runtime.identity.id
                given = value.get("id")
                room_id = given if is_hex32(given) else new_id()
                return Room(room_id, name, tuple(dict.fromkeys([own, *ids])))
        raise CommandError("bad-command", "'room' must be a known room id or {name, members}")


class ControlServer(QObject):
    """Serves `<profile>/lanchat.sock`: JSON command lines in, event lines out."""

    command_received = Signal(object, object)  # (ControlClient, parsed command)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._sock: socket.socket | None = None
        self._stopping = False
        self._clients: list[ControlClient] = []
        self._lock = threading.Lock()

    def bind(self) -> None:
        """Take over the socket path. Raises OSError if another lanchat holds it."""
        if is_running(self.path):
            raise OSError(f"another lanchat is running with this profile ({self.path.parent})")
        self.path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(self.path))
        self.path.chmod(0o600)
        sock.listen(8)
        sock.settimeout(0.5)
        self._sock = sock

    def broadcast(self, line: bytes) -> None:
        """Send an event line to every connected client."""
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            client.write(line)

    def stop(self) -> None:
        self._stopping = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @Slot()
    def run(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while not self._stopping:
                try:
                    conn, _ = sock.accept()
                except TimeoutError:
                    continue
                except OSError:
                    break
                client = ControlClient(conn, self)
                with self._lock:
                    self._clients.append(client)
                threading.Thread(target=client.read_loop, name="lanchat-control", daemon=True).start()
        finally:
            sock.close()
            self.path.unlink(missing_ok=True)
            with self._lock:
                for client in self._clients:
                    client.close()


    def forget(self, client: ControlClient) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)


class ControlClient:
    """One connection to the control socket."""

    def __init__(self, conn: socket.socket, server: ControlServer) -> None:
        self._conn = conn
        self._server = server
        self._write_lock = threading.Lock()
        conn.settimeout(None)

    def read_loop(self) -> None:
        try:
            with self._conn.makefile("rb") as lines:
                for line in lines:
                    try:
                        command = json.loads(line)
                    except ValueError:
                        command = None
                    self._server.command_received.emit(self, command)
        except OSError:
            pass
        finally:
            self._server.forget(self)

    def write(self, line: bytes) -> None:
        with self._write_lock:
            try:
                self._conn.sendall(line)
            except OSError:
                self._server.forget(self)

    def close(self) -> None:
        try:
            self._conn.shutdown(socket.SHUT_RDWR)
            self._conn.close()
        except OSError:
            pass


def is_running(path: Path) -> bool:
    """True when a lanchat answers on the control socket at `path`."""
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def event_line(event: dict[str, Any]) -> bytes:
    """One event or result as the JSON line CLI.md prints."""
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


#: `transfer` `progress` events go out at most twice a second per transfer.
PROGRESS_INTERVAL = 0.5


class EventStream(QObject):
    """Turns the runtime's signals into the event lines of CLI.md and hands them to `write`.

    Headless mode writes them to stdout and the control socket, the window to
    the control socket only.
    """

    def __init__(self, runtime: Runtime, write: Callable[[bytes], None]) -> None:
        super().__init__()
        self._write = write
        self._last_progress: dict[str, float] = {}
        runtime.contacts.changed.connect(self.on_contact_changed)
        runtime.messaging.message_received.connect(self.on_message)
        runtime.messaging.delivered.connect(self.on_delivered)
        runtime.messaging.failed.connect(self.on_failed)
        runtime.notices.posted.connect(self.on_notice)
        runtime.transfers.transfer_changed.connect(self.on_transfer)

    def emit_event(self, event: dict[str, Any]) -> None:
        self._write(event_line(event))

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
    def on_transfer(self, view: TransferView) -> None:
        if view.state == "progress":
            now = time.monotonic()
            if now - self._last_progress.get(view.tid, 0.0) < PROGRESS_INTERVAL:
                return
            self._last_progress[view.tid] = now
        self.emit_event(transfer_event(view))

    @Slot(object)
    def on_notice(self, notice: Notice) -> None:
        self.emit_event({"event": "error", "code": notice.code, "message": notice.text, "peer": notice.peer})
