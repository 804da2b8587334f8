"""HistoryStore: everything sent and received, in one SQLite file per profile.

Writes are queued to one writer thread that commits them in groups (see
`writer.py`) and emits the signals below after each commit; reads run on the
calling thread with its own read-only connection (WAL keeps them consistent).

    store = HistoryStore(profile / "history.sqlite3", clock, own_id=my_id)
    store.open()                      # creates / migrates; raises HistoryError
    store.incoming_saved.connect(service.on_incoming_saved)
    store.save_incoming(record)       # → incoming_saved(IncomingSaved) once committed
    store.page(chat_id)               # newest 200 entries, oldest first
    store.close()                     # flushes and joins the writer

Signals (emitted from the writer thread after the commit; connect bound
slots of QObjects so they run on the receiver's thread):

- `incoming_saved(IncomingSaved)`: a `save_incoming` is committed (`new`)
  or was a duplicate (`new=False`); ack the message only now.
- `message_added(MessageRecord)`: a new entry (with `row_id`) in a chat.
- `message_changed(MessageChanged)`: an entry's state moved.
- `transfer_changed(str)`: a transfer (tid) was saved or changed.
- `contacts_changed()`, `rooms_changed()`.
- `history_deleted(object)`: a chat id, or None after `clear_history`.
- `error(str)`: a write failed (disk full, I/O error); one readable sentence.

Writes (return at once; run on the writer):
`save_incoming(record)`, `save_outgoing(record, recipients)`,
`mark_delivered(mid, recipient)`, `mark_failed(mid, recipient, reason)`,
`mark_read(mids, reader)`, `mark_seen_read(chat, up_to=None)`,
`queue_reads(sender, mids)`, `drop_reads(sender, mids)`,
`upsert_contact(contact)`, `set_verified(peer_id, verified)`, `forget_contacts(ids)`,
`save_room(room)`, `save_transfer(transfer)`, `delete_entry(row_id)`,
`update_transfer_progress(tid, index, have, partial=None)`,
`finish_transfer_file(tid, index, ok, saved_as, sha256)`,
`set_transfer_state(tid, state, reason=None)`, `delete_chat(chat)`,
`clear_history()`, `prune(now=None)`.

Reads (block the caller briefly): `page(chat, before=None, limit=200)`,
`search(query, chat=None, limit=100)`, `outbox(peer_id)`,
`pending_peers()`, `contacts()`, `contact(peer_id)`, `contacts_with_history()`, `rooms()`,
`transfer(tid)`, `unfinished_transfers()`, `stale_transfers(now=None)`,
`unread_counts()`, `unsent_reads()`, `seen_mid(sender, mid)`, `seen_tid(sender, tid)`, `transfer_entries(chat)`,
`is_known(peer)`, `accepted_bytes_since(peer, since_ms)`,
`messages(chat=None)`.

A chat is ordered by arrival: `row_id`, which is also `page`'s `before`
cursor (a sender's `ts` is shown, not trusted for order). `search` returns
newest first.

`own_id` is our id: the sender of the entries of our outgoing transfers
(outgoing messages carry their sender in the record). Readers open one
read-only connection per calling thread; `close()` closes them all. Call
`prune()` at start and once a day.

Tids are 128-bit random values and key transfers alone: an incoming offer
whose tid `transfer(tid)` knows from another peer must be refused by the
caller (`save_transfer` of such a tid fails with `error`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history import queries, remembered, search, senders, writes
from lanchat.core.history.records import (
    ContactRecord,
    Direction,
    IncomingSaved,
    MessageChanged,
    MessageRecord,
    RoomRecord,
    TransferRecord,
)
from lanchat.core.history.schema import HistoryError, describe_error, open_read_connection
from lanchat.core.history.writer import HistoryWriter, Job
from lanchat.core.history.writes import Emission

log = logging.getLogger("lanchat.core.history")

T = TypeVar("T")

#: Remembered mids and tids are kept this long (docs/protocol.md §3.3) ...
SEEN_RETENTION_S = 7 * 24 * 3600
#: ... and at most this many per sender (docs/protocol.md §4), the newest.
SEEN_PER_SENDER = 10_000
#: Partial transfers untouched this long may be given up (docs/protocol.md §3.3).
PARTIAL_RETENTION_S = 7 * 24 * 3600


class HistoryStore(QObject):
    """The history of one profile. See the module docstring for the API."""

    incoming_saved = Signal(IncomingSaved)
    message_added = Signal(MessageRecord)
    message_changed = Signal(MessageChanged)
    transfer_changed = Signal(str)
    contacts_changed = Signal()
    rooms_changed = Signal()
    history_deleted = Signal(object)  # the chat id, or None when all history went
    error = Signal(str)

    def __init__(
        self,
        path: Path,
        clock: Clock = SYSTEM_CLOCK,
        own_id: str = "",
        busy_timeout: float = 5.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._clock = clock
        self._own_id = own_id
        self._busy_timeout = busy_timeout
        self._writer: HistoryWriter | None = None
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._finished_lock = threading.Lock()
        self._finished_files: list[writes.FinishedFile] = []  # taken by the one write of them queued
        self._finished_at = 0
        self._signals: dict[str, Callable[[object], None]] = {
            "incoming_saved": self.incoming_saved.emit,
            "message_added": self.message_added.emit,
            "message_changed": self.message_changed.emit,
            "transfer_changed": self.transfer_changed.emit,
            "history_deleted": self.history_deleted.emit,
        }

    # --- life -------------------------------------------------------------------

    def open(self) -> None:
        """Create or migrate the database and start the writer.

        Raises:
            HistoryError: the file is damaged, foreign, newer or locked; it is left as it was.
        """
        if self._writer is not None:
            return
        writer = HistoryWriter(self.path, self._committed, self._write_failed, self._busy_timeout)
        writer.start()
        self._writer = writer
        log.info("history open: %s", self.path)

    @property
    def is_open(self) -> bool:
        return self._writer is not None

    def flush(self, timeout: float = 5.0) -> bool:
        """Block until every write queued so far is committed; False on timeout."""
        return True if self._writer is None else self._writer.flush(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Commit queued writes, stop the writer thread and close every connection."""
        writer, self._writer = self._writer, None
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for conn in readers:
            conn.close()
        self._local = threading.local()
        # Last: the writer's connection, closing last, checkpoints and removes the WAL.
        if writer is not None:
            writer.stop(timeout)

    # --- writes -------------------------------------------------------------------

    def save_incoming(self, record: MessageRecord) -> None:
        """Store a received message; `incoming_saved` tells whether it was new."""
        _check_message(record, Direction.IN)
        now = self._clock.now_ms()
        self._submit(lambda c: writes.save_incoming(c, record, now), f"a message from {record.sender[:8]}")

    def save_outgoing(self, record: MessageRecord, recipients: Sequence[str]) -> None:
        """Store a message we send, pending until every recipient acked it."""
        _check_message(record, Direction.OUT)
        now = self._clock.now_ms()
        peers = tuple(recipients)
        self._submit(lambda c: writes.save_outgoing(c, record, peers, now), "a message you sent")

    def mark_delivered(self, mid: str, recipient: str) -> None:
        self._submit(lambda c: writes.mark_delivered(c, mid, recipient), "a delivery receipt")

    def mark_failed(self, mid: str, recipient: str, reason: str) -> None:
        self._submit(lambda c: writes.mark_failed(c, mid, recipient, reason), "a failed delivery")

    def mark_read(self, mids: Sequence[str], reader: str) -> None:
        """`reader` has read these messages of ours."""
        wanted = tuple(mids)
        self._submit(lambda c: writes.mark_read(c, wanted, reader), "a read receipt")

    def mark_seen_read(self, chat: str, up_to: int | None = None) -> None:
        """The person has seen `chat`'s incoming entries (up to a row id)."""
        self._submit(lambda c: writes.mark_seen_read(c, chat, up_to), "the read state of a chat")

    def queue_reads(self, sender: str, mids: Sequence[str]) -> None:
        """Keep read receipts owed to `sender` (across restarts) until `drop_reads`."""
        wanted = tuple(mids)
        now = self._clock.now_ms()
        self._submit(lambda c: writes.queue_reads(c, sender, wanted, now), "read receipts to send")

    def drop_reads(self, sender: str, mids: Sequence[str]) -> None:
        wanted = tuple(mids)
        self._submit(lambda c: writes.drop_reads(c, sender, wanted), "read receipts sent")

    def upsert_contact(self, contact: ContactRecord) -> None:
        now = self._clock.now_ms()
        self._submit(lambda c: writes.upsert_contact(c, contact, now), f"the contact {contact.name!r}")

    def set_verified(self, peer_id: str, verified: bool) -> None:
        self._submit(lambda c: writes.set_verified(c, peer_id, verified), "a contact's verification")

    def save_room(self, room: RoomRecord) -> None:
        now = self._clock.now_ms()
        self._submit(lambda c: writes.save_room(c, room, now), f"the room {room.name!r}")

    def save_transfer(self, transfer: TransferRecord) -> None:
        """Store a new transfer (and its chat entry), or the new state of a known tid."""
        now = self._clock.now_ms()
        own = self._own_id
        self._submit(lambda c: writes.save_transfer(c, transfer, own, now), f"the transfer {transfer.tid}")

    def update_transfer_progress(self, tid: str, index: int, have: int, partial: str | None = None) -> None:
        """Bytes held of file `index` (cheap, but callers throttle it)."""
        now = self._clock.now_ms()
        self._submit(
            lambda c: writes.update_transfer_progress(c, tid, index, have, partial, now), "transfer progress"
        )

    def finish_transfer_file(
        self, tid: str, index: int, ok: bool, saved_as: str | None, sha256: str | None
    ) -> None:
        """A file's `done`. Those that come while one write of them waits for the writer join it: a folder of a
        thousand small files makes a few writes, not a thousand (the order of all writes is kept)."""
        with self._finished_lock:
            self._finished_files.append(writes.FinishedFile(tid, index, ok, saved_as, sha256))
            self._finished_at = self._clock.now_ms()
            if len(self._finished_files) > 1:
                return  # the write queued for the first takes this one too
        try:
            self._submit(self._write_finished_files, "finished files")
        except HistoryError:
            with self._finished_lock:
                self._finished_files.clear()
            raise

    def _write_finished_files(self, conn: sqlite3.Connection) -> list[Emission]:
        """(The writer thread.) Every finished file not written yet."""
        with self._finished_lock:
            files, self._finished_files = self._finished_files, []
            now = self._finished_at
        return writes.finish_transfer_files(conn, files, now)

    def set_transfer_state(self, tid: str, state: str, reason: str | None = None) -> None:
        now = self._clock.now_ms()
        self._submit(lambda c: writes.set_transfer_state(c, tid, state, reason, now), "a transfer's state")

    def delete_chat(self, chat: str) -> None:
        """Delete a chat's entries; their mids stay remembered for 7 days (`seen`)."""
        since = self._seen_cutoff(None)
        self._submit(lambda c: writes.delete_chat(c, chat, since), "deleting a chat")

    def delete_entry(self, row_id: int) -> None:
        """Delete one entry (`history_deleted` names its chat); a transfer under way is left alone."""
        since = self._seen_cutoff(None)
        self._submit(lambda c: writes.delete_entry(c, row_id, since), "deleting an entry")

    def clear_history(self) -> None:
        """Delete every entry; contacts, rooms, unfinished transfers and `seen` stay."""
        since = self._seen_cutoff(None)
        self._submit(lambda c: writes.clear_history(c, since), "clearing the history")

    def prune(self, now: float | None = None) -> None:
        """Forget mids/tids remembered longer than 7 days (by the clock), and past 10,000 per sender."""
        cutoff = self._seen_cutoff(now)

        def run(conn: sqlite3.Connection) -> list[Emission]:
            removed = writes.prune(conn, cutoff, SEEN_PER_SENDER)
            log.debug("pruned %d remembered mids and tids", removed)
            return []

        self._submit(run, "pruning remembered messages")

    # --- reads --------------------------------------------------------------------

    def page(self, chat: str, before: int | None = None, limit: int = 200) -> list[MessageRecord]:
        """The `limit` newest entries of `chat` older than row id `before`, oldest first."""
        return self._read(lambda c: queries.page(c, chat, before, limit))

    def search(self, query: str, chat: str | None = None, limit: int = 100) -> list[MessageRecord]:
        """Entries containing `query` (any substring, case-insensitive), newest first."""
        return self._read(lambda c: search.search(c, query, chat, limit))

    def transfer_entries(self, chat: str) -> list[MessageRecord]:
        """Every file and picture entry of `chat`, oldest first (the viewer, the media view)."""
        return self._read(lambda c: queries.transfer_entries(c, chat))

    def messages(self, chat: str | None = None) -> Iterator[MessageRecord]:
        """Every entry (of one chat, or all), oldest first; consume it on one thread."""
        return queries.iter_messages(self._reader(), chat)

    def outbox(self, peer_id: str) -> list[MessageRecord]:
        """What must (still) be sent to `peer_id`, oldest first."""
        return self._read(lambda c: queries.outbox(c, peer_id))

    def pending_peers(self) -> list[str]:
        return self._read(queries.pending_peers)

    def unsent_reads(self) -> dict[str, list[str]]:
        """Read receipts owed, per sender (see `queue_reads`)."""
        return self._read(queries.unsent_reads)

    def unread_counts(self) -> dict[str, int]:
        return self._read(queries.unread_counts)

    def seen_mid(self, sender: str, mid: str) -> bool:
        return self._read(lambda c: queries.was_seen(c, sender, "m", mid))

    def seen_tid(self, sender: str, tid: str) -> bool:
        return self._read(lambda c: queries.was_seen(c, sender, "t", tid))

    def contacts(self) -> list[ContactRecord]:
        return self._read(queries.contacts)

    def contact(self, peer_id: str) -> ContactRecord | None:
        return self._read(lambda c: queries.contact(c, peer_id))

    def rooms(self) -> list[RoomRecord]:
        return self._read(queries.rooms)

    def contacts_with_history(self) -> set[str]:
        """Ids of the contacts with history: a 1:1 message or a transfer (docs/protocol.md §4)."""
        return self._read(remembered.with_history)

    def forget_contacts(self, ids: Sequence[str]) -> None:
        """Forget remembered contacts that have no history (one with history is kept)."""
        wanted = tuple(ids)
        self._submit(lambda c: remembered.forget(c, wanted), "forgetting old contacts")

    def is_known(self, peer: str) -> bool:
        """Whether `peer` is a known contact: a 1:1 message sent to it, a transfer accepted from it, or verified."""
        return self._read(lambda conn: senders.is_known(conn, peer))

    def accepted_bytes_since(self, peer: str, since_ms: int) -> int:
        """Bytes accepted from `peer` in transfers offered since `since_ms`."""
        return self._read(lambda conn: senders.accepted_bytes_since(conn, peer, since_ms))

    def transfer(self, tid: str) -> TransferRecord | None:
        return self._read(lambda c: queries.transfer(c, tid))

    def unfinished_transfers(self) -> list[TransferRecord]:
        """Offered or accepted transfers, to resume after a restart."""
        return self._read(queries.unfinished_transfers)

    def stale_transfers(self, now: float | None = None) -> list[TransferRecord]:
        """Unfinished transfers untouched for 7 days: their partial files may go."""
        at = self._clock.now() if now is None else now
        cutoff = int((at - PARTIAL_RETENTION_S) * 1000)
        return self._read(lambda c: queries.unfinished_transfers(c, cutoff))

    # --- machinery ------------------------------------------------------------------

    def _seen_cutoff(self, now: float | None) -> int:
        at = self._clock.now() if now is None else now
        return int((at - SEEN_RETENTION_S) * 1000)

    def _submit(self, run: Callable[[sqlite3.Connection], list[Emission]], what: str) -> None:
        if self._writer is None:
            raise HistoryError(f"The chat history {self.path} is not open.", self.path)
        self._writer.submit(Job(run, what))

    def _reader(self) -> sqlite3.Connection:
        if self._writer is None:
            raise HistoryError(f"The chat history {self.path} is not open.", self.path)
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_read_connection(self.path, self._busy_timeout)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._reader()
        try:
            conn.execute("BEGIN")
            try:
                return work(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise HistoryError(describe_error(exc, self.path, "read"), self.path) from exc

    def _committed(self, emissions: list[Emission]) -> None:
        """On the writer thread, after a commit."""
        for name, payload in emissions:
            if name == "contacts_changed":
                self.contacts_changed.emit()
            elif name == "rooms_changed":
                self.rooms_changed.emit()
            else:
                self._signals[name](payload)

    def _write_failed(self, sentence: str) -> None:
        self.error.emit(sentence)


def _check_message(record: MessageRecord, direction: Direction) -> None:
    if record.direction != direction:
        raise ValueError(f"a {direction.value!r} message was expected, not {record.direction!r}")
    if record.room is not None and record.chat != record.room:
        raise ValueError("a room message's chat must be its room id")
    if not record.mid or not record.sender or not record.chat:
        raise ValueError("a message needs a mid, a sender and a chat")
