"""How a key's fingerprint is shown to people, to compare in person (docs/protocol.md §1)."""

from __future__ import annotations

import re

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def short_fingerprint(key_id: str) -> str:
    """The first 20 hex characters of a 64-hex id, upper case, in groups of four.

    Raises:
        ValueError: `key_id` is not 64 hex characters.
    """
    if _HEX64.fullmatch(key_id) is None:
        raise ValueError("not an id")
    head = key_id[:20].upper()
    return " ".join(head[i : i + 4] for i in range(0, 20, 4))


def long_fingerprint(key_id: str) -> str:
    """The whole id, upper case, in groups of four.

    Raises:
        ValueError: `key_id` is not 64 hex characters.
    """
    if _HEX64.fullmatch(key_id) is None:
        raise ValueError("not an id")
    upper = key_id.upper()
    return " ".join(upper[i : i + 4] for i in range(0, 64, 4))
