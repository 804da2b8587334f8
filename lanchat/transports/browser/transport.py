"""Phones and other browsers behind core's seam: a share's link opens a page that uploads and downloads.

Nothing listens until a share is opened (`open_share`): then an HTTP (or,
by the setting, HTTPS) server runs on any free port until the last share
closes, when it is closed by a person, or after an hour without a request.
Each share has its own 128-bit token in its links, and may ask for a
4-digit PIN. A page that sends files is a contact `browser:<32 hex>` (the
same for one device within one share), named after the device the page
reports; its uploads are incoming offers core decides like any other (a
browser is never a known contact), unless the share was opened to accept
everything from its link. Browsers get no messages, rooms, typing or read
receipts, and prove no identity.
"""

from __future__ import annotations

import logging
import secrets
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Capabilities, Contact, Network, Status
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind, RejectReason
from lanchat.core.transfers.pictures import PICTURE_SUFFIXES
from lanchat.core.transport import (
    IncomingOffer,
    LocalProfile,
    NetworkUnavailable,
    OfferAnswer,
    OutgoingFile,
    OutgoingMessage,
    RemoteCancel,
    Transport,
    UnsendableText,
)
from lanchat.identity import Identity
from lanchat.transports.browser.net.lan import lan_addresses
from lanchat.transports.browser.net.site import DeviceSeen, DownloadProgress, ShareSite, UploadCancelled, UploadOffered
from lanchat.transports.browser.net.tls import fingerprint
from lanchat.transports.browser.protocol.messages import MAX_FILES, unique_names
from lanchat.transports.browser.shares import GivenFile, Share, ShareTable, new_token
from lanchat.transports.browser.uploads import Uploads
from lanchat.transports.http.connection import Limits
from lanchat.transports.http.server import HttpServer
from lanchat.transports.http.tls import server_context
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.browser")

PLAIN = Capabilities(resume=True)
ENCRYPTED = Capabilities(resume=True, encryption=True)
TICK_MS = 5000
DEVICE_QUIET_SECONDS = 300.0  # a page not heard for 5 minutes is shown offline
#: The TCP port shares listen on when it is free (docs/cli.md); any free port otherwise.
SHARE_PORT = 48485
#: Slow or idle browsers are cut sooner than the HTTP layer's defaults (one request per connection here).
LIMITS = Limits(max_head=16 * 1024, head_seconds=10.0, idle_seconds=15.0, body_seconds=30.0,
                handshake_seconds=10.0)


class ShareError(ValueError):
    """A share cannot be opened as asked; the message says why, for people."""


@dataclass(frozen=True)
class ShareInfo:
    """An open share as the window and the command line show it."""

    id: str
    token: str
    urls: tuple[str, ...]  # one per LAN address
    receive: bool
    given: tuple[str, ...]  # the names the page shows
    pin: str  # "" when none is asked
    accept_all: bool
    https: bool
    fingerprint: str | None  # the certificate's SHA-256, with HTTPS


def new_pin() -> str:
    return f"{secrets.randbelow(10_000):04d}"


