"""The history store: messages, outbox, contacts, rooms and transfers in SQLite."""

from lanchat.core.history.records import (
    ContactRecord,
    Direction,
    EntryKind,
    FileRecord,
    IncomingSaved,
    MessageChanged,
    MessageRecord,
    MessageState,
    RoomRecord,
    TransferRecord,
)
from lanchat.core.history.schema import DB_FILENAME, SCHEMA_VERSION, HistoryError
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.state import TransferState

__all__ = [
    "DB_FILENAME",
    "SCHEMA_VERSION",
    "ContactRecord",
    "Direction",
    "EntryKind",
    "FileRecord",
    "HistoryError",
    "HistoryStore",
    "IncomingSaved",
    "MessageChanged",
    "MessageRecord",
    "MessageState",
    "RoomRecord",
    "TransferRecord",
    "TransferState",
]
