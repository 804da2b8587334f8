"""The one place that builds workers, services and windows and connects their signals."""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Contact, ContactBook
from lanchat.core.history.records import ContactRecord
from lanchat.core.history.schema import HistoryError
from lanchat.core.history.store import HistoryStore
from lanchat.core.incoming import IncomingFiles
from lanchat.core.links import PeerLinks
from lanchat.core.messaging import MessagingService
from lanchat.core.notices import Level, Notices
from lanchat.core.profile import default_profile_dir
from lanchat.core.settings import Settings, os_user_name
from lanchat.core.transfers import TransferService
from lanchat.identity import Identity, IdentityError, load_or_create
from lanchat.transports.lanchat.net import tls
from lanchat.transports.lanchat.net.addresses import AddressFilter, Target
from lanchat.transports.lanchat.net.connection import ConnectionWorker, LocalPeer, Problem, RemotePeer
from lanchat.transports.lanchat.net.listener import DEFAULT_PORT, ListenerWorker
from lanchat.transports.lanchat.net.presence import PresenceConfig, PresenceWorker, Profile
from lanchat.transports.lanchat.net.threads import WorkerThread
from lanchat.transports.lanchat.protocol.errors import ErrorCode
from lanchat.transports.lanchat.protocol.frames import (
    MAX_AVATAR_BYTES,
    Avatar,
    AvatarGet,
    Cancel,
    Error,
    Frame,
    Offer,
    Purpose,
    Room,
)
from lanchat.transports.lanchat.protocol.presence import PeerState, Status

log = logging.getLogger("lanchat.app")


