"""Shared by the fuzz targets in tests/fuzz: how long they run, and inputs that reach past the first check.

`make test` runs each target for FUZZ_EXAMPLES inputs (1000 by default: seconds
in all); `make fuzz` runs them far longer (LANCHAT_FUZZ_EXAMPLES, 20000 there).
Inputs are random bytes and, more usefully, valid messages with a few bytes
flipped, inserted, deleted, duplicated or cut off.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_EXAMPLES = int(os.environ.get("LANCHAT_FUZZ_EXAMPLES", "1000"))

fuzz = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@st.composite
def _mutated(draw: st.DrawFn, seeds: Sequence[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "set", "insert", "delete", "repeat", "cut"]))
        if action == "flip" and where < len(data):
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "set" and where < len(data):
            data[where] = draw(st.sampled_from([0, 0x7F, 0x80, 0xFF, ord(":"), ord('"'), ord("\\"), ord("\a")]))
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 16))]
        elif action == "repeat":
            data[where:where] = data[where : where + draw(st.integers(1, 64))]
        elif action == "cut":
            del data[where:]
    return bytes(data)


def inputs(seeds: Sequence[bytes], max_size: int = 600) -> st.SearchStrategy[bytes]:
    """Random bytes, the seeds themselves, and the seeds mutated."""
    return st.one_of(st.binary(max_size=max_size), st.sampled_from(seeds), _mutated(seeds))


def chunked(data: bytes, cuts: Sequence[int]) -> list[bytes]:
    """`data` in pieces of the given sizes (repeated), as a socket may deliver it."""
    pieces, i, n = [], 0, 0
    while i < len(data):
        size = max(1, cuts[n % len(cuts)]) if cuts else len(data)
        pieces.append(data[i : i + size])
        i, n = i + size, n + 1
    return pieces
