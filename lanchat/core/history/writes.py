"""The write jobs of the history store: each runs on the writer's connection.

Every function takes the write connection (inside the writer's transaction)
and returns the signals to emit once the transaction has committed, as
`(signal name, payload)` pairs.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence

from lanchat.core.history import queries
from lanchat.core.history.records import (
    ContactRecord,
    Direction,
    IncomingSaved,
    MessageChanged,
    MessageRecord,
    MessageState,
    RoomRecord,
    TransferRecord,
)
from lanchat.core.transfers.state import UNFINISHED

Emission = tuple[str, object]

_UNFINISHED = ", ".join(f"'{s.value}'" for s in UNFINISHED)


def _insert_message(
    conn: sqlite3.Connection, rec: MessageRecord, state: str, now: int, tid: str | None
) -> int:
    cursor = conn.execute(
        "INSERT INTO messages (mid, sender, chat, room, direction, kind, tid, ts, stored_at, text, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (rec.mid, rec.sender, rec.chat, rec.room, rec.direction, rec.kind, tid, rec.ts, now, rec.text, state),
    )
    row_id = cursor.lastrowid
    assert row_id is not None
    return row_id


def save_incoming(conn: sqlite3.Connection, rec: MessageRecord, now: int) -> list[Emission]:
    """Store a received message once per (sender, mid), and remember the mid."""
    if queries.was_seen(conn, rec.sender, "m", rec.mid):
        return [("incoming_saved", IncomingSaved(rec.sender, rec.mid, False))]
    state = rec.state or MessageState.RECEIVED
    row_id = _insert_message(conn, rec, state, now, None)
    stored = dataclasses.replace(rec, state=state, files=(), row_id=row_id)
    return [("incoming_saved", IncomingSaved(rec.sender, rec.mid, True)), ("message_added", stored)]


def save_outgoing(
    conn: sqlite3.Connection, rec: MessageRecord, recipients: Sequence[str], now: int
) -> list[Emission]:
    """Store a message we send, pending, with one outbox row per recipient."""
    sql = "SELECT 1 FROM messages WHERE mid = ? AND sender = ? AND tid IS NULL"
    if conn.execute(sql, (rec.mid, rec.sender)).fetchone() is not None:
        return []
    state = MessageState.PENDING if recipients else MessageState.DELIVERED
    row_id = _insert_message(conn, rec, state, now, None)
    conn.executemany(
        "INSERT OR IGNORE INTO outbox (recipient, message) VALUES (?, ?)",
        [(peer, row_id) for peer in dict.fromkeys(recipients)],
    )
    stored = dataclasses.replace(rec, state=state, files=(), row_id=row_id)
    return [("message_added", stored)]


def _outbox_row(conn: sqlite3.Connection, mid: str, recipient: str) -> tuple[int, str, str] | None:
    row = conn.execute(
        "SELECT m.id, m.chat, m.state FROM outbox o JOIN messages m ON m.id = o.message "
        "WHERE o.recipient = ? AND m.mid = ? AND m.direction = 'out'",
        (recipient, mid),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))


def _set_state(conn: sqlite3.Connection, row_id: int, mid: str, chat: str, state: str) -> list[Emission]:
    conn.execute("UPDATE messages SET state = ? WHERE id = ?", (state, row_id))
    return [("message_changed", MessageChanged(row_id, mid, chat, state))]


def mark_delivered(conn: sqlite3.Connection, mid: str, recipient: str) -> list[Emission]:
    """An ack: the recipient has it. Delivered once no recipient is left."""
    found = _outbox_row(conn, mid, recipient)
    if found is None:
        return []
    row_id, chat, state = found
    conn.execute("DELETE FROM outbox WHERE recipient = ? AND message = ?", (recipient, row_id))
    left = conn.execute("SELECT 1 FROM outbox WHERE message = ? LIMIT 1", (row_id,)).fetchone()
    if left is None and state == MessageState.PENDING:
        return _set_state(conn, row_id, mid, chat, MessageState.DELIVERED)
    return []


def mark_failed(conn: sqlite3.Connection, mid: str, recipient: str, reason: str) -> list[Emission]:
    """The recipient answered with `error`: drop it from the outbox, show it failed."""
    found = _outbox_row(conn, mid, recipient)
    if found is None:
        return []
    row_id, chat, _state = found
    conn.execute("DELETE FROM outbox WHERE recipient = ? AND message = ?", (recipient, row_id))
    conn.execute("UPDATE messages SET error = ? WHERE id = ?", (f"{recipient}: {reason}", row_id))
    return _set_state(conn, row_id, mid, chat, MessageState.FAILED)


def mark_read(conn: sqlite3.Connection, mids: Sequence[str], reader: str) -> list[Emission]:
    """A `read` from `reader`: our messages to it (or to a room it is in) become read."""
    emissions: list[Emission] = []
    for mid in dict.fromkeys(mids):
        rows = conn.execute(
            "SELECT id, chat, state FROM messages WHERE mid = ? AND tid IS NULL AND direction = 'out' "
            "AND (chat = ? OR (room IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM room_members r WHERE r.room = messages.room AND r.member = ?)))",
            (mid, reader, reader),
        ).fetchall()
        for row_id, chat, state in rows:
            conn.execute("DELETE FROM outbox WHERE recipient = ? AND message = ?", (reader, row_id))
            if state in (MessageState.PENDING, MessageState.DELIVERED):
                emissions += _set_state(conn, int(row_id), mid, str(chat), MessageState.READ)
    return emissions


def mark_seen_read(conn: sqlite3.Connection, chat: str, up_to: int | None) -> list[Emission]:
    """The person has seen the incoming entries of `chat` (up to a row id)."""
    rows = conn.execute(
        "UPDATE messages SET state = 'read' WHERE chat = ? AND direction = 'in' AND state = 'received' "
        "AND id <= ? RETURNING id, mid",
        (chat, queries.MAX_ROW_ID if up_to is None else up_to),
    ).fetchall()
    return [("message_changed", MessageChanged(int(i), str(m), chat, MessageState.READ)) for i, m in rows]


def queue_reads(conn: sqlite3.Connection, sender: str, mids: Sequence[str], now: int) -> list[Emission]:
    """Remember read receipts owed to `sender` until a connection takes them."""
    conn.executemany(
        "INSERT OR IGNORE INTO reads_out (sender, mid, at) VALUES (?, ?, ?)",
        [(sender, mid, now) for mid in dict.fromkeys(mids)],
    )
    return []


def drop_reads(conn: sqlite3.Connection, sender: str, mids: Sequence[str]) -> list[Emission]:
    """Read receipts handed to a connection to `sender`: no longer owed."""
    conn.executemany("DELETE FROM reads_out WHERE sender = ? AND mid = ?", [(sender, mid) for mid in mids])
    return []


def upsert_contact(conn: sqlite3.Connection, c: ContactRecord, now: int) -> list[Emission]:
    """Insert or update a contact; `verified` changes only through `set_verified`."""
    conn.execute(
        "INSERT INTO contacts (id, name, address, port, grp, avatar_hash, verified, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, address = coalesce(excluded.address, address), "
        "port = coalesce(excluded.port, port), grp = excluded.grp, avatar_hash = excluded.avatar_hash, "
        "first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)",
        (
            c.id, c.name, c.address, c.port, c.group, c.avatar_hash, int(c.verified),
            c.first_seen or now, c.last_seen or now,
        ),
    )
    return [("contacts_changed", None)]


def set_verified(conn: sqlite3.Connection, peer_id: str, verified: bool) -> list[Emission]:
    cursor = conn.execute("UPDATE contacts SET verified = ? WHERE id = ?", (int(verified), peer_id))
    return [("contacts_changed", None)] if cursor.rowcount else []


def save_room(conn: sqlite3.Connection, room: RoomRecord, now: int) -> list[Emission]:
    """Insert or replace a room and its member list."""
    conn.execute(
        "INSERT INTO rooms (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, updated_at = excluded.updated_at",
        (room.id, room.name, room.updated_at or now),
    )
    conn.execute("DELETE FROM room_members WHERE room = ?", (room.id,))
    conn.executemany(
        "INSERT OR IGNORE INTO room_members (room, member) VALUES (?, ?)",
        [(room.id, m) for m in room.members],
    )
    return [("rooms_changed", None)]


def save_transfer(conn: sqlite3.Connection, t: TransferRecord, own_id: str, now: int) -> list[Emission]:
    """Insert a transfer, its files and its chat entry; for a known tid update state only.

    Raises:
        ValueError: the tid is known with another peer or direction.
    """
    row = conn.execute("SELECT peer, direction FROM transfers WHERE tid = ?", (t.tid,)).fetchone()
    emissions: list[Emission] = [("transfer_changed", t.tid)]
    if row is not None:
        if (row[0], row[1]) != (t.peer, t.direction):
            raise ValueError(f"transfer {t.tid} is already known with another peer")
        emissions += set_transfer_state(conn, t.tid, t.state, t.reason, now)
        return emissions
    created = t.created_at or now
    conn.execute(
        "INSERT INTO transfers (tid, peer, direction, kind, room, state, reason, thumb, created_at, "
        "updated_at, album, album_n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            t.tid, t.peer, t.direction, t.kind, t.room, t.state, t.reason, t.thumb, created,
            t.updated_at or now, t.album, t.album_n,
        ),
    )
    conn.executemany(
        "INSERT INTO transfer_files (tid, i, path, size, have, saved_as, sha256, ok, partial, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (t.tid, i, f.path, f.size, f.have, f.saved_as, f.sha256, None if f.ok is None else int(f.ok),
             f.partial, f.source)
            for i, f in enumerate(t.files)
        ],
    )
    sender = t.peer if t.direction == Direction.IN else own_id
    entry = MessageRecord(
        t.tid, t.chat, sender, t.direction, created, "", t.state, t.room, t.files, kind=t.kind, album=t.album
    )
    row_id = _insert_message(conn, entry, t.state, now, t.tid)
    emissions.append(("message_added", dataclasses.replace(entry, row_id=row_id)))
    return emissions


def update_transfer_progress(
    conn: sqlite3.Connection, tid: str, index: int, have: int, partial: str | None, now: int
) -> list[Emission]:
    conn.execute(
        "UPDATE transfer_files SET have = ?, partial = coalesce(?, partial) WHERE tid = ? AND i = ?",
        (have, partial, tid, index),
    )
    conn.execute("UPDATE transfers SET updated_at = ? WHERE tid = ?", (now, tid))
    return [("transfer_changed", tid)]


@dataclasses.dataclass(frozen=True)
class FinishedFile:
    """A file's `done`: ok (complete, saved) or failed (partial gone, start again from 0)."""

    tid: str
    index: int
    ok: bool
    saved_as: str | None
    sha256: str | None