class StartupError(Exception):
    """lanchat cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class Options:
    """The options of CLI.md shared by the window, headless mode and send."""

    profile: Path
    name: str | None = None
    port: int = DEFAULT_PORT
    presence_port: int = DEFAULT_PORT
    targets: tuple[Target, ...] = field(default_factory=tuple)
    only_targets: bool = False
    download_dir: Path | None = None
    accept: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Options:
        """Raises ValueError for a target that cannot be parsed."""
        targets = tuple(Target.parse(t) for t in [*args.target, *args.peer])
        return cls(
            profile=Path(args.profile).expanduser() if args.profile else default_profile_dir(),
            name=args.name,
            port=DEFAULT_PORT if args.port is None else args.port,
            presence_port=args.presence_port or DEFAULT_PORT,
            targets=targets,
            only_targets=args.only_targets,
            download_dir=Path(args.download_dir).expanduser() if args.download_dir else None,
            accept=args.accept,
        )


class Runtime(QObject):
    """One running lanchat peer: identity, history, presence, listener, links, services."""

    def __init__(self, options: Options, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.options = options
        self.clock = clock
        self.notices = Notices()
        self.contacts = ContactBook()
        self.identity: Identity
        self.settings: Settings
        self.store: HistoryStore
        self.listener: ListenerWorker
        self.presence: PresenceWorker
        self.links: PeerLinks
        self.messaging: MessagingService
        self.port = 0
        self.name = ""
        self._threads: list[WorkerThread] = []
        self._started = False

    # --- start and stop -----------------------------------------------------

    def start(self) -> None:
        """Open the profile, bind the sockets, start every worker.

        Raises:
            StartupError: the profile, identity, history or ports cannot be used.
        """
        options = self.options
        try:
            options.profile.mkdir(parents=True, exist_ok=True)
            os.chmod(options.profile, 0o700)
        except OSError as e:
            raise StartupError(f"Cannot use the profile folder {options.profile}: {e.strerror}.") from e
        try:
            self.identity = load_or_create(options.profile)
        except IdentityError as e:  # the sentence names the file and what to do
            raise StartupError(str(e)) from e
        except OSError as e:
            raise StartupError(f"Cannot create the identity in {options.profile}: {e.strerror}.") from e
        self.settings = Settings(options.profile)
        if options.name:
            self.settings.name = options.name
        self.name = self.settings.name or os_user_name()
        self.store = HistoryStore(options.profile / "history.sqlite3", self.clock, own_id=self.identity.id)
        try:
            self.store.open()
        except HistoryError as e:  # corrupt or locked: the sentence says which file and what to do
            raise StartupError(str(e)) from e

        download_dir = options.download_dir or self.settings.download_dir
        self.incoming = IncomingFiles(download_dir, self.clock)
        address_filter = AddressFilter(options.only_targets)
        self.listener = ListenerWorker(
            self.local_peer, tls.server_context(self.identity), allow=address_filter.allows,
            sink_factory=self.incoming.open_sink, clock=self.clock,
        )
        try:
            self.port = self.listener.bind(options.port)
        except OSError as e:
            raise StartupError(f"Cannot listen for connections: {e.strerror}.") from e
        if options.port not in (0, self.port):
            self.notices.post(
                Level.WARNING, "port-fallback",
                f"Port {options.port} is used by another program; lanchat is listening on "
                f"{self.port} instead.",
            )
        self.presence = PresenceWorker(
            self.profile(),
            PresenceConfig(options.presence_port, options.targets, options.only_targets),
            address_filter, self.clock,
        )
        try:
            self.presence.bind()
        except OSError as e:
            raise StartupError(
                f"Cannot use UDP port {options.presence_port} for presence: {e.strerror}."
            ) from e
        self.links = PeerLinks(self.local_peer, self.contacts, address_filter.allows, self.clock)
        self.messaging = MessagingService(self.identity.id, self.store, self.links, self.notices, self.clock)
        self.transfers = TransferService(
            self.identity.id, self.local_peer, self.store, self.links, self.contacts, self.incoming,
            self.notices, self.clock,
        )
        self.transfers.accept_policy = options.accept or self.settings.accept
        self.transfers.auto_accept_bytes = self.settings.auto_accept_bytes
        self._connect()
        self._load_history()
        for worker, name in ((self.listener, "lanchat-listener"), (self.presence, "lanchat-presence")):
            thread = WorkerThread(worker, name)
            self._threads.append(thread)
            thread.start()
        self._started = True

    def stop(self) -> None:
        """Send `leave`, stop every worker and join its thread (well under a second)."""
        if not self._started:
            return
        self._started = False
        for thread in self._threads:
            thread.worker.stop()  # type: ignore[attr-defined]
        self.messaging.stop()
        self.transfers.stop()
        self.links.stop()
        for thread in self._threads:
            thread.stop()
        self.store.close()

    # --- what we tell others ------------------------------------------------

    def local_peer(self) -> LocalPeer:
        """Called from the listener thread too: reads plain attributes only."""
        return LocalPeer(self.identity, self.name, self.port)

    def profile(self) -> Profile:
        avatar = self._avatar()
        return Profile(
            self.identity.id, self.name, self.port, Status(self.settings.status),
            self.settings.group or None, hashlib.sha256(avatar).hexdigest() if avatar else None,
        )

    def _avatar(self) -> bytes | None:
        """Our avatar image, when set, readable and within the 256 KiB limit (§6)."""
        path = self.settings.avatar_path
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError as e:
            log.info("cannot read the avatar %s: %s", path, e.strerror)
            return None
        return data if 0 < len(data) <= MAX_AVATAR_BYTES else None

    def refresh_profile(self) -> None:
        """Announce a changed name, status, group or avatar at once."""
        self.presence.set_profile(self.profile())

    def apply_settings(self) -> None:
        """Use saved settings that take effect at once (the command line still wins)."""
        self.refresh_profile()
        self.transfers.accept_policy = self.options.accept or self.settings.accept
        self.transfers.auto_accept_bytes = self.settings.auto_accept_bytes

    def set_status(self, status: Status) -> None:
        self.settings.status = status.value
        self.refresh_profile()

    def set_name(self, name: str) -> None:
        self.settings.name = name
        self.name = name
        self.refresh_profile()

    # --- wiring -------------------------------------------------------------

    def _connect(self) -> None:
        self.presence.peer_changed.connect(self.contacts.on_peer_changed)
        self.contacts.changed.connect(self._on_contact_changed)
        self.listener.established.connect(self._on_peer_connected)
        self.listener.frame_received.connect(self._on_request)
        self.listener.problem.connect(self._on_problem)
        self.links.link_down.connect(self._on_link_down)

    def _load_history(self) -> None:
        for record in self.store.contacts():
            presence_port = self.options.presence_port
            contact = Contact(
                record.id, record.name, record.address, record.port, None,
                record.group or None, record.avatar_hash, presence_port, record.verified,
            )
            self.contacts.add_remembered(contact)
            if record.address:
                state = PeerState(record.id, record.name, record.address, record.port or 0, None)
                self.presence.remember(state, (record.address, presence_port))
        self.messaging.set_rooms([Room(r.id, r.name, tuple(r.members)) for r in self.store.rooms()])
        self.messaging.load_outbox()
        self.transfers.restore()

    @Slot(object)
    def _on_contact_changed(self, contact: Contact) -> None:
        if not self._started:
            return  # a late signal from a worker that has stopped
        self.store.upsert_contact(
            ContactRecord(
                id=contact.id, name=contact.name, address=contact.address, port=contact.port,
                group=contact.group or "",
                avatar_hash=contact.avatar, verified=contact.verified,
            )
        )

    @Slot(object, object)
    def _on_peer_connected(self, worker: ConnectionWorker, remote: RemotePeer) -> None:
        log.debug("%s connected for %s", remote.id[:8], remote.purpose)

    @Slot(object, object)
    def _on_request(self, worker: ConnectionWorker, frame: object) -> None:
        if not self._started or worker.purpose is not Purpose.CHAT:
            return
        if isinstance(frame, Offer | Cancel):
            self.transfers.on_request(worker, frame)
        elif isinstance(frame, AvatarGet):
            avatar = self._avatar()
            if avatar is not None and hashlib.sha256(avatar).hexdigest() == frame.sha256:
                worker.send(Avatar(frame.sha256, len(avatar)), avatar)
            else:  # the connection stays open after not-found
                worker.send(Error(ErrorCode.NOT_FOUND.value, "no such avatar"))
        elif isinstance(frame, Frame):
            self.messaging.on_request(worker, frame)

    @Slot(object, object)
    def _on_problem(self, worker: ConnectionWorker, problem: Problem) -> None:
        peer = worker.remote.id if worker.remote else None
        who = f"{worker.address[0]}"
        self.notices.post(
            Level.WARNING, problem.code,
            f"A peer at {who} broke the protocol ({problem.code}): {problem.message}", peer,
        )

    @Slot(str, str, bool)
    def _on_link_down(self, peer_id: str, reason: str, mismatch: bool) -> None:
        if mismatch:
            contact = self.contacts.get(peer_id)
            who = f"{contact.name} ({contact.address})" if contact else peer_id[:8]
            self.notices.post(
                Level.ERROR, "cert-mismatch",
                f"The contact {who} did not prove its identity; lanchat did not talk to it.", peer_id,
            )


def run_window(args: argparse.Namespace) -> int:
    """The desktop window: one per profile; a second start raises the running one."""
    import sys

    from PySide6.QtWidgets import QApplication

    from lanchat.desktop import DesktopControl, ask_running_to_raise
    from lanchat.headless import SignalWaker
    from lanchat.ui.errors import install_excepthook
    from lanchat.ui.theme import apply_theme
    from lanchat.ui.translations import install_translators
    from lanchat.ui.window import MainWindow
    from lanchat.window_main import (
        ask_first_name,
        configure_logging,
        smoke_test,
        startup_failed,
        with_settings,
    )

    try:
        options = Options.from_args(args)
    except ValueError as e:
        print(f"lanchat: {e}", file=sys.stderr)
        return 2
    configure_logging(options.profile)
    smoke = bool(getattr(args, "smoke_test", False))
    app = QApplication.instance() or QApplication(["lanchat"])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("lanchat")
    app.setDesktopFileName("lanchat")  # Wayland app id / X11 class: the icon of lanchat.desktop
    app.setQuitOnLastWindowClosed(False)
    if not smoke and ask_running_to_raise(options.profile):
        log.info("lanchat already runs with %s; raised its window", options.profile)
        return 0
    settings = Settings(options.profile)
    install_translators(app, settings.language)
    apply_theme(app)
    given = {k for k in ("port", "presence_port", "accept") if getattr(args, k, None) is not None}
    options = with_settings(options, given, settings)
    if not smoke and not ask_first_name(settings, options):
        return 0
    waker = SignalWaker(app)
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        log.error("cannot start: %s", e)
        if not smoke:
            startup_failed(str(e))
        runtime.stop()
        return 1
    install_excepthook()
    window = MainWindow(runtime)
    control = DesktopControl(runtime)
    try:
        control.start()
    except OSError as e:
        log.warning("no control socket: %s", e)
    control.raise_requested.connect(window.raise_window)
    control.quit_requested.connect(window.quit)
    window.quit_requested.connect(app.quit)
    window.start()
    try:
        if smoke:
            return smoke_test(app, runtime, window)
        if settings.start_minimised and window.dialogs.tray.is_visible():
            window.hide()
        elif settings.start_minimised:
            window.showMinimized()
        else:
            window.show()
        app.exec()
        return 0
    finally:
        control.stop()
        runtime.stop()
        del waker
