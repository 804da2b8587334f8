"""One bridge for notices people should see (after qutebrowser's `message`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("lanchat.core.notices")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Notice:
    level: Level
    code: str  # a stable machine-readable code, e.g. "port-fallback", "bad-frame"
    text: str  # one sentence a person understands
    peer: str | None = None


class Notices(QObject):
    """Collects notices; keeps them until someone listens (the window or headless)."""

    posted = Signal(Notice)

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[Notice] = []
        self._listening = False

    def post(self, level: Level, code: str, text: str, peer: str | None = None) -> None:
        notice = Notice(level, code, text, peer)
        log.info("%s: %s", code, text)
        if self._listening:
            self.posted.emit(notice)
        else:
            self._pending.append(notice)

    def listen(self) -> list[Notice]:
        """Start emitting `posted`; returns the notices posted before this."""
        self._listening = True
        pending, self._pending = self._pending, []
        return pending
