"""The history database: its DDL, forward migrations, and how it is opened.

The version lives in `PRAGMA user_version`. A new file gets the v1 DDL and
then every migration, so the migration path runs on every first start.
Before migrating an existing file, a copy is made next to it with SQLite's
backup API (`history.sqlite3.bak-v<old version>`). A damaged, foreign, locked
or newer file raises `HistoryError` and is never changed, moved or deleted.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lanchat.core.private_files import private_file

log = logging.getLogger("lanchat.core.history")

T = TypeVar("T")

SCHEMA_VERSION = 4
DB_FILENAME = "history.sqlite3"

V1_DDL: tuple[str, ...] = (
    """CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT,
        port INTEGER,
        grp TEXT NOT NULL DEFAULT '',
        verified INTEGER NOT NULL DEFAULT 0,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    )""",
    """CREATE TABLE rooms (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    )""",
    """CREATE TABLE room_members (
        room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        member TEXT NOT NULL,
        PRIMARY KEY (room, member)
    ) WITHOUT ROWID""",
    "CREATE INDEX room_members_member ON room_members(member)",
    """CREATE TABLE transfers (
        tid TEXT PRIMARY KEY,
        peer TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        kind TEXT NOT NULL CHECK (kind IN ('image', 'files')),
        room TEXT,
        state TEXT NOT NULL,
        reason TEXT,
        thumb BLOB,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    )""",
    "CREATE INDEX transfers_unfinished ON transfers(updated_at) WHERE state IN ('offered', 'accepted')",
    """CREATE TABLE transfer_files (
        tid TEXT NOT NULL REFERENCES transfers(tid) ON DELETE CASCADE,
        i INTEGER NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        have INTEGER NOT NULL DEFAULT 0,
        saved_as TEXT,
        sha256 TEXT,
        ok INTEGER,
        partial TEXT,
        source TEXT,
        PRIMARY KEY (tid, i)
    ) WITHOUT ROWID""",
    # One row per chat entry; `id` is the arrival order and the paging cursor.
    # A transfer's entry has mid = tid and `tid` set.
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        mid TEXT NOT NULL,
        sender TEXT NOT NULL,
        chat TEXT NOT NULL,
        room TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'image', 'files')),
        tid TEXT REFERENCES transfers(tid) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        stored_at INTEGER NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL,
        error TEXT
    )""",
    # The dedupe key (sender id, mid); mid first so ack/read lookups by mid use it.
    "CREATE UNIQUE INDEX messages_mid_sender ON messages(mid, sender) WHERE tid IS NULL",
    "CREATE UNIQUE INDEX messages_tid ON messages(tid) WHERE tid IS NOT NULL",
    "CREATE INDEX messages_chat ON messages(chat, id)",
    "CREATE INDEX messages_unread ON messages(chat) WHERE direction = 'in' AND state = 'received'",
    # What must still reach each recipient; deleted on ack.
    """CREATE TABLE outbox (
        recipient TEXT NOT NULL,
        message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        PRIMARY KEY (recipient, message)
    ) WITHOUT ROWID""",
    "CREATE INDEX outbox_message ON outbox(message)",
    # Incoming (sender, mid) and (sender, tid) whose rows were deleted: while a
    # row exists it is the memory; when history is deleted they move here for 7 days.
    """CREATE TABLE seen (
        sender TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('m', 't')),
        key TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (sender, kind, key)
    ) WITHOUT ROWID""",
    "CREATE INDEX seen_at ON seen(at)",
)

#: v2: full-text search (FTS5, trigram) over message text, and contact avatars.
V2_MIGRATION: tuple[str, ...] = (
    "ALTER TABLE contacts ADD COLUMN avatar_hash TEXT",
    """CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content='messages', content_rowid='id', tokenize='trigram'
    )""",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
    """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END""",
)

#: v3: (1.1) the album a picture transfer belongs to, and how many pictures it has.
V3_MIGRATION: tuple[str, ...] = (
    "ALTER TABLE transfers ADD COLUMN album TEXT",
    "ALTER TABLE transfers ADD COLUMN album_n INTEGER",
)

#: v4: read receipts we owe a sender and have not handed to a connection yet (kept across restarts).
V4_MIGRATION: tuple[str, ...] = (
    """CREATE TABLE reads_out (
        sender TEXT NOT NULL,
        mid TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (sender, mid)
    ) WITHOUT ROWID""",
    "CREATE INDEX reads_out_at ON reads_out(at)",
)