def finish_transfer_files(conn: sqlite3.Connection, files: Sequence[FinishedFile], now: int) -> list[Emission]:
    """Files' `done`s, in the order they came (a file failed then saved ends saved)."""
    conn.executemany(
        "UPDATE transfer_files SET ok = ?, saved_as = coalesce(?, saved_as), sha256 = coalesce(?, sha256), "
        "have = CASE WHEN ? THEN size ELSE 0 END, partial = NULL WHERE tid = ? AND i = ?",
        [(int(f.ok), f.saved_as, f.sha256, int(f.ok), f.tid, f.index) for f in files],
    )
    tids = list(dict.fromkeys(f.tid for f in files))
    conn.executemany("UPDATE transfers SET updated_at = ? WHERE tid = ?", [(now, tid) for tid in tids])
    return [("transfer_changed", tid) for tid in tids]


def set_transfer_state(
    conn: sqlite3.Connection, tid: str, state: str, reason: str | None, now: int
) -> list[Emission]:
    conn.execute(
        "UPDATE transfers SET state = ?, reason = ?, updated_at = ? WHERE tid = ?", (state, reason, now, tid)
    )
    rows = conn.execute(
        "UPDATE messages SET state = ? WHERE tid = ? AND state != ? RETURNING id, chat", (state, tid, state)
    ).fetchall()
    emissions: list[Emission] = [("transfer_changed", tid)]
    emissions += [("message_changed", MessageChanged(int(i), tid, str(c), state)) for i, c in rows]
    return emissions


