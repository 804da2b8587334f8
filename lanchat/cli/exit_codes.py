"""Exit codes of `lanchat send` and `lanchat history` (docs/cli.md)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # delivery failed or was rejected; no usable history
    USAGE = 2  # bad arguments
    NOT_FOUND = 3  # contact not found, or the name is ambiguous
    CERT_MISMATCH = 4  # the contact's certificate did not match its announced id
