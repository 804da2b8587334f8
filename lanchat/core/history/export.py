"""History as JSON, HTML or plain text (docs/cli.md "History export"); every text is untrusted."""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from lanchat.core.history.records import Direction, MessageRecord

FORMATS = ("json", "html", "txt")


def entry(record: MessageRecord, names: Mapping[str, str]) -> dict[str, Any]:
    """The JSON object of one entry: docs/cli.md's fields, plus `kind` (and `files` for transfers).

    `peer` is the other side: the sender of an incoming entry, the contact of
    an outgoing 1:1 entry, None for an outgoing room entry.
    """
    if record.direction == Direction.IN:
        peer: str | None = record.sender
    else:
        peer = None if record.room is not None else record.chat
    value: dict[str, Any] = {
        "mid": record.mid,
        "peer": peer,
        "peer_name": None if peer is None else names.get(peer),
        "direction": record.direction,
        "room": record.room,
        "ts": record.ts,
        "text": record.text,
        "state": record.state,
        "kind": record.kind,
    }
    if record.files:
        value["files"] = [
            {"path": f.path, "size": f.size, "saved_as": f.saved_as, "sha256": f.sha256} for f in record.files
        ]
    return value


def render_json(records: Iterable[MessageRecord], names: Mapping[str, str]) -> str:
    """One JSON array, in the order given (oldest first), UTF-8 text as is."""
    return json.dumps([entry(r, names) for r in records], ensure_ascii=False, indent=1) + "\n"


def _safe(text: str) -> str:
    """Text safe for a terminal: control characters (but newline and tab) become U+FFFD."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch for ch in text
    )


def _when(ts: int) -> str:
    try:
        return datetime.fromtimestamp(ts / 1000).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(ts)


def _who(record: MessageRecord, names: Mapping[str, str], room_names: Mapping[str, str]) -> str:
    value = entry(record, names)
    other = value["peer_name"] or (value["peer"] or "")[:8]
    where = f"[{room_names.get(record.room, record.room[:8])}] " if record.room is not None else ""
    if record.direction == Direction.IN:
        return f"{where}{other} → me"
    return f"{where}me → {other}" if other else f"{where}me"


def _files_text(record: MessageRecord) -> list[str]:
    lines = []
    for f in record.files:
        where = f" → {f.saved_as}" if f.saved_as else ""
        lines.append(f"{f.path} ({f.size} bytes){where}")
    return lines


def render_txt(
    records: Iterable[MessageRecord], names: Mapping[str, str], room_names: Mapping[str, str]
) -> str:
    """One entry per line (`time  who: text`), continuation lines indented."""
    out = []
    for record in records:
        head = f"{_when(record.ts)}  {_who(record, names, room_names)}"
        state = f" ({record.state})" if record.direction == Direction.OUT or record.files else ""
        body = record.text.split("\n") if record.text else []
        body += [f"[{record.kind}] {line}" for line in _files_text(record)]
        first, rest = (body[0], body[1:]) if body else ("", [])
        out.append(_safe(f"{head}{state}: {first}"))
        out += [_safe("    " + line) for line in rest]
    return "\n".join(out) + ("\n" if out else "")


_HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lanchat history</title>
<style>
body { font-family: sans-serif; max-width: 50em; margin: 1em auto; }
.entry { margin: .4em 0; padding: .3em .6em; border-radius: .4em; background: #f1f1f1; }
.out { background: #dcf0ff; margin-left: 4em; }
.meta { color: #666; font-size: .8em; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>lanchat history</h1>
"""


def render_html(
    records: Iterable[MessageRecord], names: Mapping[str, str], room_names: Mapping[str, str]
) -> str:
    """A standalone HTML page; every text from the database is escaped."""
    parts = [_HTML_HEAD]
    for record in records:
        e = html.escape
        css = "entry out" if record.direction == Direction.OUT else "entry in"
        meta = f"{_when(record.ts)} · {_who(record, names, room_names)} · {record.state}"
        parts.append(f'<div class="{css}" data-mid="{e(record.mid)}">')
        parts.append(f'<div class="meta">{e(meta)}</div>')
        if record.text:
            parts.append(f'<div class="text">{e(record.text)}</div>')
        if record.files:
            parts.append("<ul>")
            parts += [f"<li>{e(line)}</li>" for line in _files_text(record)]
            parts.append("</ul>")
        parts.append("</div>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)
