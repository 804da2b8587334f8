"""Read queries of the history database: plain functions of a connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from lanchat.core.history.records import (
    ContactRecord,
    FileRecord,
    MessageRecord,
    RoomRecord,
    TransferRecord,
)
from lanchat.core.transfers.state import UNFINISHED

MESSAGE_COLUMNS = "id, mid, chat, sender, direction, ts, text, state, room, kind, tid"
PREFIXED_MESSAGE_COLUMNS = ", ".join(f"m.{c.strip()}" for c in MESSAGE_COLUMNS.split(","))
#: Newest `limit` entries of a chat before a row id: a range of index messages_chat.
PAGE_SQL = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE chat = ? AND id < ? ORDER BY id DESC LIMIT ?"
FILE_COLUMNS = "tid, i, path, size, have, saved_as, sha256, ok, partial, source"
MAX_ROW_ID = 2**63 - 1
_CHUNK = 500


def _file(row: Any) -> FileRecord:
    _tid, _i, path, size, have, saved_as, sha256, ok, partial, source = row
    return FileRecord(
        path=str(path),
        size=int(size),
        have=int(have),
        saved_as=None if saved_as is None else str(saved_as),
        sha256=None if sha256 is None else str(sha256),
        ok=None if ok is None else bool(ok),
        partial=None if partial is None else str(partial),
        source=None if source is None else str(source),
    )


def files_of(conn: sqlite3.Connection, tids: Sequence[str]) -> dict[str, tuple[FileRecord, ...]]:
    """The files of each transfer, in offer order."""
    found: dict[str, list[FileRecord]] = {}
    unique = list(dict.fromkeys(tids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {FILE_COLUMNS} FROM transfer_files WHERE tid IN ({marks}) ORDER BY tid, i"
        for row in conn.execute(sql, chunk):
            found.setdefault(str(row[0]), []).append(_file(row))
    return {tid: tuple(files) for tid, files in found.items()}


def albums_of(conn: sqlite3.Connection, tids: Sequence[str]) -> dict[str, str]:
    """The album id of each transfer that has one."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(tids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT tid, album FROM transfers WHERE tid IN ({marks}) AND album IS NOT NULL"
        found.update((str(tid), str(album)) for tid, album in conn.execute(sql, chunk))
    return found


def to_messages(conn: sqlite3.Connection, rows: Sequence[Any]) -> list[MessageRecord]:
    """Records of `messages` rows (MESSAGE_COLUMNS), with the files (and album) of transfer entries."""
    tids = [str(row[10]) for row in rows if row[10] is not None]
    files = files_of(conn, tids) if tids else {}
    albums = albums_of(conn, tids) if tids else {}
    records = []
    for row_id, mid, chat, sender, direction, ts, text, state, room, kind, tid in rows:
        records.append(
            MessageRecord(
                mid=str(mid),
                chat=str(chat),
                sender=str(sender),
                direction=str(direction),
                ts=int(ts),
                text=str(text),
                state=str(state),
                room=None if room is None else str(room),
                files=files.get(str(tid), ()) if tid is not None else (),
                row_id=int(row_id),
                kind=str(kind),
                album=albums.get(str(tid)) if tid is not None else None,
            )
        )
    return records


def transfer_entries(conn: sqlite3.Connection, chat: str) -> list[MessageRecord]:
    """The file and picture entries of `chat`, oldest first."""
    sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE chat = ? AND tid IS NOT NULL ORDER BY id"
    return to_messages(conn, conn.execute(sql, (chat,)).fetchall())


def page(conn: sqlite3.Connection, chat: str, before: int | None, limit: int) -> list[MessageRecord]:
    """The `limit` newest entries of `chat` with row id < `before`, oldest first."""
    cursor = MAX_ROW_ID if before is None else before
    rows = conn.execute(PAGE_SQL, (chat, cursor, limit)).fetchall()
    rows.reverse()
    return to_messages(conn, rows)


def message(conn: sqlite3.Connection, row_id: int) -> MessageRecord | None:
    rows = conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (row_id,)).fetchall()
    return to_messages(conn, rows)[0] if rows else None


def iter_messages(
    conn: sqlite3.Connection, chat: str | None = None, batch: int = 1000
) -> Iterator[MessageRecord]:
    """Every entry (of one chat, or all), oldest first, read in batches."""
    after = 0
    while True:
        if chat is None:
            sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?"
            rows = conn.execute(sql, (after, batch)).fetchall()
        else:
            sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE chat = ? AND id > ? ORDER BY id LIMIT ?"
            rows = conn.execute(sql, (chat, after, batch)).fetchall()
        if not rows:
            return
        yield from to_messages(conn, rows)
        after = int(rows[-1][0])


def outbox(conn: sqlite3.Connection, peer_id: str) -> list[MessageRecord]:
    """What must still be sent to `peer_id`, oldest first."""
    sql = (
        f"SELECT {PREFIXED_MESSAGE_COLUMNS} FROM outbox o JOIN messages m ON m.id = o.message "
        "WHERE o.recipient = ? ORDER BY o.message"
    )
    return to_messages(conn, conn.execute(sql, (peer_id,)).fetchall())


