"""Incoming LocalSend sessions (any thread): offers waiting for a decision, accepted sessions, uploads, PINs.

A prepare-upload becomes a `Pending` offer that waits for core's decision
(the person or the policy); accepted, it becomes a `Session` whose tokens
admit one upload per file. A session's uploads go one at a time (its lock)
into one `FileSink`, closed when every file has come, the sender cancels,
or the session stalls. The HTTP connection threads and the main thread
share this state under locks.
"""

from __future__ import annotations

import collections
import logging
import secrets
import threading
from dataclasses import dataclass, field

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.download_folder import DownloadFolder, Refusal, TransferRefused
from lanchat.core.transfers.file_sink import FileSink, open_sink
from lanchat.core.transfers.offers import FileFailure
from lanchat.transports.http.connection import BodyError, ServerConnection

log = logging.getLogger("lanchat.localsend.inbox")

MAX_SESSIONS = 32  # pending and accepted, from everyone
STALL_SECONDS = 45.0  # an accepted session with no upload for this long fails
UPLOAD_TURN_SECONDS = 60.0  # a parallel upload waits for its turn unless the running one stalls this long
PIN_WINDOW_SECONDS = 60.0
PIN_FAILURES = 3  # wrong PINs from one address within the window: 429
MAX_PIN_ADDRESSES = 4096
HASH_ATTEMPTS = 3


@dataclass
class Pending:
    """An offer waiting for core's decision."""

    tid: str
    sender: str
    ip: str
    event: threading.Event = field(default_factory=threading.Event)
    have: tuple[int, ...] | None = None  # set when accepted
    reason: str | None = None  # set when rejected
    abandoned: bool = False  # the request is no longer waiting (timeout, the sender left)


@dataclass
class InFile:
    id: str
    index: int
    size: int
    sha256: str | None
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    saved: bool = False  # complete on disk (zero-size files at once)
    ended: bool = False  # arrived, or failed for good
    attempts: int = 0


@dataclass
class Session:
    id: str
    tid: str
    sender: str
    ip: str
    files: dict[str, InFile]
    last_activity: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    sink: FileSink | None = None
    current: ServerConnection | None = None
    cancelled: bool = False
    closed: bool = False


