"""What lanchat keeps only for a while goes at start and once a day.

- remembered mids and tids older than 7 days (HistoryStore.prune);
- transfers untouched for 7 days are cancelled (reason `expired`), and
  `.lanchat-partial/` keeps folders only for transfers still held;
- pasted pictures (kept in the profile to be sent from) after 30 days,
  unless a transfer of this run may still send them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.service import TransferService

log = logging.getLogger("lanchat.core.housekeeping")

DAY_SECONDS = 24 * 3600
PASTED_DIR = "pasted"  # in the profile
PASTED_DAYS = 30


class Housekeeping(QObject):
    """Runs `tidy` at start and every day after (main thread)."""

    def __init__(
        self,
        store: HistoryStore,
        transfers: TransferService,
        downloads: DownloadFolder,
        pasted: Path,
        clock: Clock = SYSTEM_CLOCK,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._transfers = transfers
        self._downloads = downloads
        self._pasted = pasted
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(DAY_SECONDS * 1000)
        self._timer.timeout.connect(self.tidy)

    def start(self) -> None:
        self.tidy()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def tidy(self) -> None:
        self._store.prune()
        expired = self._transfers.expire_stale()
        partials = self._downloads.remove_unused_partials()
        pasted = self._remove_old_pasted()
        log.info("tidied: %d stale transfers, %d partial entries, %d pasted pictures", len(expired), partials, pasted)

    def _remove_old_pasted(self) -> int:
        cutoff = self._clock.now() - PASTED_DAYS * DAY_SECONDS
        needed = self._transfers.sources_in_use()
        removed = 0
        try:
            entries = list(os.scandir(self._pasted))
        except (FileNotFoundError, NotADirectoryError):
            return 0
        for entry in entries:
            try:
                if (entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff
                        and Path(entry.path) not in needed):
                    os.unlink(entry.path)
                    removed += 1
            except OSError as e:
                log.info("cannot remove %s: %s", entry.path, e.strerror)
        return removed