def pending_peers(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT DISTINCT recipient FROM outbox ORDER BY recipient")]


def unsent_reads(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Read receipts owed, per sender, oldest first."""
    owed: dict[str, list[str]] = {}
    for sender, mid in conn.execute("SELECT sender, mid FROM reads_out ORDER BY at, mid"):
        owed.setdefault(str(sender), []).append(str(mid))
    return owed


def unread_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Incoming entries not yet read, per chat."""
    sql = (
        "SELECT chat, count(*) FROM messages INDEXED BY messages_unread "
        "WHERE direction = 'in' AND state = 'received' GROUP BY chat"
    )
    return {str(chat): int(n) for chat, n in conn.execute(sql)}


def was_seen(conn: sqlite3.Connection, sender: str, kind: str, key: str) -> bool:
    """Whether (sender, mid) (kind 'm') or (sender, tid) (kind 't') is remembered."""
    row = conn.execute(
        "SELECT 1 FROM seen WHERE sender = ? AND kind = ? AND key = ?", (sender, kind, key)
    ).fetchone()
    if row is not None:
        return True
    if kind == "m":
        sql = "SELECT 1 FROM messages WHERE mid = ? AND sender = ? AND tid IS NULL"
        return conn.execute(sql, (key, sender)).fetchone() is not None
    sql = "SELECT 1 FROM transfers WHERE tid = ? AND peer = ?"
    return conn.execute(sql, (key, sender)).fetchone() is not None


def _contact(row: Any) -> ContactRecord:
    cid, name, address, port, grp, avatar, verified, first_seen, last_seen = row
    return ContactRecord(
        id=str(cid),
        name=str(name),
        address=None if address is None else str(address),
        port=None if port is None else int(port),
        group=str(grp),
        avatar_hash=None if avatar is None else str(avatar),
        verified=bool(verified),
        first_seen=int(first_seen),
        last_seen=int(last_seen),
    )


_CONTACT_SQL = (
    "SELECT id, name, address, port, grp, avatar_hash, verified, first_seen, last_seen FROM contacts"
)


def contacts(conn: sqlite3.Connection) -> list[ContactRecord]:
    return [_contact(r) for r in conn.execute(_CONTACT_SQL + " ORDER BY name COLLATE NOCASE, id")]


def contact(conn: sqlite3.Connection, peer_id: str) -> ContactRecord | None:
    row = conn.execute(_CONTACT_SQL + " WHERE id = ?", (peer_id,)).fetchone()
    return None if row is None else _contact(row)


def contact_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Id → name of every contact (schema v1 and later)."""
    return {str(i): str(n) for i, n in conn.execute("SELECT id, name FROM contacts")}


def rooms(conn: sqlite3.Connection) -> list[RoomRecord]:
    members: dict[str, list[str]] = {}
    for room, member in conn.execute("SELECT room, member FROM room_members ORDER BY room, member"):
        members.setdefault(str(room), []).append(str(member))
    return [
        RoomRecord(str(rid), str(name), tuple(members.get(str(rid), ())), int(updated))
        for rid, name, updated in conn.execute("SELECT id, name, updated_at FROM rooms ORDER BY name, id")
    ]


_TRANSFER_SQL = (
    "SELECT tid, peer, direction, kind, room, state, reason, thumb, created_at, updated_at, album, album_n "
    "FROM transfers"
)


def _transfers(conn: sqlite3.Connection, rows: list[Any]) -> list[TransferRecord]:
    files = files_of(conn, [str(r[0]) for r in rows])
    result = []
    for tid, peer, direction, kind, room, state, reason, thumb, created, updated, album, album_n in rows:
        result.append(
            TransferRecord(
                tid=str(tid),
                peer=str(peer),
                direction=str(direction),
                kind=str(kind),
                files=files.get(str(tid), ()),
                state=str(state),
                room=None if room is None else str(room),
                created_at=int(created),
                updated_at=int(updated),
                reason=None if reason is None else str(reason),
                thumb=None if thumb is None else bytes(thumb),
                album=None if album is None else str(album),
                album_n=None if album_n is None else int(album_n),
            )
        )
    return result


def transfer(conn: sqlite3.Connection, tid: str) -> TransferRecord | None:
    found = _transfers(conn, conn.execute(_TRANSFER_SQL + " WHERE tid = ?", (tid,)).fetchall())
    return found[0] if found else None


def unfinished_transfers(conn: sqlite3.Connection, updated_before: int | None = None) -> list[TransferRecord]:
    """Offered or accepted transfers (optionally only those idle since before a time), oldest first."""
    states = ", ".join(f"'{s.value}'" for s in UNFINISHED)
    sql = f"{_TRANSFER_SQL} WHERE state IN ({states})"
    params: tuple[object, ...] = ()
    if updated_before is not None:
        sql += " AND updated_at < ?"
        params = (updated_before,)
    return _transfers(conn, conn.execute(sql + " ORDER BY updated_at, tid", params).fetchall())
