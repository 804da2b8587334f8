"""One outgoing LocalSend session in a thread of its own: prepare-upload, then each accepted file's upload.

The worker hashes the files (SHA-256 for the offer), asks the receiver
(`?pin=` when it has one), reports the status, and once told to `go`
streams every accepted file from disk in 1 MiB blocks over the same
pinned connection when the receiver keeps it open. `stop()` cuts it; a
session that had begun is then cancelled with `POST /cancel`.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from PySide6.QtCore import Signal, Slot

from lanchat.transports.http.client import FingerprintMismatch, HttpClient, HttpError
from lanchat.transports.localsend.protocol.device import API, BadMessage, DeviceInfo
from lanchat.transports.localsend.protocol.upload import (
    FileEntry,
    UploadAnswer,
    encode_prepare_upload,
    parse_upload_answer,
    upload_target,
)
from lanchat.transports.workers import Worker

log = logging.getLogger("lanchat.localsend.sender")

BLOCK = 1024 * 1024
PROGRESS_SECONDS = 0.1
ANSWER_SECONDS = 300.0  # the receiver may wait for a person
GO_SECONDS = 60.0  # core says go at once; this only bounds a lost signal
CANCEL_SECONDS = 3.0


@dataclass(frozen=True)
class PlannedFile:
    """A file to offer: from `source` on disk, or `data` in memory (a message)."""

    id: str
    name: str
    size: int
    file_type: str
    source: str | None = None
    data: bytes | None = None
    preview: str | None = None


@dataclass(frozen=True)
class SendPlan:
    key: str  # the tid of a transfer, or the mid of a message
    address: str
    port: int
    https: bool
    fingerprint: str  # pinned
    info: DeviceInfo  # ours
    files: tuple[PlannedFile, ...]
    pin: str | None = None
    hash_files: bool = True


@dataclass(frozen=True)
class Answered:
    """The receiver's status for prepare-upload (0 when it could not be asked); `accepted` are file indexes."""

    key: str
    status: int
    accepted: tuple[int, ...] = ()
    error: str = ""
    mismatch: bool = False
    fingerprint: str | None = None  # the certificate seen
    session_id: str | None = None


@dataclass(frozen=True)
class Progress:
    key: str
    sent: int


@dataclass(frozen=True)
class FileResult:
    """One uploaded file: `status` its answer (0: no answer)."""

    key: str
    index: int
    status: int
    error: str = ""


@dataclass(frozen=True)
class Finished:
    key: str
    stopped: bool  # we stopped it (cancel, quit)


