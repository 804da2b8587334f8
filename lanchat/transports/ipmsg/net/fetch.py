"""Fetching the files of an accepted IP Messenger offer: TCP to the sender's port 2425, into the download folder.

A file is GETFILEDATA and then exactly its size in bytes; a folder is
GETDIRFILES and then a folder stream. Senders in this family do not resume
(iptux sends from byte 0 whatever is asked), so a file is fetched whole. A
failed fetch is tried again twice; then that file ends failed.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.download_folder import Refusal, TransferRefused
from lanchat.core.transfers.file_sink import FileSink
from lanchat.core.transfers.offers import FileFailure
from lanchat.transports.ipmsg.protocol.attachments import FileType, request_extra
from lanchat.transports.ipmsg.protocol.dirstream import (
    NEED_DATA,
    Chunk,
    DirEntry,
    DirStreamDecoder,
    FileEnd,
    StreamEnd,
    StreamError,
)
from lanchat.transports.ipmsg.protocol.packet import PORT, Mode
from lanchat.transports.workers import Worker

log = logging.getLogger("lanchat.ipmsg.fetch")

CONNECT_SECONDS = 5.0
IO_SECONDS = 30.0
RECV_BYTES = 256 * 1024
RETRY_SECONDS = (1.0, 3.0)


@dataclass(frozen=True)
class FetchItem:
    """One offered file or folder to fetch; `path` is its name as core accepted it."""

    index: int
    file_id: int
    folder: bool
    size: int
    path: str


@dataclass(frozen=True)
class FetchJob:
    tid: str
    sender: str  # the contact id
    peer_ip: str
    packet: int  # the offer's packet number
    items: tuple[FetchItem, ...]


@dataclass(frozen=True)
class FetchEnded:
    tid: str
    busy: bool = False  # the download folder runs 8 already: try again later


class FetchFailed(Exception):
    """This attempt failed; `reason` is what the file ends with if no attempt succeeds.

    `final` when trying again would do harm (files of a folder were saved already).
    """

    def __init__(self, message: str, reason: FileFailure = FileFailure.IO_ERROR, final: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.final = final


class FetchWorker(Worker):
    ended = Signal(FetchEnded)

    def __init__(
        self,
        job: FetchJob,
        open_sink: Callable[[str, Callable[[], None]], FileSink],
        request: Callable[[Mode, bytes], bytes],
        decode_name: Callable[[bytes], str],
        clock: Clock = SYSTEM_CLOCK,
        port: int = PORT,
        stash: str | None = None,
    ) -> None:
        """`request(mode, extra)` builds a request packet; `decode_name` reads a name in the sender's encoding.

        `stash`: the bytes are here already (a picture the peer pushed); they are saved from this file.
        """
        super().__init__()
        self.job = job
        self._open_sink = open_sink
        self._request = request
        self._decode_name = decode_name
        self._clock = clock
        self._port = port
        self._stopping = False
        self._stopped = threading.Event()
        self._sock: socket.socket | None = None
        self._saved_members = 0  # files of the current folder saved already
        self._stash = stash

    def stop(self) -> None:
        self._stopping = True
        self._stopped.set()
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @Slot()
    def run(self) -> None:
        job = self.job
        try:
            sink = self._open_sink(job.sender, self.stop)
        except TransferRefused:
            self.ended.emit(FetchEnded(job.tid, busy=True))
            return
        try:
            for item in job.items:
                if self._stopping:
                    break
                self._fetch_with_retries(sink, item)
        finally:
            sink.close()
            self.ended.emit(FetchEnded(job.tid))

    def _fetch_with_retries(self, sink: FileSink, item: FetchItem) -> None:
        failure = FetchFailed("not tried")
        self._saved_members = 0
        for attempt in range(len(RETRY_SECONDS) + 1):
            if attempt and self._stopped.wait(RETRY_SECONDS[attempt - 1]):
                return
            try:
                self._fetch(sink, item)
                return
            except TransferRefused as e:
                if e.code is Refusal.UNKNOWN_TRANSFER:  # cancelled meanwhile
                    return
                failure = FetchFailed(f"{item.path}: {e.message}", final=True)
            except FetchFailed as e:
                failure = e
            except (OSError, StreamError) as e:
                failure = FetchFailed(str(e), final=self._saved_members > 0)
            if self._stopping:
                return
            if failure.final:
                break
            log.info("fetching %s from %s failed: %s", item.path, self.job.peer_ip, failure)
        try:
            sink.give_up(self.job.tid, item.index, failure.reason)
        except TransferRefused:
            pass  # cancelled meanwhile

    def _connect(self, mode: Mode, extra: bytes) -> socket.socket:
        sock = socket.create_connection((self.job.peer_ip, self._port), timeout=CONNECT_SECONDS)
        self._sock = sock
        if self._stopping:
            raise FetchFailed("stopped")
        sock.settimeout(IO_SECONDS)
        sock.sendall(self._request(mode, extra))
        return sock

    def _fetch(self, sink: FileSink, item: FetchItem) -> None:
        job = self.job
        if self._stash is not None:
            with open(self._stash, "rb") as source:
                self._read_file(source.read, sink, item)
            return
        if item.folder:
            with self._connect(Mode.GETDIRFILES, request_extra(job.packet, item.file_id, None)) as sock:
                self._read_folder(sock, sink, item)
            return
        with self._connect(Mode.GETFILEDATA, request_extra(job.packet, item.file_id, 0)) as sock:
            self._read_file(sock.recv, sink, item)

    def _read_file(self, read: Callable[[int], bytes], sink: FileSink, item: FetchItem) -> None:
        tid = self.job.tid
        sink.begin(tid, item.index, 0, item.size, restart=True)
        left = item.size
        while left:
            data = read(min(RECV_BYTES, left))
            if not data:
                raise FetchFailed(f"the sender stopped after {item.size - left} of {item.size} bytes")
            sink.write(data)
            left -= len(data)
        sink.body_end()
        verdict = sink.end(tid, item.index, None)
        if not verdict.ok:
            raise FetchFailed(f"{item.path} could not be saved", verdict.reason or FileFailure.IO_ERROR)

    def _read_folder(self, sock: socket.socket, sink: FileSink, item: FetchItem) -> None:
        tid = self.job.tid
        decoder = DirStreamDecoder()
        folders: list[str] = []
        received = 0
        while True:
            event = decoder.next_event()
            if event is NEED_DATA:
                data = sock.recv(RECV_BYTES)
                if not data:
                    if decoder.depth and not decoder.in_file and item.size and received >= item.size:
                        break  # an IP Messenger sender that closed without its last RETPARENT
                    raise FetchFailed(f"the folder {item.path} stopped before its end",
                                      final=self._saved_members > 0)
                decoder.feed(data)
            elif isinstance(event, DirEntry):
                folders = self._on_entry(sink, item, event, folders)
            elif isinstance(event, Chunk):
                sink.write(event.data)
                received += len(event.data)
            elif isinstance(event, FileEnd):
                sink.body_end()
                verdict = sink.end_member()
                if not verdict.ok:
                    raise FetchFailed(f"a file of {item.path} could not be saved",
                                      verdict.reason or FileFailure.IO_ERROR, final=True)
                self._saved_members += 1
            elif isinstance(event, StreamEnd):
                break
        verdict = sink.end(tid, item.index, None)
        if not verdict.ok:
            raise FetchFailed(f"{item.path} could not be saved", verdict.reason or FileFailure.IO_ERROR)

    def _on_entry(self, sink: FileSink, item: FetchItem, entry: DirEntry, folders: list[str]) -> list[str]:
        tid = self.job.tid
        if entry.kind == FileType.DIR:
            # The stream names its own top folder; it is saved under the name the person accepted.
            folders = [*folders, self._decode_name(entry.name) if folders else item.path]
            sink.make_folder(tid, item.index, "/".join(folders))
        elif entry.kind == FileType.RETPARENT:
            folders = folders[:-1]
        elif entry.kind == FileType.REGULAR:
            path = "/".join([*folders, self._decode_name(entry.name)])
            sink.begin_member(tid, item.index, path, entry.size)
        return folders

