"""A transfer in words: its state (never a raw code), speed, time left, and the names it is shown under."""

from __future__ import annotations

import math
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication

from lanchat.core.history.records import Direction
from lanchat.core.transfers.offers import FileFailure, RejectReason
from lanchat.core.transfers.service import EXPIRED
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferFile, TransferView
from lanchat.ui.untrusted import clean_file_name, human_size

#: The reason `TransferService` gives a cancel that came from the other side.
CANCELLED_BY_PEER = "cancelled by the other side"

translate = QCoreApplication.translate  # the context stays "TransferCards": the translations are kept


def speed_text(bps: float) -> str:
    return human_size(int(bps)) + "/s"


def eta_text(seconds: float | None) -> str:
    """Time left in words; rounded up, so a transfer that is not done never says "0 s"."""
    if seconds is None:
        return ""
    s = max(1, math.ceil(seconds))
    if s < 60:
        return translate("TransferCards", "{0} s left").format(s)
    if s < 3600:
        return translate("TransferCards", "{0} min left").format(s // 60 + (1 if s % 60 >= 30 else 0))
    return translate("TransferCards", "{0} h {1} min left").format(s // 3600, (s % 3600) // 60)


def state_text(view: TransferView, who: str = "", online: bool = True) -> str:
    """The state of a transfer in words (never a raw code); `who` is the other side's name."""
    state, incoming = view.state, view.direction is Direction.IN
    who = who or translate("TransferCards", "they")
    if state is TransferState.OFFERED:
        if incoming:
            return (
                translate("TransferCards", "Wants to send you this")
                if view.needs_decision
                else translate("TransferCards", "Offered")
            )
        if not online:
            return translate("TransferCards", "{0} is offline: will send when {0} is back").format(who)
        return translate("TransferCards", "Waiting for {0} to accept…").format(who)
    if state is TransferState.REJECTED:
        return _rejected_text(view.reason, incoming, who)
    if state is TransferState.FAILED:
        return _failed_text(view.reason)
    if state is TransferState.CANCELLED:
        if view.reason == CANCELLED_BY_PEER:
            return translate("TransferCards", "{0} cancelled").format(who)
        if view.reason == EXPIRED:
            return translate("TransferCards", "Cancelled: nothing happened to it for 7 days")
        return translate("TransferCards", "You cancelled")
    return {
        TransferState.ACCEPTED: translate("TransferCards", "Starting…"),
        TransferState.DONE: translate("TransferCards", "Received") if incoming else translate("TransferCards", "Sent"),
        TransferState.PROGRESS: "",
    }[state]


def _rejected_text(reason: str | None, incoming: bool, who: str) -> str:
    if incoming:
        if reason == RejectReason.NO_SPACE:
            return translate("TransferCards", "Not saved: there is not enough free space")
        if reason == "io-error":
            return translate("TransferCards", "Not saved: the download folder cannot be used")
        return translate("TransferCards", "Declined")
    sentences: dict[str, str] = {
        RejectReason.NO_SPACE: translate("TransferCards", "{0} has no room for it: their disk is full"),
        RejectReason.BUSY: translate("TransferCards", "{0} is busy with other transfers; try again later"),
        RejectReason.TOO_LARGE: translate("TransferCards", "Too large for {0} to accept"),
        RejectReason.BAD_PATH: translate("TransferCards", "{0}'s lanchat refused a file name in it"),
        RejectReason.BAD_OFFER: translate("TransferCards", "{0}'s lanchat refused it as not valid"),
    }
    return sentences.get(reason or "", translate("TransferCards", "{0} declined")).format(who)


def _failed_text(reason: str | None) -> str:
    sentences: dict[str, str] = {
        FileFailure.HASH_MISMATCH: translate("TransferCards", "Failed: it arrived damaged"),
        FileFailure.NO_SPACE: translate("TransferCards", "Failed: the disk is full"),
        FileFailure.IO_ERROR: translate("TransferCards", "Failed: it could not be written to disk"),
        FileFailure.NOT_A_PICTURE: translate("TransferCards", "Deleted: it was not a real picture"),
    }
    return sentences.get(reason or "", translate("TransferCards", "Failed"))


def shown_name(file: TransferFile) -> str:
    """A file's name as saved (a second `a.png` is saved as `a (1).png`), else as offered."""
    name = file.path.rsplit("/", 1)[-1]
    if file.saved_as:
        name = PurePath(file.saved_as).name
    return clean_file_name(name)


def shown_top(file: TransferFile) -> str:
    """The top folder of a file of a folder offer, as saved (`project_folder (1)`), else as offered."""
    parts = file.path.split("/")
    if file.saved_as and len(PurePath(file.saved_as).parts) >= len(parts):
        return clean_file_name(PurePath(file.saved_as).parts[-len(parts)])
    return clean_file_name(parts[0])


def transfer_title(view: TransferView) -> str:
    """A transfer's name as saved: the file, the folder with its count, or the first file and how many more."""
    files = view.files
    if not files:
        return translate("TransferCards", "Files")
    first = shown_name(files[0])
    if len(files) == 1:
        return first
    offered_top = files[0].path.split("/", 1)[0]
    if all(f.path.startswith(offered_top + "/") for f in files):
        return translate("TransferCards", "{0} (folder, {1} files)").format(shown_top(files[0]), len(files))
    return translate("TransferCards", "{0} and {1} more").format(first, len(files) - 1)
