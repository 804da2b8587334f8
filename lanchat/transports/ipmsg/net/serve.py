"""One TCP connection to our port 2425: a peer fetching a file or folder we offered, or pushing a picture.

The first bytes are one IP Messenger packet: GETFILEDATA (a file, from an
offset), GETDIRFILES (a folder, as a folder stream) or iptux's
IPTUX_SENDSUBLAYER (a picture whose bytes follow the packet's NUL, to the
end of the connection). Anything else closes the connection.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transport import FileSent, SendProgress
from lanchat.transports.ipmsg.protocol.attachments import (
    MAX_REQUEST_BYTES,
    FileType,
    parse_request,
    request_complete,
)
from lanchat.transports.ipmsg.protocol.dirstream import RETPARENT_NAME, dir_header
from lanchat.transports.ipmsg.protocol.packet import Mode, Opt, Packet, parse_packet
from lanchat.transports.ipmsg.shares import SharedFile, SharedMember, Shares
from lanchat.transports.workers import Worker

log = logging.getLogger("lanchat.ipmsg.serve")

REQUEST_SECONDS = 10.0
IO_SECONDS = 30.0
BLOCK_BYTES = 1024 * 1024
PROGRESS_SECONDS = 0.1


@dataclass(frozen=True)
class ServeStarted:
    tid: str
    peer_ip: str


@dataclass(frozen=True)
class ServeEnded:
    """A fetch of one offered item ended: every byte written (`complete`), or not."""

    tid: str
    peer_ip: str
    complete: bool
    reason: str = ""


@dataclass(frozen=True)
class PushedPicture:
    """A picture an iptux peer pushed into a chat, kept at `path` until someone decides."""

    peer_ip: str
    path: str
    size: int
    complete: bool  # False when it was over the size limit (the rest was not read)


class ServeWorker(Worker):
    started = Signal(ServeStarted)
    progress = Signal(SendProgress)
    member_sent = Signal(FileSent)
    ended = Signal(ServeEnded)
    picture_pushed = Signal(PushedPicture)
    closed = Signal(object)  # this worker, always the last signal

    def __init__(
        self,
        conn: socket.socket,
        peer_ip: str,
        shares: Shares,
        stash: Path,
        max_picture: int,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.conn = conn
        self.peer_ip = peer_ip
        self._shares = shares
        self._stash = stash
        self._max_picture = max_picture
        self._clock = clock
        self._stopping = False
        self._last_progress = 0.0
        self.serving: str | None = None  # the tid being fetched

    def stop(self) -> None:
        self._stopping = True
        try:
            self.conn.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv or send
        except OSError:
            pass

    @Slot()
    def run(self) -> None:
        try:
            request, rest = self._read_request()
            if request is not None:
                self._answer(request, rest)
        except OSError as e:
            log.debug("connection from %s: %s", self.peer_ip, e)
        finally:
            try:
                self.conn.close()
            except OSError:
                pass
            self.closed.emit(self)

    def _read_request(self) -> tuple[Packet | None, bytes]:
        """The request packet and the bytes after its NUL, or (None, b"") for junk or silence."""
        deadline = self._clock.monotonic() + REQUEST_SECONDS
        data = b""
        while not request_complete(data):
            left = deadline - self._clock.monotonic()
            if left <= 0 or len(data) > MAX_REQUEST_BYTES or self._stopping:
                return None, b""
            self.conn.settimeout(left)
            try:
                chunk = self.conn.recv(4096)
            except TimeoutError:
                return None, b""
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\0")
        return parse_packet(head), rest

    def _answer(self, request: Packet, rest: bytes) -> None:
        self.conn.settimeout(IO_SECONDS)
        folder = request.mode == Mode.GETDIRFILES
        if request.mode in (Mode.GETFILEDATA, Mode.GETDIRFILES):
            fetch = parse_request(request.extra, with_offset=not folder)
            item = self._shares.find(self.peer_ip, fetch, folder) if fetch else None
            if fetch is not None and item is not None:
                self._serve(item, fetch.offset)
        elif request.mode == Mode.IPTUX_SENDSUBLAYER and request.has(Opt.SUBLAYER_PICTURE):
            self._take_picture(rest)
        else:
            log.debug("%s asked for mode %#x on TCP; closing", self.peer_ip, request.mode)

    def _serve(self, item: SharedFile, offset: int) -> None:
        self.serving = item.tid
        self.started.emit(ServeStarted(item.tid, self.peer_ip))
        try:
            if item.folder:
                self._send_folder(item)
            else:
                self._send_file(item, item.members[0], offset)
        except OSError as e:
            self.ended.emit(ServeEnded(item.tid, self.peer_ip, False, str(e.strerror or e)))
            return
        if self._stopping:
            self.ended.emit(ServeEnded(item.tid, self.peer_ip, False, "stopped"))
            return
        try:
            self.conn.shutdown(socket.SHUT_WR)  # the end of the data: the reader sees EOF
        except OSError:
            pass
        self.ended.emit(ServeEnded(item.tid, self.peer_ip, True))

    def _send_file(self, item: SharedFile, member: SharedMember, offset: int) -> None:
        """The file's bytes from `offset` (IP Messenger honours it; iptux always asks 0)."""
        with open(member.source, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            if size != member.size:
                raise OSError(0, f"{member.source} changed since it was offered")
            source.seek(min(offset, size))
            left = size - min(offset, size)
            while left and not self._stopping:
                block = source.read(min(BLOCK_BYTES, left))
                if not block:
                    raise OSError(0, f"{member.source} is shorter than offered")
                self.conn.sendall(block)
                left -= len(block)
                self._count(item.tid, len(block))
        if not self._stopping:
            self.member_sent.emit(FileSent(item.tid, member.index, True))

    def _send_folder(self, item: SharedFile) -> None:
        """The folder stream: the folder, its files depth first, a RETPARENT closing each folder."""
        open_folders: list[bytes] = []
        for member in sorted(item.members, key=lambda m: m.parts):
            folders = list(member.parts[:-1])
            while open_folders and open_folders != folders[: len(open_folders)]:
                self.conn.sendall(dir_header(RETPARENT_NAME, 0, FileType.RETPARENT, member.mtime))
                open_folders.pop()
            for name in folders[len(open_folders):]:
                self.conn.sendall(dir_header(name, 0, FileType.DIR, member.mtime))
                open_folders.append(name)
            self.conn.sendall(dir_header(member.parts[-1], member.size, FileType.REGULAR, member.mtime))
            self._send_file(item, member, 0)
            if self._stopping:
                return
        for _ in open_folders:
            self.conn.sendall(dir_header(RETPARENT_NAME, 0, FileType.RETPARENT, 0))

    def _count(self, tid: str, count: int) -> None:
        total = self._shares.count_sent(tid, count)
        now = self._clock.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            self.progress.emit(SendProgress(tid, total))

    def _take_picture(self, first: bytes) -> None:
        """Keep a pushed picture (at most `max_picture` bytes) for the transport to offer to core."""
        self._stash.mkdir(parents=True, exist_ok=True)
        path = self._stash / f"push-{secrets.token_hex(8)}.part"
        size, complete = 0, True
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            data = first
            while data:
                if size + len(data) > self._max_picture:
                    complete = False
                    break
                out.write(data)
                size += len(data)
                if self._stopping:
                    complete = False
                    break
                data = self.conn.recv(BLOCK_BYTES)
        self.picture_pushed.emit(PushedPicture(self.peer_ip, str(path), size, complete))