class SendWorker(Worker):
    answered = Signal(Answered)
    progress = Signal(Progress)
    file_done = Signal(FileResult)
    finished = Signal(Finished)

    def __init__(self, plan: SendPlan, context: ssl.SSLContext) -> None:
        super().__init__()
        self.plan = plan
        self._client = HttpClient(plan.address, plan.port, context if plan.https else None, plan.fingerprint)
        self._context = context
        self._go = threading.Event()
        self._stopping = threading.Event()
        self._session: UploadAnswer | None = None

    # --- any thread ------------------------------------------------------------------

    def go(self) -> None:
        """Upload the accepted files now."""
        self._go.set()

    def stop(self) -> None:
        self._stopping.set()
        self._go.set()
        self._client.abort()

    # --- the worker's thread -------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        stopped = True
        try:
            stopped = self._run()
        except Exception:
            log.exception("sending %s failed", self.plan.key)
            self.answered.emit(Answered(self.plan.key, 0, error="internal error"))
        finally:
            self._client.close()
            self.finished.emit(Finished(self.plan.key, stopped or self._stopping.is_set()))

    def _run(self) -> bool:
        plan = self.plan
        entries = []
        for f in plan.files:
            digest = self._hash(f) if plan.hash_files else None
            if self._stopping.is_set():
                return True
            entries.append(FileEntry(f.id, f.name, f.size, f.file_type, digest, f.preview))
        query = f"?pin={quote(plan.pin)}" if plan.pin else ""
        try:
            response = self._client.request(
                "POST", f"{API}/prepare-upload{query}", encode_prepare_upload(plan.info, entries),
                answer_seconds=ANSWER_SECONDS,
            )
        except FingerprintMismatch as e:
            self.answered.emit(Answered(plan.key, 0, error=str(e), mismatch=True, fingerprint=e.actual))
            return False
        except HttpError as e:
            if self._stopping.is_set():
                return True
            self.answered.emit(Answered(plan.key, 0, error=str(e), fingerprint=self._client.server_fingerprint))
            return False
        seen = self._client.server_fingerprint
        if response.status != 200:
            self.answered.emit(Answered(plan.key, response.status, fingerprint=seen))
            return False
        try:
            self._session = parse_upload_answer(response.body, {f.id for f in plan.files})
        except BadMessage as e:
            self.answered.emit(Answered(plan.key, 0, error=f"a bad answer: {e}", fingerprint=seen))
            return False
        accepted = tuple(i for i, f in enumerate(plan.files) if self._session.token(f.id) is not None)
        self.answered.emit(Answered(plan.key, 200, accepted, fingerprint=seen, session_id=self._session.session_id))
        if not self._go.wait(GO_SECONDS) or self._stopping.is_set():
            self._cancel_session()
            return True
        return self._upload_all(accepted)

    def _hash(self, file: PlannedFile) -> str | None:
        if file.data is not None:
            return hashlib.sha256(file.data).hexdigest()
        assert file.source is not None
        digest = hashlib.sha256()
        try:
            with open(file.source, "rb") as f:
                while block := f.read(BLOCK):
                    if self._stopping.is_set():
                        return None
                    digest.update(block)
        except OSError as e:
            log.info("cannot read %s: %s", file.source, e.strerror)
            return None
        return digest.hexdigest()

    def _upload_all(self, accepted: tuple[int, ...]) -> bool:
        session = self._session
        assert session is not None
        sent_before = 0
        last = 0.0
        for number, index in enumerate(accepted):
            file = self.plan.files[index]
            token = session.token(file.id)
            assert token is not None
            counter = [0]

            def blocks(f: PlannedFile = file, c: list[int] = counter, base: int = sent_before) -> Iterator[bytes]:
                nonlocal last
                for block in self._read(f):
                    c[0] += len(block)
                    now = time.monotonic()
                    if now - last >= PROGRESS_SECONDS:
                        last = now
                        self.progress.emit(Progress(self.plan.key, base + c[0]))
                    yield block

            try:
                response = self._client.request(
                    "POST", upload_target(session.session_id, file.id, token), blocks(), length=file.size,
                    content_type="application/octet-stream", send_seconds=60.0, answer_seconds=120.0,
                )
            except (HttpError, FingerprintMismatch, OSError) as e:
                if self._stopping.is_set():
                    self._cancel_session()
                    return True
                self.file_done.emit(FileResult(self.plan.key, index, 0, str(e)))
                for later in accepted[number + 1:]:
                    self.file_done.emit(FileResult(self.plan.key, later, 0, "not sent"))
                self._cancel_session()
                return False
            sent_before += file.size
            self.progress.emit(Progress(self.plan.key, sent_before))
            self.file_done.emit(FileResult(self.plan.key, index, response.status))
        return False

    def _read(self, file: PlannedFile) -> Iterator[bytes]:
        if file.data is not None:
            yield file.data
            return
        assert file.source is not None
        with open(file.source, "rb") as f:
            left = file.size
            while left > 0:
                block = f.read(min(BLOCK, left))
                if not block:
                    return  # shorter than offered: the client says the body shrank
                left -= len(block)
                yield block

    def _cancel_session(self) -> None:
        """Tell the receiver we gave up the session (a fresh connection: ours may be cut)."""
        if self._session is None:
            return
        client = HttpClient(self.plan.address, self.plan.port, self._context if self.plan.https else None,
                            self.plan.fingerprint, connect_seconds=CANCEL_SECONDS)
        try:
            client.request("POST", f"{API}/cancel?sessionId={quote(self._session.session_id)}",
                           send_seconds=CANCEL_SECONDS, answer_seconds=CANCEL_SECONDS)
        except (HttpError, FingerprintMismatch) as e:
            log.debug("cancel to %s: %s", self.plan.address, e)
        finally:
            client.close()