#: Copy incoming mids (tids) received since a time into `seen` before their rows go.
_SEEN_MIDS = (
    "INSERT OR IGNORE INTO seen (sender, kind, key, at) SELECT sender, 'm', mid, stored_at FROM messages "
    "WHERE direction = 'in' AND tid IS NULL AND stored_at >= ?"
)
_SEEN_TIDS = (
    "INSERT OR IGNORE INTO seen (sender, kind, key, at) SELECT peer, 't', tid, created_at FROM transfers "
    "WHERE direction = 'in' AND created_at >= ?"
)
_TRANSFER_OF_CHAT = "(room = ? OR (room IS NULL AND peer = ?))"


def delete_chat(conn: sqlite3.Connection, chat: str, since: int) -> list[Emission]:
    """Delete a chat's entries and its finished transfers.

    Their incoming mids and tids received since `since` (ms) stay in `seen`,
    so a late resend is still recognised.
    """
    conn.execute(_SEEN_MIDS + " AND chat = ?", (since, chat))
    conn.execute(_SEEN_TIDS + f" AND {_TRANSFER_OF_CHAT}", (since, chat, chat))
    conn.execute("DELETE FROM messages WHERE chat = ?", (chat,))
    conn.execute(
        f"DELETE FROM transfers WHERE {_TRANSFER_OF_CHAT} AND state NOT IN ({_UNFINISHED})", (chat, chat)
    )
    return [("history_deleted", chat)]