#: Statements that take the schema from version N-1 to N.
MIGRATIONS: dict[int, tuple[str, ...]] = {1: V1_DDL, 2: V2_MIGRATION, 3: V3_MIGRATION, 4: V4_MIGRATION}


class HistoryError(Exception):
    """The history file cannot be used; the message says which file and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def describe_error(exc: BaseException, path: Path, doing: str = "use") -> str:
    """One sentence a person understands for a SQLite (or OS) error on `path`."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"The chat history {path} is damaged or is not a lanchat history ({exc}). "
            f"lanchat left it untouched: move it away (or restore a backup) to start a new history."
        )
    if "locked" in text or "busy" in text:
        return (
            f"The chat history {path} is locked by another program (perhaps lanchat is already "
            f"running with this profile). Close it, or use another --profile."
        )
    if "disk is full" in text or "database or disk is full" in text or "no space" in text:
        return (
            f"The disk holding the chat history {path} is full, so lanchat could not {doing} it. "
            f"Free some space; nothing saved earlier is lost."
        )
    if "readonly" in text or "read-only" in text or "permission" in text or "unable to open" in text:
        return (
            f"lanchat may not write the chat history {path} ({exc}). "
            f"Check the permissions of the file and its folder."
        )
    if "i/o error" in text:
        return (
            f"The disk reported an error while lanchat tried to {doing} the chat history {path}. "
            f"Nothing saved earlier is lost; check the disk."
        )
    return f"lanchat could not {doing} the chat history {path}: {exc}."


def _check_readable(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, after reading its header and schema; raises HistoryError."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables:
        raise HistoryError(
            f"{path} is not a lanchat history (it holds other tables). lanchat left it untouched: "
            f"move it away, or use another --profile.",
            path,
        )
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"The chat history {path} was written by a newer lanchat (schema {version}, this one "
            f"knows {SCHEMA_VERSION}). Update lanchat, or use another --profile.",
            path,
        )
    if version >= 1 and "messages" not in tables:
        raise HistoryError(f"The chat history {path} is damaged (no messages table).", path)
    return version


def backup_path(path: Path, version: int) -> Path:
    """`history.sqlite3.bak-v<version>`, or `...-2`, `-3` if that exists already."""
    candidate = path.with_name(f"{path.name}.bak-v{version}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-v{version}-{n}")
        n += 1
    return candidate


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = private_file(backup_path(path, version))
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    log.info("backed up %s (schema %d) to %s before migrating", path, version, target)
    return target


def migrate(conn: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target` in one transaction; returns the version found."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version + 1, target + 1):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            log.info("migrated %s to schema %d", path, step)
        if version < target:
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version


def open_write_connection(
    path: Path, busy_timeout: float = 5.0, target: int = SCHEMA_VERSION
) -> sqlite3.Connection:
    """Open (create, migrate) the database for the one writer.

    Raises:
        HistoryError: the file is damaged, foreign, newer, locked or unwritable.
    """
    conn: sqlite3.Connection | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        private_file(path)  # its -wal and -shm get the same owner-only mode
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        version = _check_readable(conn, path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise HistoryError(f"The chat history {path} cannot use write-ahead logging ({mode}).", path)
        # FULL: a commit survives a power cut, because an incoming message is
        # acked (and dropped by its sender) as soon as it is committed.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = FAST")
        if 1 <= version < target:
            _backup(conn, path, version)
        migrate(conn, path, target)
        return conn
    except HistoryError:
        if conn is not None:
            conn.close()
        raise
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        raise HistoryError(describe_error(exc, path, "open"), path) from exc


def open_read_connection(path: Path, busy_timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection (for reader threads and `lanchat history`).

    Raises:
        HistoryError: the file is missing, damaged, foreign or newer.
    """
    if not path.is_file():
        raise HistoryError(f"There is no chat history at {path}.", path)
    conn: sqlite3.Connection | None = None
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA query_only = ON")
        _check_readable(conn, path)
        return conn
    except HistoryError:
        if conn is not None:
            conn.close()
        raise
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        raise HistoryError(describe_error(exc, path, "read"), path) from exc


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def in_transaction(conn: sqlite3.Connection, work: Callable[[], T]) -> T:
    """Run `work` inside a deferred read transaction (one consistent snapshot)."""
    conn.execute("BEGIN")
    try:
        return work()
    finally:
        conn.execute("COMMIT")
