"""The life of a transfer as one table: which event moves which state where (after h11's `_state.py`).

A state has a row of the events it takes; an event missing from the row
does not apply (a late answer for a transfer that has ended, a click racing
a remote cancel) and changes nothing.
"""

from __future__ import annotations

from enum import Enum, StrEnum


class TransferState(StrEnum):
    """Where a transfer is; `progress` is shown, never stored (history keeps `accepted`)."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    PROGRESS = "progress"
    REJECTED = "rejected"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in FINISHED

    @property
    def moving(self) -> bool:
        """Accepted and not ended: bytes may flow (a cancel applies, a progress bar shows)."""
        return self in (TransferState.ACCEPTED, TransferState.PROGRESS)


class TransferEvent(Enum):
    ACCEPT = "accept"  # the receiver accepted (again, when resuming)
    REJECT = "reject"
    START = "start"  # bytes are moving
    CUT = "cut"  # the connection ended before every file: wait to resume
    FINISH = "finish"  # every file arrived intact
    FAIL = "fail"
    CANCEL = "cancel"  # either side cancelled
    RETRY = "retry"  # the sender offers a failed transfer again


S, E = TransferState, TransferEvent

TRANSITIONS: dict[TransferState, dict[TransferEvent, TransferState]] = {
    S.OFFERED: {E.ACCEPT: S.ACCEPTED, E.REJECT: S.REJECTED, E.FINISH: S.DONE, E.FAIL: S.FAILED,
                E.CANCEL: S.CANCELLED},
    S.ACCEPTED: {E.ACCEPT: S.ACCEPTED, E.START: S.PROGRESS, E.CUT: S.ACCEPTED, E.FINISH: S.DONE,
                 E.FAIL: S.FAILED, E.CANCEL: S.CANCELLED},
    S.PROGRESS: {E.ACCEPT: S.ACCEPTED, E.START: S.PROGRESS, E.CUT: S.ACCEPTED, E.FINISH: S.DONE,
                 E.FAIL: S.FAILED, E.CANCEL: S.CANCELLED},
    S.FAILED: {E.RETRY: S.OFFERED, E.ACCEPT: S.ACCEPTED},
    S.REJECTED: {},
    S.DONE: {},
    S.CANCELLED: {},
}

FINISHED = frozenset({S.REJECTED, S.DONE, S.FAILED, S.CANCELLED})
#: States a transfer may still leave by itself: picked up again after a restart.
UNFINISHED = (S.OFFERED, S.ACCEPTED, S.PROGRESS)


def next_state(state: TransferState, event: TransferEvent) -> TransferState | None:
    """The state `event` leads to from `state`, or None when it does not apply."""
    return TRANSITIONS[state].get(event)
