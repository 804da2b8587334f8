"""What the window needs of a running lanchat (app.Runtime), without importing app."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from lanchat.core.contacts import ContactBook
from lanchat.core.history.store import HistoryStore
from lanchat.core.messaging import MessagingService
from lanchat.core.notices import Notices
from lanchat.core.settings import Settings
from lanchat.transports.lanchat.protocol.presence import Status


class IdentityApi(Protocol):
    @property
    def id(self) -> str: ...


class OptionsApi(Protocol):
    @property
    def profile(self) -> Path: ...


class RuntimeApi(Protocol):
    """The parts of `lanchat.app.Runtime` the window uses."""

    options: Any
    identity: Any
    name: str
    port: int
    contacts: ContactBook
    store: HistoryStore
    messaging: MessagingService
    notices: Notices
    settings: Settings

    def set_status(self, status: Status) -> None: ...

    def set_name(self, name: str) -> None: ...

    def apply_settings(self) -> None: ...


def transfers_of(runtime: RuntimeApi) -> Any | None:
    """The TransferService when this build has one, else None (its buttons show disabled)."""
    return getattr(runtime, "transfers", None)
