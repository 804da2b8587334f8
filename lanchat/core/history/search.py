"""Finding messages again: FTS5 trigram for 3+ characters, an escaped LIKE below that."""

from __future__ import annotations

import sqlite3

from lanchat.core.history.queries import MESSAGE_COLUMNS, PREFIXED_MESSAGE_COLUMNS, to_messages
from lanchat.core.history.records import MessageRecord

#: The trigram tokenizer indexes every 3 characters; shorter queries cannot use it.
MIN_FTS_CHARS = 3
LIKE_ESCAPE = "\\"


def fts_phrase(query: str) -> str:
    """`query` as one FTS5 phrase (a substring match with the trigram tokenizer)."""
    return '"' + query.replace('"', '""') + '"'


def like_pattern(query: str) -> str:
    """`%query%` with LIKE's wildcards (`%`, `_`) and the escape character escaped."""
    escaped = (
        query.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def search_sql(query: str, chat: str | None) -> tuple[str, tuple[object, ...]]:
    """The statement and parameters `search` runs (newest match first), without LIMIT's value."""
    if len(query) >= MIN_FTS_CHARS:
        sql = (
            f"SELECT {PREFIXED_MESSAGE_COLUMNS} FROM messages_fts f JOIN messages m ON m.id = f.rowid "
            "WHERE messages_fts MATCH ?"
        )
        params: tuple[object, ...] = (fts_phrase(query),)
        if chat is not None:
            sql += " AND m.chat = ?"
            params += (chat,)
        return sql + " ORDER BY f.rowid DESC LIMIT ?", params
    sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE text LIKE ? ESCAPE '{LIKE_ESCAPE}'"
    params = (like_pattern(query),)
    if chat is not None:
        sql += " AND chat = ?"
        params += (chat,)
    return sql + " ORDER BY id DESC LIMIT ?", params


def search(
    conn: sqlite3.Connection, query: str, chat: str | None = None, limit: int = 100
) -> list[MessageRecord]:
    """Entries whose text contains `query` (case-insensitive), newest first.

    Queries of 3 or more characters use the FTS5 trigram index, so any
    substring is found, in any script (`文测试` in `中文测试`); shorter ones
    scan with LIKE (case-insensitive for ASCII only).
    """
    query = query.strip()
    if not query or limit <= 0:
        return []
    sql, params = search_sql(query, chat)
    rows = conn.execute(sql, params + (limit,)).fetchall()
    return to_messages(conn, rows)