class Inbox:
    def __init__(self, downloads: DownloadFolder, clock: Clock = SYSTEM_CLOCK) -> None:
        self._downloads = downloads
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}  # tid ->
        self._sessions: dict[str, Session] = {}  # session id ->
        self._recent: collections.OrderedDict[str, Session] = collections.OrderedDict()  # closed ones
        self._pin_failures: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()

    # --- PIN -----------------------------------------------------------------------------

    def check_pin(self, ip: str, given: str | None, pin: str) -> int | None:
        """None when `given` is the PIN; else 401, or 429 after 3 wrong ones from `ip` within a minute.

        A missing PIN is how a sender learns one is needed: it does not count as a wrong one.
        """
        now = self._clock.monotonic()
        with self._lock:
            failures = self._pin_failures.get(ip)
            if failures is not None:
                while failures and now - failures[0] >= PIN_WINDOW_SECONDS:
                    failures.popleft()
                if len(failures) >= PIN_FAILURES:
                    return 429
            if given is not None and secrets.compare_digest(given.encode(), pin.encode()):
                return None
            if given is not None:
                if failures is None:
                    failures = self._pin_failures[ip] = collections.deque()
                    while len(self._pin_failures) > MAX_PIN_ADDRESSES:
                        self._pin_failures.popitem(last=False)
                failures.append(now)
                self._pin_failures.move_to_end(ip)
            return 401

    # --- offers ------------------------------------------------------------------------------

    def add_pending(self, tid: str, sender: str, ip: str) -> Pending | None:
        """A new offer; None when `ip` has a session or offer already, or too many are open (409)."""
        with self._lock:
            if len(self._pending) + len(self._sessions) >= MAX_SESSIONS:
                return None
            if any(p.ip == ip for p in self._pending.values()) or any(
                    s.ip == ip for s in self._sessions.values()):
                return None
            pending = self._pending[tid] = Pending(tid, sender, ip)
            return pending

    def decide(self, tid: str, have: tuple[int, ...] | None, reason: str | None) -> bool:
        """Core's answer (main thread); False when the request stopped waiting."""
        with self._lock:
            pending = self._pending.get(tid)
            if pending is None or pending.abandoned:
                return False
            pending.have, pending.reason = have, reason
            pending.event.set()
            return True

    def settle(self, pending: Pending) -> bool:
        """The request's thread is done waiting: True when decided, else it is abandoned."""
        with self._lock:
            self._pending.pop(pending.tid, None)
            if not pending.event.is_set():
                pending.abandoned = True
                return False
            return True

    def pending_of(self, ip: str) -> Pending | None:
        with self._lock:
            return next((p for p in self._pending.values() if p.ip == ip), None)

    def open_session(self, pending: Pending, files: list[tuple[str, int, str | None]]) -> Session:
        """Accepted: a session with a token per file (`files`: id, size, sha256, in the offer's order)."""
        have = pending.have or ()
        entries = {}
        for index, (file_id, size, sha256) in enumerate(files):
            entry = InFile(file_id, index, size, sha256)
            if index < len(have) and have[index] >= size:
                entry.saved = True  # zero-size files exist already
            entries[file_id] = entry
        session = Session(secrets.token_hex(16), pending.tid, pending.sender, pending.ip, entries,
                          self._clock.monotonic())
        with self._lock:
            self._sessions[session.id] = session
        return session

    # --- uploads -------------------------------------------------------------------------------

    def session(self, session_id: str) -> Session | None:
        with self._lock:
            return self._sessions.get(session_id) or self._recent.get(session_id)

    def receive(self, session: Session, file: InFile, conn: ServerConnection, length: int | None) -> int | None:
        """Stream one upload into the download folder; the status to answer (None: the connection broke)."""
        if not self._turn(session):
            return 409
        try:
            if length is not None and length != file.size:
                return 400
            if file.saved:  # zero-size files, and files uploaded again: skipped
                return _drain(conn, file.size)
            if session.cancelled or session.closed:
                return 403
            session.last_activity = self._clock.monotonic()
            session.current = conn
            return self._write(session, file, conn)
        finally:
            session.current = None
            session.last_activity = self._clock.monotonic()
            if session.cancelled or all(f.ended or f.saved for f in session.files.values()):
                self._close(session)
            session.lock.release()

    def _turn(self, session: Session) -> bool:
        """Wait for the session's other upload to end (senders may upload files in parallel).

        Waits while that upload makes progress; False when it stalls, or the session ends.
        """
        while not session.lock.acquire(timeout=1.0):
            idle = self._clock.monotonic() - session.last_activity
            if session.cancelled or session.closed or idle >= UPLOAD_TURN_SECONDS:
                return False
        return True

    def _write(self, session: Session, file: InFile, conn: ServerConnection) -> int | None:
        try:
            if session.sink is None:
                session.sink = open_sink(self._downloads, session.sender, lambda: self._abort(session))
            sink = session.sink
            sink.begin(session.tid, file.index, 0, file.size, restart=True)
            got = 0
            for chunk in conn.body():
                got += len(chunk)
                if got > file.size:
                    return 413
                sink.write(chunk)
                session.last_activity = self._clock.monotonic()
                if session.cancelled:
                    return None
            sink.body_end()
            verdict = sink.end(session.tid, file.index, file.sha256)
        except BodyError as e:
            log.info("an upload from %s was cut: %s", session.ip, e)
            return None
        except TransferRefused as e:
            if e.code is Refusal.BUSY:
                return 409
            return 403 if e.code is Refusal.UNKNOWN_TRANSFER else 400
        if verdict.ok:
            file.saved = file.ended = True
            return 200
        if verdict.reason is FileFailure.HASH_MISMATCH:
            file.attempts += 1
            file.ended = file.attempts >= HASH_ATTEMPTS
            return 422
        file.ended = True
        return 507 if verdict.reason is FileFailure.NO_SPACE else 500

    # --- ending ----------------------------------------------------------------------------------

    def cancel(self, session_id: str, ip: str) -> Session | None:
        """The sender cancelled (`POST /cancel` from the session's address); the session, if it was one."""
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None or session.ip != ip:
                return None
        self._abort(session)
        return session

    def cancel_tid(self, tid: str) -> None:
        """We cancelled (main thread): a waiting offer is answered 403, a session is cut."""
        with self._lock:
            pending = self._pending.get(tid)
            session = next((s for s in self._sessions.values() if s.tid == tid), None)
        if pending is not None:
            self.decide(tid, None, "declined")
        if session is not None:
            self._abort(session)

    def _abort(self, session: Session) -> None:
        """Cut the session (any thread): its upload ends, its sink closes (partial files go)."""
        session.cancelled = True
        conn = session.current
        if conn is not None:
            conn.abort()
        if session.lock.acquire(blocking=False):
            try:
                self._close(session)
            finally:
                session.lock.release()
        # else the uploading thread closes it on its way out

    def _close(self, session: Session) -> None:
        """Under the session's lock: the session is over."""
        with self._lock:
            if self._sessions.pop(session.id, None) is not None:
                self._recent[session.id] = session  # a late upload of a saved file is still answered 200
                while len(self._recent) > MAX_SESSIONS:
                    self._recent.popitem(last=False)
        if session.closed:
            return
        session.closed = True
        if session.sink is not None:
            session.sink.close()
            session.sink = None

    def expire(self) -> list[Session]:
        """Sessions no upload touched for 45 s: their missing files fail (main thread's timer)."""
        now = self._clock.monotonic()
        with self._lock:
            stale = [s for s in self._sessions.values() if now - s.last_activity >= STALL_SECONDS]
        expired = []
        for session in stale:
            if not session.lock.acquire(blocking=False):
                continue  # an upload is running
            try:
                if session.closed:
                    continue
                self._give_up(session)
                self._close(session)
                expired.append(session)
            finally:
                session.lock.release()
        return expired

    def _give_up(self, session: Session) -> None:
        try:
            if session.sink is None:
                session.sink = open_sink(self._downloads, session.sender, lambda: self._abort(session))
            for file in session.files.values():
                if not file.saved:
                    session.sink.give_up(session.tid, file.index, FileFailure.IO_ERROR)
                    file.ended = True
        except TransferRefused as e:
            log.info("cannot end stalled session %s: %s", session.tid, e.message)

    def stop(self) -> None:
        with self._lock:
            pending = list(self._pending.values())
            sessions = list(self._sessions.values())
        for p in pending:
            self.decide(p.tid, None, "busy")
        for session in sessions:
            self._abort(session)


def _drain(conn: ServerConnection, size: int) -> int | None:
    """Skip the body of a file we hold already; 200."""
    got = 0
    try:
        for chunk in conn.body():
            got += len(chunk)
            if got > size:
                return 413
    except BodyError:
        return None
    return 200
