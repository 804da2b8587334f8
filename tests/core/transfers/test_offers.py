"""Which well-formed offers are rejected, and why (docs/protocol.md §3.3, §5), on every network.

`offer_problem` takes a decoded `Offer`; the same rules reached through the
decoder (fed three ways) are rows of test_codec.py's table.
"""

from __future__ import annotations

import pytest

from lanchat.core.transfers.offers import (
    MAX_FILES,
    MAX_THUMB_BYTES,
    Offer,
    OfferedFile,
    OfferKind,
    RejectReason,
    offer_problem,
)

TID = "fedcba9876543210" * 2


def make(*paths: str, kind: OfferKind = OfferKind.FILES, size: int = 10, thumb: bytes | None = None) -> Offer:
    return Offer(TID, kind, tuple(OfferedFile(p, size) for p in paths), thumb)


@pytest.mark.parametrize(
    "offer",
    [
        pytest.param(make("a.txt"), id="one-file"),
        pytest.param(make("photo.jpg", kind=OfferKind.IMAGE, thumb=bytes(MAX_THUMB_BYTES)),
                     id="image-24KiB-thumb"),
        pytest.param(make(*(f"d/f{i}" for i in range(MAX_FILES))), id="1000-files"),
        pytest.param(make("empty", size=0), id="empty-file"),
        pytest.param(make("huge", size=2**53 - 1), id="huge-file-no-limit"),
    ],
)
def test_acceptable_offer(offer: Offer) -> None:
    assert offer_problem(offer) is None


@pytest.mark.parametrize(
    ("offer", "reason"),
    [
        pytest.param(make(*(f"f{i}" for i in range(MAX_FILES + 1))), RejectReason.TOO_LARGE, id="1001-files"),
        pytest.param(make("a.jpg", kind=OfferKind.IMAGE, thumb=bytes(MAX_THUMB_BYTES + 1)),
                     RejectReason.TOO_LARGE, id="thumb-24KiB+1"),
        pytest.param(make("a.jpg", "b.jpg", kind=OfferKind.IMAGE), RejectReason.BAD_OFFER,
                     id="image-2-files"),
        pytest.param(make(kind=OfferKind.IMAGE), RejectReason.BAD_OFFER, id="image-0-files"),
        pytest.param(make("../etc/passwd"), RejectReason.BAD_PATH, id="bad-path"),
        pytest.param(make("A.txt", "a.txt"), RejectReason.BAD_PATH, id="duplicate"),
        pytest.param(make("x", "x/y"), RejectReason.BAD_PATH, id="file-and-folder"),
        # precedence when several apply: limits first, then the shape, then the paths
        pytest.param(make(*(["../x"] * 1001)), RejectReason.TOO_LARGE, id="too-many-and-bad-paths"),
        pytest.param(make("/a", "/b", kind=OfferKind.IMAGE), RejectReason.BAD_OFFER, id="image-2-bad-paths"),
    ],
)
def test_rejected_offer(offer: Offer, reason: RejectReason) -> None:
    problem = offer_problem(offer)
    assert problem is not None
    assert problem.reason is reason
    assert problem.detail


def test_receiver_file_size_limit() -> None:
    offer = Offer(TID, OfferKind.FILES, (OfferedFile("small", 100), OfferedFile("big", 1001)))
    assert offer_problem(offer) is None
    assert offer_problem(offer, max_file_size=1001) is None
    problem = offer_problem(offer, max_file_size=1000)
    assert problem is not None and problem.reason is RejectReason.TOO_LARGE
