"""What history says about a sender for the accept policy (docs/cli.md, known contacts): real SQLite."""

from __future__ import annotations

from lanchat.core.history.records import FileRecord, TransferRecord

DAY_MS = 24 * 3600 * 1000
NOW = 1_800_000_000_000


def transfer(tid: str, peer: str, state: str, size: int, created_at: int, direction: str = "in") -> TransferRecord:
    return TransferRecord(tid, peer, direction, "image", (FileRecord("cat.png", size),), state,
                          created_at=created_at)


def test_a_contact_is_known_by_a_1to1_message_an_accepted_transfer_or_being_verified(store, h):
    assert not store.is_known(h.ANA)
    store.save_incoming(h.incoming(h.ANA, "hi, add me"))  # what they send does not count
    store.save_outgoing(h.outgoing(h.ROOM, "hi all", room=h.ROOM), [h.ANA, h.BEN])  # nor a room message
    store.save_transfer(transfer("1" * 32, h.ANA, "offered", 10, NOW))  # nor an offer still waiting
    store.save_transfer(transfer("2" * 32, h.ANA, "rejected", 10, NOW))  # nor one declined
    store.flush()
    assert not store.is_known(h.ANA) and not store.is_known(h.BEN)

    store.save_outgoing(h.outgoing(h.ANA, "hello Ana"), [h.ANA])
    store.save_transfer(transfer("3" * 32, h.BEN, "done", 10, NOW))
    store.flush()
    assert store.is_known(h.ANA) and store.is_known(h.BEN) and not store.is_known(h.CHLOE)


def test_accepted_bytes_count_accepted_transfers_in_the_window_only(store, h):
    store.save_transfer(transfer("1" * 32, h.ANA, "done", 30 << 20, NOW - 2 * DAY_MS))  # too old
    store.save_transfer(transfer("2" * 32, h.ANA, "done", 20 << 20, NOW - 3600_000))
    store.save_transfer(transfer("3" * 32, h.ANA, "failed", 5 << 20, NOW - 60_000))  # came, then failed
    store.save_transfer(transfer("4" * 32, h.ANA, "accepted", 7 << 20, NOW))  # arriving now
    store.save_transfer(transfer("5" * 32, h.ANA, "offered", 9 << 20, NOW))  # not accepted
    store.save_transfer(transfer("6" * 32, h.ANA, "rejected", 9 << 20, NOW))
    store.save_transfer(transfer("7" * 32, h.ANA, "done", 9 << 20, NOW, direction="out"))  # we sent it
    store.save_transfer(transfer("8" * 32, h.BEN, "done", 9 << 20, NOW))  # someone else
    store.flush()
    assert store.accepted_bytes_since(h.ANA, NOW - DAY_MS) == (20 + 5 + 7) << 20
    assert store.accepted_bytes_since(h.CHLOE, NOW - DAY_MS) == 0
