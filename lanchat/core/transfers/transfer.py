"""One transfer's bookkeeping, and the frozen views of it that the window and headless mode read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lanchat.core.history.records import Direction
from lanchat.core.transfers.offers import Offer, OfferKind, RejectReason
from lanchat.core.transfers.state import TransferEvent, TransferState, next_state
from lanchat.core.transfers.stats import TransferStats
from lanchat.core.transport import OfferReply


@dataclass(frozen=True)
class TransferFile:
    """One file as shown: `saved_as` is the name it was saved under (incoming), `ok` None until it ends."""

    path: str
    size: int
    saved_as: str | None = None
    sha256: str | None = None
    ok: bool | None = None


@dataclass(frozen=True)
class TransferView:
    """What the window and headless mode show of one transfer."""

    tid: str
    direction: Direction
    peer: str
    kind: OfferKind
    files: tuple[TransferFile, ...]
    state: TransferState
    bytes_done: int
    total: int
    speed_bps: float = 0.0
    eta_s: float | None = None
    reason: str | None = None
    thumb: bytes | None = None
    room: str | None = None  # the room id of a group transfer
    needs_decision: bool = False
    album: str | None = None  # (1.1) the album id of a picture sent with others


@dataclass
class Transfer:
    """A transfer as the service keeps it (main thread only)."""

    direction: Direction
    peer: str
    offer: Offer
    sources: list[str] = field(default_factory=list)  # outgoing: the local files
    state: TransferState = TransferState.OFFERED
    have: list[int] = field(default_factory=list)  # outgoing: what the receiver holds
    results: dict[int, TransferFile] = field(default_factory=dict)
    reason: str | None = None
    needs_decision: bool = False
    reply: OfferReply | None = None  # incoming: where to answer the offer
    sending: bool = False  # outgoing: its transport is streaming it
    stats: TransferStats | None = None
    sent_base: int = 0  # outgoing: bytes the receiver held when streaming began

    @property
    def tid(self) -> str:
        return self.offer.tid

    @property
    def total(self) -> int:
        return self.offer.total_size

    @property
    def finished(self) -> bool:
        return self.state.finished

    @cached_property
    def unfinished_files(self) -> tuple[TransferFile, ...]:
        """Every file as shown before it ends (made once: a view of 1,000 files reuses them)."""
        return tuple(TransferFile(f.path, f.size) for f in self.offer.files)

    def shown_files(self) -> tuple[TransferFile, ...]:
        """Every file as shown now: its result once it ended."""
        files = list(self.unfinished_files)
        for i, result in self.results.items():
            files[i] = result
        return tuple(files)

    def move(self, event: TransferEvent, reason: str | None = None) -> bool:
        """Take `event` (docs of `state.TRANSITIONS`); False, changing nothing, when it does not apply."""
        new = next_state(self.state, event)
        if new is None:
            return False
        self.state, self.reason = new, reason
        if new.finished:
            self.needs_decision = False
        return True


def reject_reason(reason: str | None) -> RejectReason:
    """The `reject` reason to repeat for an offer we refused earlier for `reason`."""
    if reason == "io-error":  # the folder could not be used: said as no-space at the time
        return RejectReason.NO_SPACE
    known = {r.value for r in RejectReason}
    return RejectReason(reason) if reason in known else RejectReason.DECLINED