class BrowserTransport(Transport):
    network = Network.BROWSER
    capabilities = PLAIN

    #: A share opened (ShareInfo) or closed (its id, and "closed" or "expired").
    share_opened = Signal(object)
    share_closed = Signal(str, str)
    #: Bytes of a given file going to a browser (DownloadProgress), at most 10 times a second per download.
    download_progress = Signal(object)

    def __init__(
        self,
        identity: Identity,
        profile: LocalProfile,
        downloads: DownloadFolder,
        accept: Callable[[str], bool],
        clock: Clock = SYSTEM_CLOCK,
        port: int = SHARE_PORT,
    ) -> None:
        """`accept(tid)` accepts an incoming offer waiting in core (for shares that accept everything).

        Shares listen on `port` (one a firewall can be told of), else on any free port when it is taken.
        """
        super().__init__()
        self._identity = identity
        self._accept = accept
        self._clock = clock
        self._port = port
        self._fingerprint = fingerprint(identity)
        self.table = ShareTable(clock)
        self.uploads = Uploads(downloads, clock)
        self.site = ShareSite(self.table, self.uploads, profile.name, self._fingerprint, clock)
        self._servers: dict[bool, WorkerThread[HttpServer]] = {}  # by https
        self._infos: dict[str, ShareInfo] = {}
        self._devices: dict[str, tuple[Contact, str, float]] = {}  # contact id -> contact, share id, last heard
        self._started = False
        self.site.device_seen.connect(self._on_device_seen)
        self.site.upload_offered.connect(self._on_upload_offered)
        self.site.upload_cancelled.connect(self._on_upload_cancelled)
        self.site.download_progress.connect(self._on_download_progress)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    # --- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Nothing listens yet: the server starts with the first share."""
        self._started = True
        self._timer.start()

    def stop(self) -> None:
        if not self._started:
            return
        for share_id in list(self._infos):
            self.close_share(share_id)
        self._timer.stop()
        self._started = False

    def set_profile(self, profile: LocalProfile) -> None:
        self.site.owner = profile.name

    def reach(self, peer: str) -> None:
        """A browser is never reached: it comes to us."""

    # --- shares -----------------------------------------------------------------------------------

    def shares(self) -> list[ShareInfo]:
        return list(self._infos.values())

    def open_share(self, receive: bool, give: Sequence[Path] = (), pin: str = "", accept_all: bool = False,
                   https: bool = False) -> ShareInfo:
        """Open a share that takes files (`receive`) and/or gives `give`; its links work until it closes.

        Raises:
            ShareError: nothing to do, a file that cannot be given, a PIN that is not 4 digits.
            NetworkUnavailable: no port to listen on.
        """
        if not self._started:
            raise ShareError("lanchat is stopping")
        if not receive and not give:
            raise ShareError("A share must take files, give files, or both.")
        if pin and (len(pin) != 4 or not pin.isascii() or not pin.isdigit()):
            raise ShareError("A PIN is 4 digits.")
        given = _given_files(give)
        server = self._server(https)
        share = Share(secrets.token_hex(16), new_token(), receive, given, pin, accept_all, https,
                      self._clock.monotonic())
        self.table.add(share)
        scheme = "https" if https else "http"
        port = server.worker.port
        urls = tuple(f"{scheme}://{address}:{port}/s/{share.token}/" for address in lan_addresses())
        info = ShareInfo(share.id, share.token, urls, receive, tuple(f.name for f in given), pin, accept_all, https,
                         self._fingerprint if https else None)
        self._infos[share.id] = info
        log.info("share %s opened: receive %s, %d files given, PIN %s, %s on port %d", share.id[:8], receive,
                 len(given), "yes" if pin else "no", scheme, port)
        self.share_opened.emit(info)
        return info

    def close_share(self, share_id: str, reason: str = "closed") -> bool:
        """Close a share: its links stop working at once, its unfinished uploads are cancelled."""
        info = self._infos.pop(share_id, None)
        share = self.table.remove(share_id)
        if info is None or share is None:
            return False
        for upload in self.uploads.close_share(share_id):
            self.remote_cancelled.emit(RemoteCancel(upload.sender, upload.tid))
        self.site.forget_thumbnails(share_id)
        for contact_id, (contact, owner, _heard) in list(self._devices.items()):
            if owner == share_id:
                del self._devices[contact_id]
                self.contact_changed.emit(_offline(contact))
        if not any(s.https == share.https for s in self.table.all()):
            thread = self._servers.pop(share.https, None)
            if thread is not None:
                thread.stop()
        log.info("share %s %s", share_id[:8], reason)
        self.share_closed.emit(share_id, reason)
        return True

    def _server(self, https: bool) -> WorkerThread[HttpServer]:
        running = self._servers.get(https)
        if running is not None:
            return running
        context = server_context(self._identity) if https else None
        server = HttpServer(self.site.handle, context, lambda _ip: True, self._port, LIMITS, name="browser")
        try:
            server.bind()
        except OSError as e:
            if self._port == 0:
                raise NetworkUnavailable(f"No port to share on: {e.strerror}.") from e
            server = HttpServer(self.site.handle, context, lambda _ip: True, 0, LIMITS, name="browser")
            server.bind()  # the chosen port is taken: any free one
        thread: WorkerThread[HttpServer] = WorkerThread(server, "lanchat-browser-http")
        thread.start()
        self._servers[https] = thread
        return thread

    @Slot()
    def _tick(self) -> None:
        for share in self.table.idle():
            self.close_share(share.id, "expired")
        self.uploads.stalled()
        now = self._clock.monotonic()
        for contact_id, (contact, share_id, heard) in list(self._devices.items()):
            if contact.online and now - heard >= DEVICE_QUIET_SECONDS:
                self._devices[contact_id] = (_offline(contact), share_id, heard)
                self.contact_changed.emit(_offline(contact))

    # --- from the pages -----------------------------------------------------------------------------

    @Slot(DeviceSeen)
    def _on_device_seen(self, seen: DeviceSeen) -> None:
        info = self._infos.get(seen.share_id)
        if info is None:
            return
        contact = Contact(seen.sender, seen.name, seen.ip, None, Status.ONLINE, network=Network.BROWSER,
                          capabilities=ENCRYPTED if info.https else PLAIN)
        known = self._devices.get(seen.sender)
        self._devices[seen.sender] = (contact, seen.share_id, self._clock.monotonic())
        if known is None or known[0] != contact:
            self.contact_changed.emit(contact)

    @Slot(UploadOffered)
    def _on_upload_offered(self, offered: UploadOffered) -> None:
        info = self._infos.get(offered.share_id)
        if info is None:
            self.uploads.decide(offered.tid, None, RejectReason.BUSY.value)
            return
        files = tuple(OfferedFile(name, size) for name, size in offered.files)
        picture = len(files) == 1 and files[0].path.lower().endswith(PICTURE_SUFFIXES)
        offer = Offer(offered.tid, OfferKind.IMAGE if picture else OfferKind.FILES, files)
        self.offer_received.emit(IncomingOffer(offered.sender, offer, _Reply(self.uploads, offered.tid)))
        if info.accept_all:
            self._accept(offered.tid)  # the share said: everything from this link (False when core decided)

    @Slot(UploadCancelled)
    def _on_upload_cancelled(self, cancelled: UploadCancelled) -> None:
        self.remote_cancelled.emit(RemoteCancel(cancelled.sender, cancelled.tid))

    @Slot(DownloadProgress)
    def _on_download_progress(self, progress: DownloadProgress) -> None:
        if progress.share_id in self._infos:
            self.download_progress.emit(progress)

    # --- what core asks ---------------------------------------------------------------------------------

    def check_text(self, message: OutgoingMessage) -> None:
        raise UnsendableText("A browser cannot receive messages; share files with it instead.")

    def send_message(self, peer: str, message: OutgoingMessage) -> None:
        """Never called: `check_text` refuses every text."""

    def offer(self, peer: str, offer: Offer, sources: list[str]) -> None:
        """Files go to browsers through a share's give list, not by offer."""
        log.info("cannot offer files to %s: a browser downloads from a share instead", peer)
        self.offer_answered.emit(OfferAnswer(peer, offer.tid, None, "unsupported", failed=True))

    def start_sending(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        """Never called: no offer of ours is accepted."""

    def cancel(self, peer: str, tid: str) -> None:
        self.uploads.cancel_tid(tid)


@dataclass(frozen=True)
class _Reply:
    """Core's decision on an upload, handed to the page waiting for it."""

    uploads: Uploads
    tid: str

    def accept(self, have: tuple[int, ...]) -> None:
        self.uploads.decide(self.tid, have, None)

    def reject(self, reason: RejectReason) -> None:
        self.uploads.decide(self.tid, None, reason.value)


def _offline(contact: Contact) -> Contact:
    return Contact(contact.id, contact.name, contact.address, None, None, network=Network.BROWSER,
                   capabilities=contact.capabilities)


def _given_files(paths: Sequence[Path]) -> tuple[GivenFile, ...]:
    """The files a share gives, checked now; names made unique. Raises ShareError."""
    if len(paths) > MAX_FILES:
        raise ShareError(f"A share gives at most {MAX_FILES} files.")
    found: list[tuple[Path, int]] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError as e:
            raise ShareError(f"Cannot read {path}: {e.strerror}.") from e
        if not stat.S_ISREG(info.st_mode):
            raise ShareError(f"{path} is not a file (a share gives files, not folders).")
        found.append((path.resolve(), info.st_size))
    names = unique_names([p.name for p, _ in found])
    return tuple(GivenFile(i, name, path, size, name.lower().endswith(PICTURE_SUFFIXES))
                 for i, (name, (path, size)) in enumerate(zip(names, found, strict=True)))
