"""Uploads from share pages (any thread): waiting for core's decision, then files streamed into the download folder.

A page's batch of files is one `Upload`: one incoming offer (one tid) that
the accept policy or a person decides. Accepted, each file comes as one or
more `PUT`s; a `PUT` names the offset it starts at, so a cut upload goes on
where the download folder's partial file ends (the page asks first). The
files of one upload go one at a time through one `FileSink`, opened at the
first byte and closed when every file has ended, the upload is cancelled
(either side), or nothing came for `STALL_SECONDS` (core then waits for the
page to resume). At most `MAX_RUNNING` bodies stream at once in all.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.ids import new_id
from lanchat.core.transfers.download_folder import DownloadFolder, Refusal, TransferRefused
from lanchat.core.transfers.file_sink import FileSink, open_sink
from lanchat.core.transfers.offers import FileFailure
from lanchat.transports.browser.protocol.messages import NewUpload
from lanchat.transports.http.connection import BodyError, ServerConnection

log = logging.getLogger("lanchat.browser.uploads")

MAX_RUNNING = 4  # bodies streaming at once, from every page
MAX_OPEN_PER_SHARE = 64  # uploads waiting or running in one share
MAX_OPEN_PER_DEVICE = 8
MAX_KEPT = 256  # ended uploads still answered (the page shows what arrived)
STALL_SECONDS = 120.0
TAKE_OVER_SECONDS = 5.0  # a resumed PUT waits this long for the cut one's thread to let go


class UploadState(StrEnum):
    WAITING = "waiting"  # for core's decision (a person, with the ask policy)
    ACCEPTED = "accepted"
    DONE = "done"
    REJECTED = "rejected"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        return self in (UploadState.WAITING, UploadState.ACCEPTED)


@dataclass
class InFile:
    name: str
    size: int
    have: int = 0
    ok: bool | None = None  # None while it may still come
    reason: str | None = None


@dataclass
class Upload:
    id: str
    tid: str
    share_id: str
    device: str
    sender: str  # the contact id
    device_name: str
    ip: str
    files: list[InFile]
    last_activity: float
    state: UploadState = UploadState.WAITING
    reason: str | None = None
    decided: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one body at a time
    sink: FileSink | None = None
    current: ServerConnection | None = None

    def same_files(self, new: NewUpload) -> bool:
        return [(f.name, f.size) for f in self.files] == [(f.name, f.size) for f in new.files]

    def snapshot(self) -> dict[str, object]:
        """What the page reads of it (docs/protocol.md §8.3)."""
        return {
            "id": self.id, "state": self.state.value, "reason": self.reason,
            "files": [{"name": f.name, "size": f.size, "have": f.have, "ok": f.ok} for f in self.files],
        }


@dataclass(frozen=True)
class Received:
    """How one PUT ended: the status and the upload's state to answer, or None when the connection broke."""

    status: int
    body: dict[str, object] | None = None


