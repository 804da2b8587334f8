"""What the window needs of a running lanchat (`lanchat.app.Runtime`), without importing it."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from lanchat.core.contacts import ContactBook, Status
from lanchat.core.history.store import HistoryStore
from lanchat.core.messaging import MessagingService
from lanchat.core.notices import Notices
from lanchat.core.settings import Settings
from lanchat.core.transfers.service import TransferService
from lanchat.ui.share_api import Shares


class IdentityApi(Protocol):
    @property
    def id(self) -> str: ...


class OptionsApi(Protocol):
    @property
    def profile(self) -> Path: ...


class RuntimeApi(Protocol):
    """The parts of `lanchat.app.Runtime` the window uses."""

    @property
    def options(self) -> OptionsApi: ...

    @property
    def identity(self) -> IdentityApi: ...

    @property
    def pasted_folder(self) -> Path: ...

    @property
    def small_copies_folder(self) -> Path: ...

    @property
    def browser(self) -> Shares | None: ...

    name: str
    contacts: ContactBook
    store: HistoryStore
    messaging: MessagingService
    transfers: TransferService
    notices: Notices
    settings: Settings

    def set_status(self, status: Status) -> None: ...

    def set_name(self, name: str) -> None: ...

    def apply_settings(self) -> None: ...
