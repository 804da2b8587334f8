"""LocalSend v2 behind core's seam: devices are `localsend:<FINGERPRINT>` contacts (docs/cli.md 1.1).

Discovery: our info multicast to 224.0.0.167:53317 at start, 1 s and 3 s
later, then every 30 s; every announce of another device is answered with
a `POST /register` pinned to its announced fingerprint, or, when that
fails, a multicast info with `"announce": false`. A device is offline after
120 s without an announce or register. With --only-targets, announces and
registers go to the --target/--peer addresses alone (port 53317) and only
they and loopback are heard. HTTPS on TCP 53317 with the profile's own
certificate (so our fingerprint is our lanchat id in upper case) and
`deviceModel` "lanchat": a lanchat that knows us by its own network lists
us once, and so do we. Incoming: `net.api` and the `Inbox`; outgoing:
`outgoing.Outgoing`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Capabilities, Contact, ContactBook, Network, Status
from lanchat.core.ids import new_id
from lanchat.core.notices import Notices
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import Offer
from lanchat.core.transport import (
    IncomingMessage,
    LocalProfile,
    NetworkUnavailable,
    OutgoingFile,
    OutgoingMessage,
    RemoteCancel,
    Transport,
)
from lanchat.identity import Identity
from lanchat.transports.addresses import AddressFilter, Target
from lanchat.transports.http.server import HttpServer
from lanchat.transports.http.tls import server_context
from lanchat.transports.localsend.devices import Device, DeviceTable
from lanchat.transports.localsend.inbox import Inbox
from lanchat.transports.localsend.incoming import incoming_offer
from lanchat.transports.localsend.net.api import (
    CancelArrived,
    DeviceSeen,
    LocalsendApi,
    MessageArrived,
    OfferArrived,
    OfferGone,
    contact_id,
)
from lanchat.transports.localsend.net.discovery import DiscoveryWorker, Heard
from lanchat.transports.localsend.net.requester import RegisterJob, RegisterResult, Registrar
from lanchat.transports.localsend.net.tls import client_context
from lanchat.transports.localsend.outgoing import Outgoing
from lanchat.transports.localsend.protocol.device import PORT, DeviceInfo, encode_device
from lanchat.transports.workers import Worker, WorkerThread

log = logging.getLogger("lanchat.localsend")

ENCRYPTED = Capabilities(encryption=True)
PLAIN = Capabilities()
PREFIX = "localsend:"
ANNOUNCE_AT_START = (0.0, 1.0, 3.0)  # seconds after start: a burst, as LocalSend apps do
ANNOUNCE_SECONDS = 30.0
TICK_MS = 1000
REGISTER_AGAIN_SECONDS = 5.0  # at most one register answer per address this often
FALLBACK_SECONDS = 1.0  # multicast answers are coalesced to one a second


@dataclass(frozen=True)
class LocalsendConfig:
    targets: tuple[Target, ...] = ()  # --target and --peer: their hosts, on port 53317
    only_targets: bool = False
    port: int = PORT
    pin: str = ""  # senders to us must give it (Settings); empty: none
    hash_files: bool = True  # send each file's SHA-256 with the offer


class LocalsendTransport(Transport):
    network = Network.LOCALSEND
    capabilities = ENCRYPTED

    def __init__(
        self,
        identity: Identity,
        profile: LocalProfile,
        config: LocalsendConfig,
        downloads: DownloadFolder,
        contacts: ContactBook,
        notices: Notices,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._identity = identity
        self._fingerprint = identity.id.upper()
        self._profile = profile
        self._config = config
        self._contacts = contacts
        self._notices = notices
        self._clock = clock
        self._filter = AddressFilter(config.only_targets)
        self._targets: list[str] = []
        self._devices = DeviceTable()
        self._shown: set[str] = set()  # fingerprints listed in core
        self._pins: dict[str, str] = {}  # contact id -> the PIN to send it
        self._receive_pin = config.pin
        self._registered_at: dict[str, float] = {}
        self._fallback_due = False
        self._last_fallback = float("-inf")
        self._threads: list[WorkerThread[Worker]] = []
        self._started = False
        self.inbox = Inbox(downloads, clock)
        self.api = LocalsendApi(self.info(), self.inbox, lambda: self._receive_pin)
        self.discovery = DiscoveryWorker(self._filter.allows, multicast=not config.only_targets, clock=clock,
                                         port=config.port)
        self.server = HttpServer(self.api.handle, server_context(identity), self._filter.allows, config.port,
                                 name="localsend")
        self.registrar = Registrar(client_context(identity))
        self.outgoing = Outgoing(lambda: client_context(identity), config.hash_files)
        for name in ("offer_answered", "send_progress", "file_sent", "send_ended", "delivered",
                     "delivery_failed", "link_failed", "remote_cancelled"):
            getattr(self.outgoing, name).connect(getattr(self, name))
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._announce_due: list[float] = []
        self._next_expiry = 0.0
        contacts.changed.connect(self._on_contact_changed)

    # --- life -----------------------------------------------------------------------------

    def info(self) -> DeviceInfo:
        return DeviceInfo(self._profile.name[:64] or "lanchat", self._fingerprint, self._config.port, "https",
                          device_model="lanchat", device_type="desktop")

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def start(self) -> None:
        try:
            self.server.bind()
            self.discovery.bind()
        except OSError as e:
            self.server.close()
            self.discovery.close()
            raise NetworkUnavailable(
                f"LocalSend's port {self._config.port} is used by another program ({e.strerror}); "
                "lanchat does not join the LocalSend network."
            ) from e
        self._refresh_targets()
        self.discovery.heard.connect(self._on_heard)
        self.registrar.done.connect(self._on_registered)
        self.api.device_seen.connect(self._on_device_seen)
        self.api.offer_arrived.connect(self._on_offer_arrived)
        self.api.offer_gone.connect(self._on_offer_gone)
        self.api.message_arrived.connect(self._on_message_arrived)
        self.api.cancel_arrived.connect(self._on_cancel_arrived)
        for worker, name in ((self.discovery, "lanchat-localsend-udp"), (self.server, "lanchat-localsend-https")):
            thread: WorkerThread[Worker] = WorkerThread(worker, name)
            self._threads.append(thread)
            thread.start()
        self.registrar.start()
        self._started = True
        now = self._clock.monotonic()
        self._announce_due = [now + delay for delay in ANNOUNCE_AT_START]
        self._next_expiry = now + 5.0
        self._tick()
        self._timer.start()

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._timer.stop()
        self.inbox.stop()
        self.outgoing.stop()
        self.registrar.stop()
        for thread in self._threads:
            thread.worker.stop()
        for thread in self._threads:
            thread.stop()

    def set_profile(self, profile: LocalProfile) -> None:
        changed = profile.name != self._profile.name
        self._profile = profile
        self.api.info = self.info()
        if changed and self._started:
            self._announce()

    def set_receive_pin(self, pin: str) -> None:
        """The PIN senders to us must give (Settings); empty for none."""
        self._receive_pin = pin

    def set_pin(self, peer: str, pin: str | None) -> None:
        """The PIN to give `peer` from now on (`--pin`, the `offer` command's `pin`)."""
        if pin:
            self._pins[peer] = pin
        else:
            self._pins.pop(peer, None)

    def reach(self, peer: str) -> None:
        if self._device(peer) is not None:
            self.peer_ready.emit(peer)

    def _device(self, peer: str) -> Device | None:
        device = self._devices.get(peer.removeprefix(PREFIX))
        return device if device is not None and device.online else None

    # --- discovery ----------------------------------------------------------------------------

    def _refresh_targets(self) -> None:
        hosts = []
        for target in self._config.targets:
            resolved = target.resolve(self._config.port)
            if resolved is not None:
                hosts.append(resolved[0])
                self._filter.add(resolved[0])
        self._targets = list(dict.fromkeys(hosts))

    def _announce(self) -> None:
        data = encode_device(self.info(), announce=True)
        self.discovery.send_multicast(data)
        for host in self._targets:  # --target/--peer: by UDP, and by register (some only listen to answers)
            self.discovery.send_to(data, (host, self._config.port))
            self._register(host, self._config.port, True, None)

    def _register(self, address: str, port: int, https: bool, fingerprint: str | None) -> bool:
        now = self._clock.monotonic()
        if now - self._registered_at.get(address, float("-inf")) < REGISTER_AGAIN_SECONDS:
            return True
        if len(self._registered_at) > 4096:
            self._registered_at.clear()
        self._registered_at[address] = now
        return self.registrar.submit(RegisterJob(address, port, https, fingerprint, encode_device(self.info())))

    def probe(self, address: str) -> None:
        """Ask the device at `address` who it is (`localsend:<IPv4>`, not seen yet)."""
        if self._started:
            self._filter.add(address)
            self._registered_at.pop(address, None)
            self._register(address, self._config.port, True, None)

    @Slot()
    def _tick(self) -> None:
        if not self._started:
            return
        now = self._clock.monotonic()
        if self._announce_due and now >= self._announce_due[0]:
            self._announce_due = [t for t in self._announce_due if t > now] or [now + ANNOUNCE_SECONDS]
            self._refresh_targets()
            self._announce()
        if self._fallback_due and now - self._last_fallback >= FALLBACK_SECONDS:
            self._fallback_due = False
            self._last_fallback = now
            self.discovery.send_multicast(encode_device(self.info(), announce=False))
        if now >= self._next_expiry:
            self._next_expiry = now + 5.0
            for device in self._devices.expire(now):
                self._show(device)
            self.inbox.expire()

    @Slot(Heard)
    def _on_heard(self, heard: Heard) -> None:
        info = heard.announcement.info
        if not self._started or info.fingerprint == self._fingerprint:
            return  # our own, heard back
        self._heard(heard.address, info, confirmed=False)
        if heard.announcement.announce:
            https = info.https
            if not self._register(heard.address, info.port, https, info.fingerprint if https else None):
                self._answer_by_udp(heard.address)

    def _answer_by_udp(self, address: str) -> None:
        if self._config.only_targets:
            self.discovery.send_to(encode_device(self.info(), announce=False), (address, self._config.port))
        else:
            self._fallback_due = True

    @Slot(RegisterResult)
    def _on_registered(self, result: RegisterResult) -> None:
        if not self._started:
            return
        job = result.job
        if result.ok and result.info is not None:
            info = result.info
            if job.https and result.fingerprint is not None and info.fingerprint != result.fingerprint:
                info = DeviceInfo(info.alias, result.fingerprint, job.port, "https", info.version,
                                  info.device_model, info.device_type, info.download)
            if info.fingerprint != self._fingerprint:
                self._heard(job.address, info, confirmed=job.https)
        elif not result.ok and job.fingerprint is not None:
            self._answer_by_udp(job.address)  # it still hears our answer by multicast
        if result.mismatch:
            log.info("%s announced %s but its certificate is %s", job.address, job.fingerprint, result.fingerprint)

    @Slot(DeviceSeen)
    def _on_device_seen(self, seen: DeviceSeen) -> None:
        if self._started and seen.info.fingerprint != self._fingerprint:
            self._heard(seen.address, seen.info, confirmed=False)

    def _heard(self, address: str, info: DeviceInfo, confirmed: bool) -> None:
        result = self._devices.heard(address, info, self._clock.monotonic(), confirmed)
        if result is None:
            return
        device, changed = result
        if changed:
            self._show(device)
            if device.online and device.fingerprint in self._shown:
                self.peer_ready.emit(contact_id(device.fingerprint))

    def _twin(self, device: Device) -> bool:
        """A lanchat that core knows by lanchat's own network (listed once, there)."""
        if device.info.device_model != "lanchat":
            return False
        twin = self._contacts.get(device.fingerprint.lower())
        return twin is not None and twin.network is Network.LANCHAT

    def _show(self, device: Device) -> None:
        peer = contact_id(device.fingerprint)
        if self._twin(device):
            if device.fingerprint in self._shown:
                self._shown.discard(device.fingerprint)
                self.contact_removed.emit(peer)
            return
        self._shown.add(device.fingerprint)
        self.contact_changed.emit(Contact(
            peer, device.info.alias, device.address, device.info.port, Status.ONLINE if device.online else None,
            network=Network.LOCALSEND, capabilities=ENCRYPTED if device.info.https else PLAIN,
        ))

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        if contact.network is not Network.LANCHAT:
            return
        device = self._devices.get(contact.id.upper())
        if device is not None and device.fingerprint in self._shown and self._twin(device):
            self._shown.discard(device.fingerprint)
            self.contact_removed.emit(contact_id(device.fingerprint))

    # --- messages and offers out -------------------------------------------------------------

    def send_message(self, peer: str, message: OutgoingMessage) -> None:
        device = self._device(peer)
        if device is not None and self._started:
            self.outgoing.send_text(peer, device, self.info(), message, self._pins.get(peer))

    def offer(self, peer: str, offer: Offer, sources: list[str]) -> None:
        device = self._device(peer)
        if device is not None and self._started:
            self.outgoing.offer(peer, device, self.info(), offer, sources, self._pins.get(peer))

    def start_sending(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        self.outgoing.go(tid)

    def cancel(self, peer: str, tid: str) -> None:
        if not self.outgoing.cancel(tid):
            self.inbox.cancel_tid(tid)

    # --- messages and offers in --------------------------------------------------------------

    @Slot(MessageArrived)
    def _on_message_arrived(self, arrived: MessageArrived) -> None:
        if self._started:
            self.message_received.emit(IncomingMessage(arrived.sender, new_id(), self._clock.now_ms(), arrived.text,
                                                       None, arrived.receipt))

    @Slot(OfferArrived)
    def _on_offer_arrived(self, arrived: OfferArrived) -> None:
        if not self._started:
            self.inbox.decide(arrived.tid, None, "busy")
            return
        self.offer_received.emit(incoming_offer(arrived, self.inbox))

    @Slot(OfferGone)
    def _on_offer_gone(self, gone: OfferGone) -> None:
        self.remote_cancelled.emit(RemoteCancel(gone.sender, gone.tid))

    @Slot(CancelArrived)
    def _on_cancel_arrived(self, cancel: CancelArrived) -> None:
        if cancel.tid is not None and cancel.sender is not None:
            self.remote_cancelled.emit(RemoteCancel(cancel.sender, cancel.tid))
        elif cancel.session_id:
            self.outgoing.remote_cancel(cancel.address, cancel.session_id)
