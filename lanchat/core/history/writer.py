"""The one thread that writes the history database, committing jobs in groups.

Callers queue jobs; the thread takes everything queued (up to `MAX_BATCH`
jobs) and runs it in one transaction, each job under its own savepoint so a
bad job is rolled back alone. After the commit it hands the jobs' emissions
to `on_committed`. A failed commit loses only that batch, never anything
committed earlier; it is reported through `on_error` and the thread goes on.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lanchat.core.history.schema import HistoryError, describe_error, open_write_connection
from lanchat.core.history.writes import Emission

log = logging.getLogger("lanchat.core.history")

MAX_BATCH = 500


@dataclass
class Job:
    """A unit of work on the write connection; `what` names it in error messages."""

    run: Callable[[sqlite3.Connection], list[Emission]]
    what: str


@dataclass
class _Marker:
    """Flush (set `done` once everything before it is committed) or stop."""

    stop: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class HistoryWriter:
    """Owns the write connection and the thread that uses it."""

    def __init__(
        self,
        path: Path,
        on_committed: Callable[[list[Emission]], None],
        on_error: Callable[[str], None],
        busy_timeout: float = 5.0,
    ) -> None:
        self._path = path
        self._on_committed = on_committed
        self._on_error = on_error
        self._busy_timeout = busy_timeout
        self._queue: queue.SimpleQueue[Job | _Marker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._accepting = False
        self._thread: threading.Thread | None = None
        self._opened = threading.Event()
        self._open_error: HistoryError | None = None

    # --- caller's side --------------------------------------------------------

    def start(self) -> None:
        """Start the thread and wait until it has opened (and migrated) the database.

        Raises:
            HistoryError: the database cannot be opened; no thread is left running.
        """
        self._thread = threading.Thread(target=self._main, name="lanchat-history-writer", daemon=True)
        self._thread.start()
        self._opened.wait()
        if self._open_error is not None:
            self._thread.join()
            self._thread = None
            raise self._open_error
        with self._lock:
            self._accepting = True

    def submit(self, job: Job) -> None:
        """Queue a job. Raises HistoryError once the writer is closed."""
        with self._lock:
            if not self._accepting:
                raise HistoryError(f"The chat history {self._path} is closed.", self._path)
            self._queue.put(job)

    def flush(self, timeout: float = 5.0) -> bool:
        """Block until everything queued so far is committed (or failed); False on timeout."""
        marker = _Marker()
        with self._lock:
            if not self._accepting:
                return True
            self._queue.put(marker)
        return marker.done.wait(timeout)

    def stop(self, timeout: float = 5.0) -> bool:
        """Commit what is queued, close the connection and join the thread."""
        marker = _Marker(stop=True)
        with self._lock:
            if not self._accepting:
                return True
            self._accepting = False
            self._queue.put(marker)
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.error("the history writer did not stop within %.1f s", timeout)
            return False
        self._thread = None
        return True

    # --- the writer thread ------------------------------------------------------

    def _main(self) -> None:
        try:
            conn = open_write_connection(self._path, self._busy_timeout)
        except HistoryError as exc:
            self._open_error = exc
            self._opened.set()
            return
        self._opened.set()
        try:
            running = True
            while running:
                running = self._run_batch(conn)
        finally:
            self._close(conn)

    def _take_batch(self) -> tuple[list[Job], list[_Marker]]:
        jobs: list[Job] = []
        markers: list[_Marker] = []
        item = self._queue.get()
        while True:
            if isinstance(item, _Marker):
                markers.append(item)
                if item.stop:
                    break
            else:
                jobs.append(item)
                if len(jobs) >= MAX_BATCH:
                    break
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
        return jobs, markers

    def _run_batch(self, conn: sqlite3.Connection) -> bool:
        """One group commit; False once a stop marker was taken."""
        jobs, markers = self._take_batch()
        try:
            if jobs:
                emissions = self._commit(conn, jobs)
                if emissions:
                    self._deliver(emissions)
        finally:
            for marker in markers:
                marker.done.set()
        return not any(m.stop for m in markers)

    def _commit(self, conn: sqlite3.Connection, jobs: list[Job]) -> list[Emission]:
        emissions: list[Emission] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._report(exc, f"{len(jobs)} changes")
            return []
        for job in jobs:
            emissions += self._run_job(conn, job)
            if not conn.in_transaction:
                # SQLite rolled the whole transaction back (disk full, I/O error):
                # this batch is lost, nothing committed before it is.
                log.warning("the history lost a batch of %d changes", len(jobs))
                return []
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback(conn)
            self._report(exc, f"{len(jobs)} changes")
            return []
        return emissions

    def _run_job(self, conn: sqlite3.Connection, job: Job) -> list[Emission]:
        try:
            conn.execute("SAVEPOINT job")
            result = job.run(conn)
            conn.execute("RELEASE job")
        except sqlite3.Error as exc:
            self._undo_job(conn)
            self._report(exc, job.what)
            return []
        except Exception as exc:  # a bug in one job must not kill the writer
            log.exception("history job %r failed", job.what)
            self._undo_job(conn)
            self._on_error(f"lanchat could not save {job.what} to the chat history {self._path}: {exc}.")
            return []
        return result

    def _undo_job(self, conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:
            return
        try:
            conn.execute("ROLLBACK TO job")
            conn.execute("RELEASE job")
        except sqlite3.Error as exc:
            log.error("undoing a history job failed: %s", exc)
            self._rollback(conn)

    def _rollback(self, conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:
            return
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.error("rolling back the history failed: %s", exc)

    def _report(self, exc: sqlite3.Error, what: str) -> None:
        sentence = describe_error(exc, self._path, f"save {what} to")
        log.warning("%s", sentence)
        self._on_error(sentence)

    def _deliver(self, emissions: list[Emission]) -> None:
        try:
            self._on_committed(emissions)
        except Exception:  # a receiver's bug must not kill the writer
            log.exception("delivering history signals failed")

    def _close(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA optimize")
        except sqlite3.Error as exc:
            log.info("PRAGMA optimize on close failed: %s", exc)
        conn.close()