class Uploads:
    def __init__(self, downloads: DownloadFolder, clock: Clock = SYSTEM_CLOCK) -> None:
        self._downloads = downloads
        self._clock = clock
        self._lock = threading.Lock()
        self._uploads: dict[str, Upload] = {}  # id ->
        self._running = threading.Semaphore(MAX_RUNNING)

    # --- new uploads (connection threads) ------------------------------------------------

    def add(self, share_id: str, new: NewUpload, sender: str, device_name: str, ip: str) -> tuple[Upload, bool] | None:
        """The upload for this batch: an open one of the same device and files (the page came back: True),
        or a new one waiting for core (False); None when too many are open."""
        with self._lock:
            open_here = [u for u in self._uploads.values() if u.share_id == share_id and u.state.open]
            for upload in open_here:
                if upload.device == new.device and upload.same_files(new):
                    return upload, True
            if len(open_here) >= MAX_OPEN_PER_SHARE or sum(
                    u.device == new.device for u in open_here) >= MAX_OPEN_PER_DEVICE:
                return None
            upload = Upload(new_id(), new_id(), share_id, new.device, sender, device_name, ip,
                            [InFile(f.name, f.size) for f in new.files], self._clock.monotonic())
            self._uploads[upload.id] = upload
            self._forget_old()
            return upload, False

    def _forget_old(self) -> None:
        ended = [u for u in self._uploads.values() if not u.state.open]
        for upload in ended[: max(0, len(ended) - MAX_KEPT)]:
            del self._uploads[upload.id]

    def get(self, share_id: str, upload_id: str) -> Upload | None:
        with self._lock:
            upload = self._uploads.get(upload_id)
        return upload if upload is not None and upload.share_id == share_id else None

    def of_device(self, share_id: str, device: str) -> list[Upload]:
        with self._lock:
            return [u for u in self._uploads.values() if u.share_id == share_id and u.device == device]

    def by_tid(self, tid: str) -> Upload | None:
        with self._lock:
            return next((u for u in self._uploads.values() if u.tid == tid), None)

    # --- core's decision (main thread) -------------------------------------------------------

    def decide(self, tid: str, have: tuple[int, ...] | None, reason: str | None) -> None:
        upload = self.by_tid(tid)
        if upload is None or upload.state is not UploadState.WAITING:
            return
        with self._lock:
            if have is None:
                upload.state, upload.reason = UploadState.REJECTED, reason or "declined"
            else:
                for file, held in zip(upload.files, have, strict=False):
                    file.have = min(held, file.size)
                    if file.size == 0 or held >= file.size:
                        file.ok = True  # zero-size files are made at once
                upload.state = UploadState.ACCEPTED
                upload.last_activity = self._clock.monotonic()
                if all(f.ok for f in upload.files):
                    upload.state = UploadState.DONE
        upload.decided.set()

    # --- bodies (connection threads) ----------------------------------------------------------

    def receive(self, upload: Upload, index: int, offset: int, length: int | None,
                conn: ServerConnection) -> Received | None:
        """Stream one PUT of file `index` (`length` bytes from `offset`) into the download folder."""
        if upload.state is not UploadState.ACCEPTED or not 0 <= index < len(upload.files):
            return Received(409, upload.snapshot())
        file = upload.files[index]
        if file.ok is not None:
            return Received(409, upload.snapshot())
        if length is None or offset + length != file.size:
            return Received(400, upload.snapshot())
        if not self._running.acquire(blocking=False):
            return Received(503)
        try:
            if not self._take_turn(upload):
                return Received(409, upload.snapshot())
            try:
                if upload.state is not UploadState.ACCEPTED:
                    return Received(409, upload.snapshot())
                if offset != file.have:
                    return Received(409, upload.snapshot())  # the page starts again where we are
                upload.current = conn
                return self._write(upload, index, offset, length, conn)
            finally:
                upload.current = None
                upload.last_activity = self._clock.monotonic()
                if not upload.state.open or all(f.ok is not None for f in upload.files):
                    self._end(upload)
                upload.lock.release()
        finally:
            self._running.release()

    def _take_turn(self, upload: Upload) -> bool:
        """The upload's lock; a PUT still held by a cut connection is ended first (the page resumes)."""
        if upload.lock.acquire(blocking=False):
            return True
        current = upload.current
        if current is not None:
            current.abort()
        return upload.lock.acquire(timeout=TAKE_OVER_SECONDS)

    def _write(self, upload: Upload, index: int, offset: int, length: int, conn: ServerConnection) -> Received | None:
        file = upload.files[index]
        try:
            if upload.sink is None:
                upload.sink = open_sink(self._downloads, upload.sender, lambda: self._abort(upload))
            sink = upload.sink
            sink.begin(upload.tid, index, offset, length)
            for chunk in conn.body():
                sink.write(chunk)
                file.have += len(chunk)
                upload.last_activity = self._clock.monotonic()
                if upload.state is not UploadState.ACCEPTED:
                    return None
            sink.body_end()
            verdict = sink.end(upload.tid, index, None)
        except BodyError as e:
            log.info("an upload from %s was cut at %d of %d bytes: %s", upload.ip, file.have, file.size, e)
            return None
        except TransferRefused as e:
            log.info("an upload from %s was refused: %s", upload.ip, e.message)
            if e.code is Refusal.BUSY:
                return Received(503)
            self._fail(upload, "cancelled" if e.code is Refusal.UNKNOWN_TRANSFER else "io-error")
            return Received(409, upload.snapshot())
        with self._lock:
            file.ok = verdict.ok
            if not verdict.ok:
                file.have = 0
                file.reason = (verdict.reason or FileFailure.IO_ERROR).wire
            if all(f.ok is not None for f in upload.files):
                failed = [f.reason for f in upload.files if not f.ok]
                upload.state = UploadState.FAILED if failed else UploadState.DONE
                upload.reason = failed[0] if failed else None
        return Received(200 if verdict.ok else 507 if verdict.reason is FileFailure.NO_SPACE else 500,
                        upload.snapshot())

    # --- ending ----------------------------------------------------------------------------------

    def cancel(self, upload: Upload) -> bool:
        """Cancelled (by the page, or by us through `cancel_tid`); False when it had ended already."""
        with self._lock:
            if not upload.state.open:
                return False
            upload.state, upload.reason = UploadState.CANCELLED, "cancelled"
        upload.decided.set()
        self._abort(upload)
        return True

    def cancel_tid(self, tid: str) -> None:
        upload = self.by_tid(tid)
        if upload is not None:
            self.cancel(upload)

    def _fail(self, upload: Upload, reason: str) -> None:
        with self._lock:
            if upload.state.open:
                upload.state, upload.reason = UploadState.FAILED, reason

    def _abort(self, upload: Upload) -> None:
        """Cut the upload's body (any thread); its sink closes now, or when the PUT's thread lets go."""
        if upload.state is UploadState.ACCEPTED:
            with self._lock:
                upload.state, upload.reason = UploadState.CANCELLED, "cancelled"
        current = upload.current
        if current is not None:
            current.abort()
        if upload.lock.acquire(blocking=False):
            try:
                self._end(upload)
            finally:
                upload.lock.release()

    def _end(self, upload: Upload) -> None:
        """Under the upload's lock: close its sink (core hears the connection ended)."""
        sink, upload.sink = upload.sink, None
        if sink is not None:
            sink.close()

    def stalled(self) -> list[Upload]:
        """Accepted uploads no byte reached for STALL_SECONDS: their sinks close (core marks them cut)."""
        now = self._clock.monotonic()
        with self._lock:
            candidates = [u for u in self._uploads.values() if u.state is UploadState.ACCEPTED
                          and u.sink is not None and now - u.last_activity >= STALL_SECONDS]
        stalled = []
        for upload in candidates:
            if upload.lock.acquire(blocking=False):
                try:
                    self._end(upload)
                    stalled.append(upload)
                finally:
                    upload.lock.release()
        return stalled

    def close_share(self, share_id: str) -> list[Upload]:
        """The share closed: its open uploads are cancelled; returns them (core is told)."""
        with self._lock:
            uploads = [u for u in self._uploads.values() if u.share_id == share_id and u.state.open]
        return [u for u in uploads if self.cancel(u)]
