"""What an offer is on every network, and whether to refuse one before anyone is asked."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lanchat.core.rooms import Room
from lanchat.core.transfers.paths import paths_problem

MAX_FILES = 1000
MAX_THUMB_BYTES = 24 * 1024


class OfferKind(StrEnum):
    IMAGE = "image"  # exactly one picture
    FILES = "files"


class RejectReason(StrEnum):
    """Why an offer was refused (the `reject` reasons of docs/protocol.md §3.3)."""

    DECLINED = "declined"
    BAD_PATH = "bad-path"
    TOO_LARGE = "too-large"
    BAD_OFFER = "bad-offer"
    BUSY = "busy"
    NO_SPACE = "no-space"


class FileFailure(StrEnum):
    """Why one file of an accepted transfer did not arrive (the `done` reasons of §3.4)."""

    HASH_MISMATCH = "hash-mismatch"
    NO_SPACE = "no-space"
    IO_ERROR = "io-error"
    CANCELLED = "cancelled"
    NOT_A_PICTURE = "not-a-picture"  # an auto-accepted picture that is none (said as io-error on the wire)

    @property
    def wire(self) -> str:
        """The `done` reason a sender is told."""
        return FileFailure.IO_ERROR.value if self is FileFailure.NOT_A_PICTURE else self.value


@dataclass(frozen=True)
class OfferedFile:
    """One file of an offer: its relative POSIX path and size in bytes.

    `folder` marks a whole folder whose files are only named as they arrive
    (IP Messenger sends folders that way); `size` is then their total, or 0
    when the sender does not say.
    """

    path: str
    size: int
    folder: bool = False


@dataclass(frozen=True)
class Album:
    """(1.1) Pictures sent together: each is its own `image` offer carrying the same album."""

    id: str  # 32 hex
    n: int  # how many pictures, 1..1000


@dataclass(frozen=True)
class Offer:
    """Files offered under one transfer id, on whatever network."""

    tid: str
    kind: OfferKind
    files: tuple[OfferedFile, ...]
    thumb: bytes | None = None  # a JPEG of a picture, at most 24 KiB
    room: Room | None = None
    album: Album | None = None

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class OfferProblem:
    reason: RejectReason
    detail: str


def offer_problem(offer: Offer, max_file_size: int | None = None) -> OfferProblem | None:
    """The refusal an offer earns before anyone is asked, or None.

    Checked in this order: more than 1000 files, the thumbnail's size, the
    receiver's file-size limit, a picture offer with other than one file,
    then the paths (docs/protocol.md §7).
    """
    if len(offer.files) > MAX_FILES:
        count = len(offer.files)
        return OfferProblem(RejectReason.TOO_LARGE, f"{count} files (at most {MAX_FILES})")
    if offer.thumb is not None and len(offer.thumb) > MAX_THUMB_BYTES:
        return OfferProblem(RejectReason.TOO_LARGE, f"thumbnail over {MAX_THUMB_BYTES} bytes")
    if max_file_size is not None and any(f.size > max_file_size for f in offer.files):
        return OfferProblem(RejectReason.TOO_LARGE, f"a file over {max_file_size} bytes")
    if offer.kind is OfferKind.IMAGE and len(offer.files) != 1:
        return OfferProblem(RejectReason.BAD_OFFER, "an image offer must hold exactly one file")
    problem = paths_problem(f.path for f in offer.files)
    if problem is not None:
        return OfferProblem(RejectReason.BAD_PATH, problem)
    return None
