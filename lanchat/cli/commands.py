"""The JSON commands of docs/cli.md, carried out on the main thread for headless stdin and the control socket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from lanchat.app import Runtime
from lanchat.cli.events import peer_event
from lanchat.cli.share import share_command
from lanchat.core.contacts import Contact, Network, Status
from lanchat.core.ids import canonical_id, is_hex32, localsend_address, network_of, new_id
from lanchat.core.rooms import EVERYONE_ROOM_ID, Room
from lanchat.core.transfers.offers import OfferKind
from lanchat.core.transport import UnsendableText


class CommandError(Exception):
    """A command cannot be carried out; `code` is the result's `error`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Commands(QObject):
    """Carries out one JSON command; returns its result line (as a dict)."""

    quit_requested = Signal()
    #: `{"cmd":"raise"}`: a second lanchat of this profile asks the window to come to the front.
    raise_requested = Signal()

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self._runtime = runtime

    def execute(self, command: object) -> dict[str, Any]:
        if not isinstance(command, dict):
            return {"event": "result", "id": None, "ok": False, "error": "bad-command",
                    "message": "a command is one JSON object"}
        result: dict[str, Any] = {"event": "result", "id": command.get("id"), "ok": True}
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
            return self._decide(name, command.get("tid"))
        if name == "status":
            try:
                status = Status(str(command.get("status")))
            except ValueError:
                raise CommandError("bad-command", "status is online, away or busy") from None
            self._runtime.set_status(status)
            return {}
        if name in ("share", "unshare"):
            return share_command(self._runtime, command)
        if name == "peers":
            return {"peers": [peer_event(c) for c in self._runtime.contacts.all()]}
        if name == "quit":
            self.quit_requested.emit()
            return {}
        if name == "raise":
            self.raise_requested.emit()
            return {}
        raise CommandError("bad-command", f"unknown command {name!r}")

    def _decide(self, name: str, tid: object) -> dict[str, Any]:
        transfers = self._runtime.transfers
        if not isinstance(tid, str) or not is_hex32(tid) or transfers.view(tid) is None:
            raise CommandError("not-found", f"no transfer {tid!r}")
        action = {"accept": transfers.accept, "decline": transfers.decline, "cancel": transfers.cancel}[name]
        if not action(tid):
            raise CommandError("bad-command", f"transfer {tid} cannot be {name}ed now")
        return {"tid": tid}

    def _offer(self, command: dict[str, Any]) -> dict[str, Any]:
        paths = command.get("paths")
        kind = command.get("kind")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise CommandError("bad-command", "'paths' must be a list of paths")
        if kind not in (None, "image", "files"):
            raise CommandError("bad-command", "'kind' is image or files")
        contact = self.resolve(command.get("to"))
        self._use_pin(contact, command.get("pin"))
        try:
            tids = self._runtime.transfers.offer(
                contact.id, [Path(p).expanduser() for p in paths], OfferKind(kind) if kind else None
            )
        except ValueError as e:
            raise CommandError("bad-path", str(e)) from None
        return {"tid": tids[0], "tids": tids, "to": contact.id}

    def _use_pin(self, contact: Contact, pin: object) -> None:
        """`pin`: for a LocalSend device that asks for one (kept for that device from now on)."""
        if pin is not None and not isinstance(pin, str):
            raise CommandError("bad-command", "'pin' must be a string or null")
        localsend = self._runtime.localsend
        if pin and localsend is not None and contact.network is Network.LOCALSEND:
            localsend.set_pin(contact.id, pin)

    def resolve(self, to: object) -> Contact:
        """The one contact `to` names. Raises CommandError not-found / ambiguous / network-off.

        `localsend:<fingerprint>` is taken in any case; `localsend:<IPv4>` names
        the device at that address, which is asked who it is when not seen yet.
        """
        if not isinstance(to, str) or not to.strip():
            raise CommandError("bad-command", "'to' must name a contact")
        to = canonical_id(to)
        network = network_of(to)
        if network is not Network.LANCHAT and self._runtime.transports.of(to) is None:
            raise CommandError("network-off", f"the {network.value} network is off in this lanchat")
        address = localsend_address(to)
        if address is not None:
            return self._localsend_at(address)
        exact = self._runtime.contacts.get(to)  # find() lower-cases: a LocalSend id is upper case
        found = [exact] if exact is not None else self._runtime.contacts.find(to)
        if not found:
            raise CommandError("not-found", f"no contact is called {to!r}")
        if len(found) > 1:
            raise CommandError("ambiguous", f"{len(found)} contacts are called {to!r}; use the id")
        return found[0]

    def _localsend_at(self, address: str) -> Contact:
        found = [c for c in self._runtime.contacts.all()
                 if c.network is Network.LOCALSEND and c.address == address and c.online]
        if found:
            return found[0]
        if self._runtime.localsend is not None:
            self._runtime.localsend.probe(address)
        raise CommandError("not-found", f"no LocalSend device has answered at {address} yet (asking it now)")

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
            self._use_pin(contact, command.get("pin"))
            return {"mid": messaging.send_text(contact.id, text), "to": contact.id}
        except UnsendableText as e:
            raise CommandError("bad-command", str(e)) from None

    def _room(self, value: object) -> Room | None:
        """A room given as a known room id, or as {"id"?, "name", "members"}."""
        if value is None:
            return None
        known = self._runtime.messaging.rooms()
        if isinstance(value, str) and value in known:
            return known[value]
        if isinstance(value, dict) and value.get("id") == EVERYONE_ROOM_ID:
            return known[EVERYONE_ROOM_ID]  # everyone online now: members given with it are ignored
        if isinstance(value, dict):
            members = value.get("members")
            name = value.get("name")
            if isinstance(members, list) and isinstance(name, str) and 1 <= len(name) <= 64:
                ids = [self.resolve(m).id for m in members]
                own = self._runtime.identity.id
                given = value.get("id")
                room_id = given if isinstance(given, str) and is_hex32(given) else new_id()
                return Room(room_id, name, tuple(dict.fromkeys([own, *ids])))
        raise CommandError("bad-command", "'room' must be a known room id or {name, members}")
