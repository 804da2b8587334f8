"""Field checks shared by frames and presence datagrams (docs/protocol.md §3, §5)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, TypeGuard

from lanchat.transports.lanchat.protocol.errors import ErrorCode

MAX_SAFE_INT = 2**53

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class FieldError(ValueError):
    """A field of a frame is missing or invalid; `code` says which error it earns."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.BAD_FRAME) -> None:
        super().__init__(message)
        self.code = code


def get(header: dict[str, Any], key: str) -> Any:
    """The value of a required field."""
    try:
        return header[key]
    except KeyError:
        raise FieldError(f"missing field {key!r}") from None


def is_int(value: Any) -> TypeGuard[int]:
    """True for a JSON integer (bool is not one)."""
    return type(value) is int


def int_field(header: dict[str, Any], key: str, low: int = 0, high: int = MAX_SAFE_INT - 1) -> int:
    value = get(header, key)
    if not is_int(value) or not low <= value <= high:
        raise FieldError(f"{key!r} must be an integer in {low}..{high}")
    return int(value)


def bool_field(header: dict[str, Any], key: str) -> bool:
    value = get(header, key)
    if not isinstance(value, bool):
        raise FieldError(f"{key!r} must be true or false")
    return value


def str_field(header: dict[str, Any], key: str) -> str:
    value = get(header, key)
    if not isinstance(value, str):
        raise FieldError(f"{key!r} must be a string")
    return value


def is_hex32(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and _HEX32.fullmatch(value) is not None


def is_hex64(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def hex32_field(header: dict[str, Any], key: str) -> str:
    value = get(header, key)
    if not is_hex32(value):
        raise FieldError(f"{key!r} must be 32 lowercase hex characters")
    return str(value)


def hex64_field(header: dict[str, Any], key: str, code: ErrorCode = ErrorCode.BAD_FRAME) -> str:
    """A 64-hex field; missing or invalid, it earns `code`."""
    value = header.get(key)
    if not is_hex64(value):
        raise FieldError(f"{key!r} must be 64 lowercase hex characters", code)
    return str(value)


def label_field(header: dict[str, Any], key: str, low: int = 1, high: int = 64) -> str:
    """A name-like string of `low`..`high` characters (code points)."""
    value = str_field(header, key)
    if not low <= len(value) <= high:
        raise FieldError(f"{key!r} must be {low}..{high} characters")
    return value


def b64decode(value: str) -> bytes:
    """Strict standard base64 (padding required, no stray characters)."""
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise FieldError("not valid base64") from None


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
