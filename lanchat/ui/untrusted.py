"""Text from the network, shown literally: no HTML, no bidi overrides, no terminal escapes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Bidirectional embeddings, overrides and isolates (they can make "gpj.exe" read "exe.jpg").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
#: ANSI/VT escape sequences (CSI ... final byte, OSC ... BEL/ST, and lone ESC x).
ANSI_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
URL = re.compile(
    r"""(?:(?:https?|ftp)://|www\.)[^\s<>"'\u3000-\u303f\uff00-\uffef]+""",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"»”’"


def clean_name(text: str, limit: int = 64) -> str:
    """A contact or group name for one line: no controls, no bidi overrides, trimmed."""
    text = ANSI_ESCAPES.sub("", text)
    text = BIDI_CONTROLS.sub("", text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    return text[:limit] or "?"


def clean_file_name(path: str) -> str:
    """A received file name made safe to show: escapes and overrides removed, controls shown as �."""
    text = ANSI_ESCAPES.sub("", path)
    text = BIDI_CONTROLS.sub("", text)
    return "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)


def clean_message(text: str) -> str:
    """A message body: overrides and escapes removed, line breaks and tabs kept."""
    text = ANSI_ESCAPES.sub("", text)
    text = BIDI_CONTROLS.sub("", text)
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else "\ufffd" for ch in text
    )


@dataclass(frozen=True)
class Span:
    """A piece of a message: plain text, or a link with the address it opens."""

    text: str
    href: str | None = None


def split_links(text: str) -> list[Span]:
    """Cut `text` into plain and link spans (links found by us, never by rendering the sender's markup)."""
    spans: list[Span] = []
    at = 0
    for match in URL.finditer(text):
        raw = match.group(0)
        url = raw.rstrip(_TRAILING)
        if raw[len(url):].startswith(")") and url.count("(") > url.count(")"):
            url += ")"  # a link such as https://en.wikipedia.org/wiki/Qt_(software)
        start, end = match.start(), match.start() + len(url)
        if start > at:
            spans.append(Span(text[at:start]))
        href = url if "://" in url else "http://" + url
        spans.append(Span(url, href))
        at = end
    if at < len(text):
        spans.append(Span(text[at:]))
    return spans


def initials(name: str) -> str:
    """One or two letters for an avatar circle."""
    letters = "".join(ch if ch.isalnum() else " " for ch in clean_name(name))
    words = [w for w in letters.split() if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[1][:1]).upper()


def only_emoji(text: str) -> bool:
    """True for a short message of emoji alone (shown larger)."""
    stripped = "".join(text.split())
    if not stripped or len(stripped) > 12:
        return False
    return all(
        unicodedata.category(ch) == "So" or ch in "\u200d\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF
        for ch in stripped
    )


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"
