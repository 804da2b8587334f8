"""What history says about a sender, for the accept policy: known or not, and how much came lately.

A *known* contact (docs/cli.md) is one we sent a 1:1 message to, accepted a
transfer from, or marked verified; room and Everyone messages do not count.
"""

from __future__ import annotations

import sqlite3


def is_known(conn: sqlite3.Connection, peer: str) -> bool:
    row = conn.execute(
        """SELECT EXISTS (SELECT 1 FROM messages WHERE chat = ? AND room IS NULL AND direction = 'out'
                                                  AND tid IS NULL)
               OR EXISTS (SELECT 1 FROM transfers WHERE peer = ? AND direction = 'in'
                                                  AND state IN ('accepted', 'done', 'failed'))
               OR EXISTS (SELECT 1 FROM contacts WHERE id = ? AND verified = 1)""",
        (peer, peer, peer),
    ).fetchone()
    return bool(row[0])


def accepted_bytes_since(conn: sqlite3.Connection, peer: str, since_ms: int) -> int:
    """The size of every file accepted from `peer` in transfers offered since `since_ms`."""
    row = conn.execute(
        """SELECT COALESCE(SUM(f.size), 0) FROM transfers t JOIN transfer_files f ON f.tid = t.tid
           WHERE t.peer = ? AND t.direction = 'in' AND t.state IN ('accepted', 'done', 'failed')
             AND t.created_at >= ?""",
        (peer, since_ms),
    ).fetchone()
    return int(row[0])
