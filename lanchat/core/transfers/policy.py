"""The accept policy: which incoming offers are taken at once, refused, or left for a person."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from lanchat.core.transfers.offers import Offer, OfferKind

DEFAULT_AUTO_ACCEPT_BYTES = 25 * 1000 * 1000


class AcceptMode(StrEnum):
    """`--accept`: auto takes every offer, never refuses every one, ask decides by the rules below."""

    AUTO = "auto"
    ASK = "ask"
    NEVER = "never"


class Decision(Enum):
    ACCEPT = "accept"
    DECLINE = "decline"
    ASK = "ask"  # a person decides (the window asks; headless waits for a command)


@dataclass(frozen=True)
class AcceptPolicy:
    mode: AcceptMode = AcceptMode.ASK
    auto_accept_bytes: int = DEFAULT_AUTO_ACCEPT_BYTES

    def decide(self, offer: Offer, known_sender: bool) -> Decision:
        """With `ask`, a picture up to the auto-accept size from a known contact is taken at once."""
        if self.mode is AcceptMode.AUTO:
            return Decision.ACCEPT
        if self.mode is AcceptMode.NEVER:
            return Decision.DECLINE
        if known_sender and offer.kind is OfferKind.IMAGE and offer.total_size <= self.auto_accept_bytes:
            return Decision.ACCEPT
        return Decision.ASK
