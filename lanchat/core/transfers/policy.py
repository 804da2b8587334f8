"""The accept policy: which incoming offers are taken at once, refused, or left for a person (docs/cli.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from lanchat.core.transfers.offers import Offer, OfferKind
from lanchat.core.transfers.pictures import AUTO_ACCEPT_SUFFIXES

DEFAULT_AUTO_ACCEPT_BYTES = 25 * 1000 * 1000
DAILY_PICTURE_BYTES = 64 * 1024 * 1024  # from one known contact, in 24 hours


class AcceptMode(StrEnum):
    """`--accept`: auto takes every offer, never refuses every one, ask decides by the rules below."""

    AUTO = "auto"
    ASK = "ask"
    NEVER = "never"


class Decision(Enum):
    ACCEPT = "accept"
    ACCEPT_PICTURE = "accept-picture"  # accepted as a picture: its bytes must decode as one
    DECLINE = "decline"
    ASK = "ask"  # a person decides (the window asks; headless waits for a command)


@dataclass(frozen=True)
class SenderFacts:
    """What is known about the sender of an offer when it comes."""

    known: bool  # a known contact (docs/cli.md)
    recent_bytes: int  # accepted from it in the last 24 hours
    suspect: bool  # it once sent a "picture" that was not one


@dataclass(frozen=True)
class AcceptPolicy:
    mode: AcceptMode = AcceptMode.ASK
    auto_accept_bytes: int = DEFAULT_AUTO_ACCEPT_BYTES

    def decide(self, offer: Offer, sender: SenderFacts) -> Decision:
        """With `ask`, one picture from a known contact is taken at once when it is small enough, its name
        says picture, and that contact has not sent 64 MiB in the last 24 hours; everything else waits."""
        if self.mode is AcceptMode.AUTO:
            return Decision.ACCEPT
        if self.mode is AcceptMode.NEVER:
            return Decision.DECLINE
        if self._picture_at_once(offer, sender):
            return Decision.ACCEPT_PICTURE
        return Decision.ASK

    def _picture_at_once(self, offer: Offer, sender: SenderFacts) -> bool:
        if not sender.known or sender.suspect or offer.kind is not OfferKind.IMAGE or len(offer.files) != 1:
            return False
        file = offer.files[0]
        return (
            not file.folder
            and file.path.lower().endswith(AUTO_ACCEPT_SUFFIXES)
            and file.size <= self.auto_accept_bytes
            and sender.recent_bytes + file.size <= DAILY_PICTURE_BYTES
        )
