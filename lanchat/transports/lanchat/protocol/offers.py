"""Whether to reject a well-formed offer (PROTOCOL.md §3.3), and with which reason."""

from __future__ import annotations

from dataclasses import dataclass

from lanchat.transports.lanchat.protocol.frames import Offer, OfferKind, RejectReason
from lanchat.transports.lanchat.protocol.paths import paths_problem

MAX_FILES = 1000
MAX_THUMB_BYTES = 24 * 1024


@dataclass(frozen=True)
class OfferProblem:
    reason: RejectReason
    detail: str


def offer_problem(offer: Offer, max_file_size: int | None = None) -> OfferProblem | None:
    """The `reject` an offer earns before anyone is asked, or None.

    Args:
        offer: a well-formed offer.
        max_file_size: the largest file this receiver takes, if limited.
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
