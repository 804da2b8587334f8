"""The one place that builds the runtime: identity, history, transports and services, and connects them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Contact, ContactBook, Network, Status
from lanchat.core.history.records import ContactRecord
from lanchat.core.history.retention import ContactRetention
from lanchat.core.history.schema import DB_FILENAME, HistoryError
from lanchat.core.history.store import HistoryStore
from lanchat.core.housekeeping import PASTED_DIR, SMALL_COPIES_DIR, Housekeeping
from lanchat.core.ids import network_of
from lanchat.core.messaging import MessagingService
from lanchat.core.notices import Level, Notices
from lanchat.core.private_files import private_folder
from lanchat.core.rooms import Room
from lanchat.core.settings import Settings, os_user_name
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.policy import AcceptMode, AcceptPolicy
from lanchat.core.transfers.service import TransferService
from lanchat.core.transport import LocalProfile, NetworkUnavailable, Transport, Transports
from lanchat.identity import Identity, IdentityError, load_or_create
from lanchat.transports.addresses import Target
from lanchat.transports.browser.transport import BrowserTransport
from lanchat.transports.ipmsg.protocol.text import Legacy
from lanchat.transports.ipmsg.transport import IpmsgConfig, IpmsgTransport
from lanchat.transports.lanchat.transport import DEFAULT_PORT, LanchatConfig, LanchatTransport
from lanchat.transports.localsend.transport import LocalsendConfig, LocalsendTransport

log = logging.getLogger("lanchat.app")

#: What each network can do, for contacts remembered from history before their network reports them.
NETWORK_CAPABILITIES = {
    Network.LANCHAT: LanchatTransport.capabilities,
    Network.IPMSG: IpmsgTransport.capabilities,
    Network.LOCALSEND: LocalsendTransport.capabilities,
    Network.BROWSER: BrowserTransport.capabilities,
}

HISTORY_ERROR_SECONDS = 60.0  # one history-error notice a minute at most


class StartupError(Exception):
    """lanchat cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class Options:
    """The options of docs/cli.md shared by the window, headless mode and send."""

    profile: Path
    name: str | None = None
    port: int = DEFAULT_PORT
    presence_port: int = DEFAULT_PORT
    targets: tuple[Target, ...] = field(default_factory=tuple)
    only_targets: bool = False
    download_dir: Path | None = None
    accept: AcceptMode | None = None
    protocols: frozenset[Network] = frozenset({Network.LANCHAT})


