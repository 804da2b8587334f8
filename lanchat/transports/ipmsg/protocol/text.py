"""Text on the IP Messenger wire: UTF-8 where the peer said so or the bytes are UTF-8, else a legacy code page.

The family's oldest pain: IP Messenger writes CP932 (Japanese), Feiq GBK, and
iptux 0.8.3 writes UTF-8 without saying so in the packet (it announces its
encoding only in its entry's 4th field). Reading: UTF-8 when the packet's
UTF8OPT is set, when the peer announced UTF-8, or when the bytes are valid
UTF-8; otherwise the legacy code page (GB18030, a superset of GBK, unless set
to CP932). Writing: UTF-8 to a peer that can read it, the legacy code page to
any other.
"""

from __future__ import annotations

from enum import StrEnum


class Legacy(StrEnum):
    """The code page for peers that do not read UTF-8."""

    GB18030 = "gb18030"  # Feiq, Chinese IP Messenger (a superset of GBK)
    CP932 = "cp932"  # Japanese IP Messenger


def decode(raw: bytes, utf8: bool, legacy: Legacy = Legacy.GB18030) -> str:
    """Text from a peer: `utf8` when the packet or the peer says UTF-8.

    Never raises: bytes that fit no encoding become U+FFFD.
    """
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(legacy.value, "replace")


def encode(text: str, utf8: bool, legacy: Legacy = Legacy.GB18030) -> bytes:
    """Text for a peer; characters the legacy code page lacks become '?'."""
    if utf8:
        return text.encode("utf-8")
    return text.encode(legacy.value, "replace")


def clean(text: str, limit: int = 64) -> str:
    """A name from the network, cut to `limit` characters, without NUL or control characters."""
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f")[:limit].strip()
