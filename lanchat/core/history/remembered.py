"""Which remembered contacts have history, and forgetting those without (docs/protocol.md §4).

*History* is a 1:1 message or a transfer, either direction; room and
Everyone messages do not count.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from lanchat.core.history.writes import Emission

_CHUNK = 500

#: Contacts with a 1:1 message (a chat named by the contact's id) or a transfer.
_WITH_HISTORY = """
    SELECT DISTINCT chat FROM messages WHERE room IS NULL AND tid IS NULL
    UNION SELECT DISTINCT peer FROM transfers
"""


def with_history(conn: sqlite3.Connection) -> set[str]:
    """The ids of every contact with history."""
    return {str(row[0]) for row in conn.execute(_WITH_HISTORY)}


def forget(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Emission]:
    """Delete these contacts, but never one that has history (it may have gained some meanwhile)."""
    unique = list(dict.fromkeys(ids))
    removed = 0
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        removed += conn.execute(
            f"DELETE FROM contacts WHERE id IN ({marks}) "
            "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.chat = contacts.id AND m.room IS NULL "
            "AND m.tid IS NULL) AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.peer = contacts.id)",
            chunk,
        ).rowcount
    return [("contacts_changed", None)] if removed else []
