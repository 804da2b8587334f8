"""JSON with the rules of docs/protocol.md §3.1: parse strictly, dump as raw UTF-8."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
MAX_INT = 2**53


class JSONRuleError(ValueError):
    """The text is not JSON, or breaks one of the protocol's JSON rules."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise JSONRuleError("duplicate key")
    return obj


def _reject_constant(name: str) -> Any:
    raise JSONRuleError(f"{name} is not allowed")


def _parse_int(text: str) -> int:
    value = int(text)
    if not -MAX_INT <= value <= MAX_INT:
        raise JSONRuleError("integer outside ±2^53")
    return value


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRuleError("number out of range")
    return value


def _check(value: Any, depth: int) -> None:
    """Check nesting depth and that every string is valid Unicode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise JSONRuleError("unpaired surrogate") from None
    elif isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            raise JSONRuleError(f"nesting deeper than {MAX_DEPTH}")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                _check(key, depth)
            _check(item, depth + 1)


def loads(data: bytes) -> Any:
    """Parse UTF-8 JSON bytes under the protocol's rules.

    Raises:
        JSONRuleError: invalid UTF-8 or JSON, a duplicate key, NaN/Infinity,
            an integer beyond ±2^53, an unpaired surrogate, or depth > 32.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JSONRuleError("not UTF-8") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except RecursionError:
        raise JSONRuleError(f"nesting deeper than {MAX_DEPTH}") from None
    except JSONRuleError:
        raise
    except ValueError as e:
        raise JSONRuleError(f"not JSON: {e}") from None
    _check(value, 0)
    return value


def dumps(value: Any) -> bytes:
    """Serialise compactly; non-ASCII stays raw UTF-8 (control chars escaped).

    Raises:
        ValueError: the value holds NaN/Infinity or an unpaired surrogate.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")
