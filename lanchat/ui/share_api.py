"""What the share dialog needs of the runtime's browser transport (the window imports no transport)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance

from lanchat.core.settings import Settings


class OpenShare(Protocol):
    """An open share (transports/browser ShareInfo)."""

    @property
    def id(self) -> str: ...
    @property
    def urls(self) -> tuple[str, ...]: ...
    @property
    def receive(self) -> bool: ...
    @property
    def given(self) -> tuple[str, ...]: ...
    @property
    def pin(self) -> str: ...
    @property
    def accept_all(self) -> bool: ...
    @property
    def https(self) -> bool: ...
    @property
    def fingerprint(self) -> str | None: ...


class DownloadSeen(Protocol):
    """Bytes of a given file going to a browser (transports/browser DownloadProgress)."""

    @property
    def share_id(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def ip(self) -> str: ...
    @property
    def sent(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def ended(self) -> bool: ...
    @property
    def complete(self) -> bool: ...


class Shares(Protocol):
    """The browser transport: opens and closes shares, says when one ends and what is downloaded."""

    share_closed: SignalInstance
    download_progress: SignalInstance

    def open_share(self, receive: bool, give: Sequence[Path] = (), pin: str = "", accept_all: bool = False,
                   https: bool = False) -> OpenShare: ...

    def close_share(self, share_id: str, reason: str = "closed") -> bool: ...


class ShareRuntime(Protocol):
    """The parts of `lanchat.app.Runtime` the share dialog uses."""

    @property
    def browser(self) -> Shares | None: ...

    settings: Settings
