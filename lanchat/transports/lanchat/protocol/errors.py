"""The two protocol error types and the error codes of docs/protocol.md §3.1."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The `code` of an `error` frame."""

    BAD_FRAME = "bad-frame"
    TOO_LARGE = "too-large"
    BAD_VERSION = "bad-version"
    AUTH_FAILED = "auth-failed"
    UNKNOWN_TRANSFER = "unknown-transfer"
    BUSY = "busy"
    NOT_FOUND = "not-found"
    INTERNAL = "internal"


class ProtocolError(Exception):
    """Base of both protocol errors."""


class LocalProtocolError(ProtocolError):
    """We tried to send something the protocol does not allow: a bug of ours."""


class RemoteProtocolError(ProtocolError):
    """The peer sent something the protocol does not allow.

    The connection answers with an `error` frame carrying `code` (and the
    `mid`/`tid` of the frame that caused it, when known), then closes.
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        mid: str | None = None,
        tid: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mid = mid
        self.tid = tid

    def __repr__(self) -> str:
        return f"RemoteProtocolError({self.code.value!r}, {self.message!r})"
