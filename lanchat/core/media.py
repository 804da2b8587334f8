"""The files and pictures of a chat as local files: what the viewer pages through and the media view lists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lanchat.core.history.records import MessageRecord
from lanchat.core.transfers.pictures import is_picture_name


@dataclass(frozen=True)
class MediaItem:
    """One file of a transfer entry that is here on disk."""

    record: MessageRecord
    index: int  # which file of the entry
    path: Path  # saved (incoming) or sent from (outgoing)
    name: str  # the name it was offered under
    size: int

    @property
    def picture(self) -> bool:
        return self.record.kind == "image" or is_picture_name(self.path.name)


def entry_path(record: MessageRecord, index: int = 0) -> Path | None:
    """The local file of a transfer entry, if it is there: what we saved (incoming) or sent from (outgoing)."""
    if index >= len(record.files):
        return None
    file = record.files[index]
    local = file.saved_as if record.direction == "in" else file.source
    return Path(local) if local and Path(local).is_file() else None


def media_items(records: list[MessageRecord]) -> list[MediaItem]:
    """Every file of these entries that is on disk, in their order."""
    items = []
    for record in records:
        for i, file in enumerate(record.files):
            path = entry_path(record, i)
            if path is not None:
                items.append(MediaItem(record, i, path, file.path, file.size))
    return items
