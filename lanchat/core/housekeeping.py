"""What lanchat keeps only for a while goes at start and once a day.

- remembered mids and tids older than 7 days (HistoryStore.prune);
- transfers untouched for 7 days are cancelled (reason `expired`), and
  `.lanchat-partial/` keeps folders only for transfers still held;
- pasted pictures (kept in the profile to be sent from) after 30 days,
  unless a transfer of this run may still send them;
- small copies of pictures (made for the window) after 30 days: they are
  made again when needed.
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
SMALL_COPIES_DIR = "thumbnails"  # in the profile
PASTED_DAYS = 30


class Housekeeping(QObject):
    """Runs `tidy` at start and every day after (main thread)."""

    def __init__(
        self,
        store: HistoryStore,
        transfers: TransferService,
        downloads: DownloadFolder,
        pasted: Path,
        small_copies: Path,
        clock: Clock = SYSTEM_CLOCK,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._transfers = transfers
        self._downloads = downloads
        self._pasted = pasted
        self._small_copies = small_copies
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
        cutoff = self._clock.now() - PASTED_DAYS * DAY_SECONDS
        pasted = _remove_older(self._pasted, cutoff, keep=self._transfers.sources_in_use())
        small = _remove_older(self._small_copies, cutoff, keep=set())
        log.info("tidied: %d stale transfers, %d partial entries, %d pasted pictures, %d small copies",
                 len(expired), partials, pasted, small)


def _remove_older(folder: Path, cutoff: float, keep: set[Path]) -> int:
    """Remove the files of `folder` last changed before `cutoff` (seconds) but those in `keep`."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        try:
            if (entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff
                    and Path(entry.path) not in keep):
                os.unlink(entry.path)
                removed += 1
        except OSError as e:
            log.info("cannot remove %s: %s", entry.path, e.strerror)
    return removed