def delete_entry(conn: sqlite3.Connection, row_id: int, since: int) -> list[Emission]:
    """Delete one entry of a chat (a finished transfer's with it; an unfinished one stays).

    An incoming mid or tid received since `since` (ms) stays in `seen`. The
    files a transfer saved stay on disk.
    """
    row = conn.execute("SELECT chat, tid FROM messages WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        return []
    chat, tid = row
    if tid is not None:
        if conn.execute(f"SELECT 1 FROM transfers WHERE tid = ? AND state IN ({_UNFINISHED})", (tid,)).fetchone():
            return []  # under way: cancel it first (the window offers Delete only for finished ones)
        conn.execute(_SEEN_TIDS + " AND tid = ?", (since, tid))
        conn.execute("DELETE FROM transfers WHERE tid = ?", (tid,))
    conn.execute(_SEEN_MIDS + " AND id = ?", (since, row_id))
    conn.execute("DELETE FROM messages WHERE id = ?", (row_id,))
    return [("history_deleted", chat)]


def clear_history(conn: sqlite3.Connection, since: int) -> list[Emission]:
    """Delete every entry and finished transfer (contacts, rooms, unfinished transfers, `seen` stay)."""
    conn.execute(_SEEN_MIDS, (since,))
    conn.execute(_SEEN_TIDS, (since,))
    conn.execute("DELETE FROM messages")
    conn.execute(f"DELETE FROM transfers WHERE state NOT IN ({_UNFINISHED})")
    return [("history_deleted", None)]


def prune(conn: sqlite3.Connection, cutoff: int, keep_count: int) -> int:
    """Forget remembered mids/tids older than `cutoff` (ms), and all but `keep_count` per sender."""
    removed = conn.execute("DELETE FROM seen WHERE at < ?", (cutoff,)).rowcount
    conn.execute("DELETE FROM reads_out WHERE at < ?", (cutoff,))  # a receipt a week late says nothing
    crowded = conn.execute(
        "SELECT sender, kind FROM seen GROUP BY sender, kind HAVING count(*) > ?", (keep_count,)
    ).fetchall()
    for sender, kind in crowded:
        removed += conn.execute(
            "DELETE FROM seen WHERE sender = ? AND kind = ? AND key IN (SELECT key FROM seen "
            "WHERE sender = ? AND kind = ? ORDER BY at DESC, key LIMIT -1 OFFSET ?)",
            (sender, kind, sender, kind, keep_count),
        ).rowcount
    return removed