class Runtime(QObject):
    """One running lanchat: identity, history, the transports and the services on top of them."""

    def __init__(self, options: Options, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.options = options
        self.clock = clock
        self.notices = Notices()
        self.contacts = ContactBook()
        self.identity: Identity
        self.settings: Settings
        self.store: HistoryStore
        self.downloads: DownloadFolder
        self.lanchat: LanchatTransport | None = None
        self.ipmsg: IpmsgTransport | None = None
        self.localsend: LocalsendTransport | None = None
        self.browser: BrowserTransport | None = None
        self.transports: Transports
        self.messaging: MessagingService
        self.transfers: TransferService
        self.housekeeping: Housekeeping
        self.name = ""
        self._started = False
        self._history_error_at: float | None = None

    @property
    def port(self) -> int:
        """Our lanchat TCP port (0 when lanchat's network is off)."""
        return self.lanchat.port if self.lanchat is not None else 0

    @property
    def pasted_folder(self) -> Path:
        """Where pasted pictures are kept to be sent from (tidied by Housekeeping)."""
        return self.options.profile / PASTED_DIR

    @property
    def small_copies_folder(self) -> Path:
        """Where the window keeps small copies of pictures (tidied by Housekeeping)."""
        return self.options.profile / SMALL_COPIES_DIR

    # --- start and stop -----------------------------------------------------

    def start(self) -> None:
        """Open the profile, start the transports and services.

        Raises:
            StartupError: the profile, identity, history or ports cannot be used.
        """
        options = self.options
        try:
            private_folder(options.profile)
        except OSError as e:
            raise StartupError(f"Cannot use the profile folder {options.profile}: {e.strerror}.") from e
        try:
            self.identity = load_or_create(options.profile)
        except IdentityError as e:  # the sentence names the file and what to do
            raise StartupError(str(e)) from e
        except OSError as e:
            raise StartupError(f"Cannot create the identity in {options.profile}: {e.strerror}.") from e
        try:
            self.settings = Settings(options.profile)
        except OSError as e:
            raise StartupError(f"Cannot create the settings file in {options.profile}: {e.strerror}.") from e
        if options.name:
            self.settings.name = options.name
        self.name = self.settings.name or os_user_name()
        history = options.profile / DB_FILENAME
        found_empty = history.is_file() and history.stat().st_size == 0
        self.store = HistoryStore(history, self.clock, own_id=self.identity.id)
        try:
            self.store.open()
        except HistoryError as e:  # corrupt or locked: the sentence says which file and what to do
            raise StartupError(str(e)) from e
        if found_empty:
            self.notices.post(
                Level.ERROR, "history-error",
                f"The chat history {history} was an empty file (0 bytes), so lanchat starts a new history in it. "
                "If you have a copy of the old one, quit lanchat and put it back.",
            )
        self.store.error.connect(self._on_history_error)

        self.downloads = DownloadFolder(options.download_dir or self.settings.download_dir, self.clock)
        self.transports = Transports(self._start_transports())
        self.messaging = MessagingService(self.identity.id, self.store, self.transports, self.clock)
        self.transfers = TransferService(
            self.store, self.transports, self.contacts, self.downloads, self.notices, self.settings, self.clock,
        )
        self.transfers.policy = self._policy()
        for transport in self.transports.all():
            transport.contact_changed.connect(self.contacts.update)
            transport.contact_removed.connect(self.contacts.remove)
        self.contacts.changed.connect(self._on_contact_changed)
        self._started = True
        self._load_history()
        self.housekeeping = Housekeeping(self.store, self.transfers, self.downloads, self.pasted_folder,
                                         self.small_copies_folder, self.clock, parent=self)
        self.housekeeping.start()

    def _start_transports(self) -> list[Transport]:
        """Start each network asked for: lanchat's must start; another that cannot says so and stays off."""
        options, started = self.options, list[Transport]()
        if Network.LANCHAT in options.protocols:
            config = LanchatConfig(options.port, options.presence_port, options.targets, options.only_targets)
            self.lanchat = LanchatTransport(
                self.identity, self.local_profile(), config, self.downloads, self.contacts, self.notices,
                self.clock,
            )
            try:
                self.lanchat.start()
            except NetworkUnavailable as e:
                self.store.close()
                raise StartupError(str(e)) from e
            started.append(self.lanchat)
        if Network.IPMSG in options.protocols:
            ipmsg_config = IpmsgConfig(
                options.targets, options.only_targets, Legacy(self.settings.ipmsg_codepage),
                self.settings.auto_accept_bytes,
            )
            self.ipmsg = IpmsgTransport(
                self.identity.id, self.local_profile(), ipmsg_config, self.downloads, self.contacts,
                self.notices, self.clock,
            )
            if self._start_optional(self.ipmsg):
                started.append(self.ipmsg)
            else:
                self.ipmsg = None
        if Network.LOCALSEND in options.protocols:
            localsend_config = LocalsendConfig(options.targets, options.only_targets, pin=self.settings.localsend_pin)
            self.localsend = LocalsendTransport(
                self.identity, self.local_profile(), localsend_config, self.downloads, self.contacts,
                self.notices, self.clock,
            )
            if self._start_optional(self.localsend):
                started.append(self.localsend)
            else:
                self.localsend = None
        # Browsers (a share's QR code): always there, listening only while a share is open (docs/cli.md).
        self.browser = BrowserTransport(self.identity, self.local_profile(), self.downloads,
                                        lambda tid: self.transfers.accept(tid), self.clock)
        self.browser.start()
        started.append(self.browser)
        return started

    def _start_optional(self, transport: Transport) -> bool:
        try:
            transport.start()
        except NetworkUnavailable as e:
            log.warning("%s is off: %s", transport.network.value, e)
            self.notices.post(Level.ERROR, "network-off", str(e))
            return False
        return True

    def stop(self) -> None:
        """Say goodbye on every network, stop every worker and join its thread (well under a second)."""
        if not self._started:
            return
        self._started = False
        self.housekeeping.stop()
        self.messaging.stop()
        self.transfers.stop()
        for transport in self.transports.all():
            transport.stop()
        self.store.close()

    # --- what we tell others ------------------------------------------------

    def local_profile(self) -> LocalProfile:
        return LocalProfile(self.name, Status(self.settings.status), self.settings.group or None, self._avatar())

    def _avatar(self) -> bytes | None:
        """Our avatar image, when set and readable."""
        path = self.settings.avatar_path
        if path is None:
            return None
        try:
            return path.read_bytes() or None
        except OSError as e:
            log.info("cannot read the avatar %s: %s", path, e.strerror)
            return None

    def _policy(self) -> AcceptPolicy:
        return AcceptPolicy(AcceptMode(self.options.accept or self.settings.accept), self.settings.auto_accept_bytes)

    def refresh_profile(self) -> None:
        """Announce a changed name, status, group or avatar at once, on every network."""
        profile = self.local_profile()
        for transport in self.transports.all():
            transport.set_profile(profile)

    def apply_settings(self) -> None:
        """Use saved settings that take effect at once (the command line still wins)."""
        self.refresh_profile()
        self.transfers.policy = self._policy()
        if self.localsend is not None:
            self.localsend.set_receive_pin(self.settings.localsend_pin)

    def set_status(self, status: Status) -> None:
        self.settings.status = status.value
        self.refresh_profile()

    def set_name(self, name: str) -> None:
        self.settings.name = name
        self.name = self.settings.name or self.name  # the settings keep 64 characters at most
        self.refresh_profile()

    # --- wiring -------------------------------------------------------------

    def _load_history(self) -> None:
        # The 30-day rule and the 4096 cap on contacts without history (docs/protocol.md §4), at start and after.
        self.retention = ContactRetention(self.contacts, self.store, self.clock, parent=self)
        remembered = [
            Contact(r.id, r.name, r.address, r.port, None, r.group or None, r.avatar_hash, r.verified,
                    network_of(r.id), NETWORK_CAPABILITIES[network_of(r.id)],
                    last_seen=r.last_seen / 1000 if r.last_seen else None)
            for r in self.retention.load()
        ]
        self.messaging.contacts = self.contacts  # Everyone: every contact online, on every network
        for contact in remembered:
            self.contacts.add_remembered(contact)
        for transport in self.transports.all():
            transport.remember([c for c in remembered if transport.owns(c.id)])
        self.messaging.set_rooms([Room(r.id, r.name, tuple(r.members)) for r in self.store.rooms()])
        self.messaging.load_outbox()
        self.transfers.restore()

    @Slot(str)
    def _on_history_error(self, sentence: str) -> None:
        """The history could not save something; said at most once a minute (a full disk fails every write)."""
        now = self.clock.monotonic()
        if self._history_error_at is not None and now - self._history_error_at < HISTORY_ERROR_SECONDS:
            return
        self._history_error_at = now
        self.notices.post(Level.ERROR, "history-error", f"{sentence} Nothing unsaved was acknowledged to its sender.")

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        if not self._started:
            return  # a late signal from a worker that has stopped
        self.store.upsert_contact(
            ContactRecord(
                id=contact.id, name=contact.name, address=contact.address, port=contact.port,
                group=contact.group or "", avatar_hash=contact.avatar, verified=contact.verified,
            )
        )
