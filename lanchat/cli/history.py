"""`lanchat history [--profile DIR] [--with NAME|ID] --format json|html|txt` (docs/cli.md)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from lanchat.cli.exit_codes import Exit
from lanchat.core.history import export, queries
from lanchat.core.history.schema import DB_FILENAME, HistoryError, describe_error, open_read_connection
from lanchat.core.profile import default_profile_dir


class _NotFound(Exception):
    """--with names no contact or room, or more than one."""


def _resolve_chat(conn: sqlite3.Connection, wanted: str) -> str:
    """The chat id --with means: an id (contact, room or chat), else a unique contact or room name."""
    names = queries.contact_names(conn)
    room_names = {r.id: r.name for r in queries.rooms(conn)}
    key = wanted.strip()
    if key.lower() in names or key.lower() in room_names:
        return key.lower()
    if conn.execute("SELECT 1 FROM messages WHERE chat = ? LIMIT 1", (key,)).fetchone() is not None:
        return key
    folded = key.casefold()
    matches = sorted(
        {i for i, n in names.items() if n.casefold() == folded}
        | {i for i, n in room_names.items() if n.casefold() == folded}
    )
    if not matches:
        raise _NotFound(f"no contact or room called {wanted!r} in this history")
    if len(matches) > 1:
        raise _NotFound(
            f"{wanted!r} is ambiguous: {len(matches)} contacts or rooms have that name; "
            f"use an id instead: {', '.join(matches)}"
        )
    return matches[0]


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a console that cannot show everything: write UTF-8 bytes
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _render(conn: sqlite3.Connection, chat: str | None, fmt: str) -> str:
    names = queries.contact_names(conn)
    room_names = {r.id: r.name for r in queries.rooms(conn)}
    records = queries.iter_messages(conn, chat)
    if fmt == "json":
        return export.render_json(records, names)
    if fmt == "html":
        return export.render_html(records, names, room_names)
    return export.render_txt(records, names, room_names)


def run_history(profile: Path | None, with_: str | None, fmt: str) -> int:
    """Print the history of a profile; 0 done, 1 no usable history, 3 --with not found or ambiguous."""
    profile = profile or default_profile_dir()
    path = profile / DB_FILENAME
    try:
        conn = open_read_connection(path)
    except HistoryError as exc:
        print(f"lanchat history: {exc}", file=sys.stderr)
        return Exit.FAILED
    try:
        conn.execute("BEGIN")  # one snapshot, while lanchat may be writing
        chat = _resolve_chat(conn, with_) if with_ else None
        text = _render(conn, chat, fmt)
        conn.execute("COMMIT")
    except _NotFound as exc:
        print(f"lanchat history: {exc}", file=sys.stderr)
        return Exit.NOT_FOUND
    except sqlite3.Error as exc:
        print(f"lanchat history: {describe_error(exc, path, 'read')}", file=sys.stderr)
        return Exit.FAILED
    finally:
        conn.close()
    _write(text)
    return Exit.OK
