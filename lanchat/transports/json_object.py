"""One JSON object from UTF-8 bytes, as the HTTP-based networks (LocalSend, browsers) read their bodies.

Pure: no IO. NaN and Infinity, which Python's json accepts, are refused.
"""

from __future__ import annotations

import json
from typing import Any


class NotAnObject(ValueError):
    """The bytes are not UTF-8, not JSON, or not a JSON object."""


def loads_object(data: bytes) -> dict[str, Any]:
    """The JSON object `data` holds.

    Raises:
        NotAnObject: with a sentence saying what is wrong.
    """
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise NotAnObject(f"not JSON: {e}") from None
    if not isinstance(value, dict):
        raise NotAnObject("not a JSON object")
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")
