"""Files with the IP Messenger family, both ways: our offers served on TCP, theirs fetched into the download folder.

Our offer is a SENDMSG with a file list; the peer fetches what it wants,
when it wants. The first fetch counts as the peer's accept; a file is sent
when its last byte is written (this family has no receipt). Their offer
becomes a core offer; on accept we fetch it (one worker per offer, 4 at a
time). iptux's pictures pushed into a chat are kept and offered to core
as a picture.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.ids import new_id
from lanchat.core.notices import Level, Notices
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.file_sink import open_sink
from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind, RejectReason
from lanchat.core.transfers.pictures import PICTURE_SUFFIXES
from lanchat.core.transport import (
    FileSent,
    IncomingOffer,
    OfferAnswer,
    SendEnd,
    SendEnded,
    SendProgress,
)
from lanchat.transports.ipmsg.net.fetch import FetchEnded, FetchItem, FetchJob, FetchWorker
from lanchat.transports.ipmsg.net.listener import TcpListener
from lanchat.transports.ipmsg.net.serve import PushedPicture, ServeEnded, ServeStarted
from lanchat.transports.ipmsg.protocol.attachments import Attachment, FileType, encode_attachments
from lanchat.transports.ipmsg.protocol.packet import Mode
from lanchat.transports.ipmsg.shares import SharedFile, SharedMember, Shares
from lanchat.transports.workers import WorkerThread

log = logging.getLogger("lanchat.ipmsg.files")

MAX_FETCHES = 4
PICTURE_TYPES = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF8", "gif"), (b"BM", "bmp"))


@dataclass
class _Sending:
    """One of our offers: its items, and the fetch session running now."""

    peer: str
    packet: int
    sizes: tuple[int, ...]  # of the files in core's offer
    sent: set[int] = field(default_factory=set)  # core indexes fully served
    session: bool = False
    base: int = 0  # bytes served before this session


@dataclass
class _Receiving:
    """One of their offers, accepted or waiting."""

    peer: str
    packet: int
    items: tuple[FetchItem, ...]
    stash: str | None = None  # a pushed picture, already here


@dataclass(frozen=True)
class _Reply:
    files: IpmsgFiles
    tid: str

    def accept(self, have: tuple[int, ...]) -> None:
        self.files.fetch(self.tid, have)

    def reject(self, reason: RejectReason) -> None:
        self.files.refuse(self.tid)


class IpmsgFiles(QObject):
    """The file half of `IpmsgTransport` (main thread)."""

    offer_received = Signal(IncomingOffer)
    offer_answered = Signal(OfferAnswer)
    send_progress = Signal(SendProgress)
    file_sent = Signal(FileSent)
    send_ended = Signal(SendEnded)

    def __init__(
        self,
        listener: TcpListener,
        shares: Shares,
        downloads: DownloadFolder,
        notices: Notices,
        send_packet: Callable[[str, Mode, bytes, bool], int],
        request: Callable[[Mode, bytes], bytes],
        decoder_for: Callable[[str], Callable[[bytes], str]],
        encode_name: Callable[[str, str], bytes],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`send_packet(ip, mode, extra, file_attach)` sends a packet and returns its number;
        `decoder_for(peer)` gives a pure function reading that peer's names (safe on any thread)."""
        super().__init__()
        self._shares = shares
        self._downloads = downloads
        self._notices = notices
        self._send_packet = send_packet
        self._request = request
        self._decoder_for = decoder_for
        self._encode_name = encode_name
        self._clock = clock
        self._sending: dict[str, _Sending] = {}
        self._receiving: dict[str, _Receiving] = {}
        self._fetches: dict[str, WorkerThread[FetchWorker]] = {}
        self._waiting: deque[FetchJob] = deque()
        self._stopped = False
        self.listener = listener
        listener.started.connect(self._on_serve_started)
        listener.progress.connect(self._on_serve_progress)
        listener.member_sent.connect(self._on_member_sent)
        listener.ended.connect(self._on_serve_ended)
        listener.picture_pushed.connect(self._on_picture_pushed)

    # --- our offers -------------------------------------------------------------------

    def offer(self, peer: str, ip: str, offer: Offer, sources: list[str]) -> None:
        """Send the file list; files under a common first folder go as one folder (fetched as a stream)."""
        if offer.tid in self._sending:
            return  # still fetchable: this family has no re-offer
        items: dict[str, list[tuple[int, OfferedFile]]] = {}
        for index, file in enumerate(offer.files):
            top = file.path.split("/", 1)[0] if "/" in file.path else f"\0{index}"
            items.setdefault(top, []).append((index, file))
        attachments: list[Attachment] = []
        shared: list[tuple[int, bool, tuple[SharedMember, ...]]] = []
        for file_id, (top, members) in enumerate(items.items()):
            folder = not top.startswith("\0")
            shared_members = tuple(
                SharedMember(index, tuple(self._encode_name(peer, part) for part in f.path.split("/")),
                             sources[index], f.size, _mtime(sources[index]))
                for index, f in members
            )
            name = self._encode_name(peer, top if folder else members[0][1].path)
            size = sum(m.size for m in shared_members)
            mtime = max(m.mtime for m in shared_members)
            attachments.append(Attachment(file_id, name, size, mtime, FileType.DIR if folder else FileType.REGULAR))
            shared.append((file_id, folder, shared_members))
        packet = self._send_packet(ip, Mode.SENDMSG, b"\0" + encode_attachments(attachments), True)
        self._shares.add([
            SharedFile(offer.tid, ip, packet, file_id, folder, members) for file_id, folder, members in shared
        ])
        self._sending[offer.tid] = _Sending(peer, packet, tuple(f.size for f in offer.files))

    def start_sending(self, tid: str) -> None:
        state = self._sending.get(tid)
        if state is not None:
            state.session = True
            self.send_progress.emit(SendProgress(tid, 0))

    def cancel(self, peer_ip: str, tid: str) -> None:
        if tid in self._sending:
            self._shares.remove(tid)
            self.listener.stop_serving(tid)
            del self._sending[tid]
        if tid in self._receiving:
            self.refuse(tid)

    @Slot(ServeStarted)
    def _on_serve_started(self, started: ServeStarted) -> None:
        state = self._sending.get(started.tid)
        if self._stopped or state is None or state.session:
            return
        have = tuple(size if i in state.sent else 0 for i, size in enumerate(state.sizes))
        self.offer_answered.emit(OfferAnswer(state.peer, started.tid, have))

    @Slot(SendProgress)
    def _on_serve_progress(self, progress: SendProgress) -> None:
        state = self._sending.get(progress.tid)
        if not self._stopped and state is not None and state.session:
            self.send_progress.emit(SendProgress(progress.tid, progress.sent - state.base))

    @Slot(FileSent)
    def _on_member_sent(self, sent: FileSent) -> None:
        state = self._sending.get(sent.tid)
        if self._stopped or state is None:
            return
        state.sent.add(sent.index)
        self.file_sent.emit(sent)

    @Slot(ServeEnded)
    def _on_serve_ended(self, ended: ServeEnded) -> None:
        state = self._sending.get(ended.tid)
        if self._stopped or state is None or not state.session:
            return
        if len(state.sent) >= len(state.sizes):
            state.session = False
            self.send_ended.emit(SendEnded(ended.tid, SendEnd.ANSWERED))
        elif not ended.complete:
            state.session = False
            state.base = self._shares.count_sent(ended.tid, 0)
            self.send_ended.emit(SendEnded(ended.tid, SendEnd.CUT, ended.reason))

    def released(self, peer: str, packet: int) -> None:
        """RELEASEFILES: the peer will not fetch that offer."""
        for tid, state in list(self._sending.items()):
            if state.peer == peer and state.packet == packet and not state.sent:
                self.offer_answered.emit(OfferAnswer(peer, tid, None, RejectReason.DECLINED.value))
                self._shares.remove(tid)
                del self._sending[tid]

    # --- their offers -----------------------------------------------------------------

    def received(self, peer: str, ip: str, packet: int, attachments: list[Attachment]) -> None:
        """An offer in a SENDMSG: it becomes core's offer (the person or the policy decides)."""
        items, files = [], []
        decode = self._decoder_for(peer)
        for index, attachment in enumerate(attachments):
            name = decode(attachment.name)
            folder = attachment.is_dir
            items.append(FetchItem(index, attachment.file_id, folder, attachment.size, name))
            files.append(OfferedFile(name, attachment.size, folder))
        if not files:
            return
        single = len(files) == 1 and not files[0].folder and files[0].path.lower().endswith(PICTURE_SUFFIXES)
        tid = new_id()
        self._receiving[tid] = _Receiving(peer, packet, tuple(items))
        offer = Offer(tid, OfferKind.IMAGE if single else OfferKind.FILES, tuple(files))
        self.offer_received.emit(IncomingOffer(peer, offer, _Reply(self, tid)))

    @Slot(PushedPicture)
    def _on_picture_pushed(self, pushed: PushedPicture) -> None:
        peer = "ipmsg:" + pushed.peer_ip
        if self._stopped:
            Path(pushed.path).unlink(missing_ok=True)
            return
        if not pushed.complete or pushed.size == 0:
            Path(pushed.path).unlink(missing_ok=True)
            limit = self.listener.max_picture // 1_000_000
            self._notices.post(
                Level.WARNING, "picture-refused",
                f"A picture sent in a chat was larger than {limit} MB; lanchat did not take it.", peer,
            )
            return
        with open(pushed.path, "rb") as f:
            head = f.read(8)
        suffix = next((ext for magic, ext in PICTURE_TYPES if head.startswith(magic)), "img")
        name = f"picture-{self._clock.now_ms()}.{suffix}"
        tid = new_id()
        item = FetchItem(0, 0, False, pushed.size, name)
        self._receiving[tid] = _Receiving(peer, 0, (item,), stash=pushed.path)
        offer = Offer(tid, OfferKind.IMAGE, (OfferedFile(name, pushed.size),))
        self.offer_received.emit(IncomingOffer(peer, offer, _Reply(self, tid)))

    def fetch(self, tid: str, have: tuple[int, ...]) -> None:
        """Accepted: fetch what is not held yet."""
        state = self._receiving.get(tid)
        if state is None or tid in self._fetches or any(j.tid == tid for j in self._waiting):
            return
        items = tuple(item for item in state.items if item.index >= len(have)
                      or item.folder or have[item.index] < item.size or item.size == 0)
        held = self._downloads.held(tid)
        if held is not None:
            items = tuple(item for item in items if not held.files[item.index].ok)
        if not items:
            return
        ip = state.peer.removeprefix("ipmsg:")
        self._waiting.append(FetchJob(tid, state.peer, ip, state.packet, items))
        self._start_waiting()

    def refuse(self, tid: str) -> None:
        """Declined or cancelled: stop fetching, and tell the sender (RELEASEFILES)."""
        state = self._receiving.pop(tid, None)
        if state is None:
            return
        self._waiting = deque(j for j in self._waiting if j.tid != tid)
        running = self._fetches.get(tid)
        if running is not None:
            running.worker.stop()
        if state.stash is not None:
            Path(state.stash).unlink(missing_ok=True)
        elif state.packet:
            self._send_packet(state.peer.removeprefix("ipmsg:"), Mode.RELEASEFILES, b"%d" % state.packet, False)

    def _start_waiting(self) -> None:
        while self._waiting and len(self._fetches) < MAX_FETCHES and not self._stopped:
            job = self._waiting.popleft()
            state = self._receiving.get(job.tid)
            if state is None:
                continue
            worker = FetchWorker(
                job, partial(open_sink, self._downloads), self._request, self._decoder_for(job.sender),
                self._clock, stash=state.stash,
            )
            worker.ended.connect(self._on_fetch_ended)
            thread = WorkerThread(worker, f"lanchat-fetch-{job.tid[:8]}")
            self._fetches[job.tid] = thread
            thread.start()

    @Slot(FetchEnded)
    def _on_fetch_ended(self, ended: FetchEnded) -> None:
        thread = self._fetches.pop(ended.tid, None)
        if thread is not None:
            thread.thread.wait(1000)
        if self._stopped:
            return
        state = self._receiving.get(ended.tid)
        if ended.busy and state is not None:  # 8 transfers are running: after the others
            self._waiting.append(FetchJob(ended.tid, state.peer, state.peer.removeprefix("ipmsg:"), state.packet,
                                          state.items))
        elif state is not None and state.stash is not None:
            Path(state.stash).unlink(missing_ok=True)
        self._start_waiting()

    def stop(self) -> None:
        self._stopped = True
        threads = list(self._fetches.values())
        for thread in threads:
            thread.worker.stop()
        for thread in threads:
            thread.thread.quit()
            thread.thread.wait(1000)
        for state in self._receiving.values():
            if state.stash is not None:
                Path(state.stash).unlink(missing_ok=True)


def _mtime(path: str) -> int:
    try:
        return int(os.stat(path).st_mtime)
    except OSError:
        return 0
