"""Between core's words and lanchat's frames: rooms and offers."""

from __future__ import annotations

from lanchat.core.ids import is_lanchat_id
from lanchat.core.rooms import MAX_ROOM_MEMBERS, Room
from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind
from lanchat.transports.lanchat.protocol import frames


def room_to_wire(room: Room, receiver: str) -> frames.Room:
    """The `room` field for one receiver: lanchat members only, at most 256, the receiver among them."""
    members = [m for m in room.members if is_lanchat_id(m)]
    if len(members) > MAX_ROOM_MEMBERS:
        members = [m for m in members if m != receiver][: MAX_ROOM_MEMBERS - 1] + [receiver]
    elif receiver not in members:
        members = [*members[: MAX_ROOM_MEMBERS - 1], receiver]
    return frames.Room(room.id, room.name, tuple(members))


def room_from_wire(room: frames.Room) -> Room:
    return Room(room.id, room.name, room.members)


def offer_to_wire(offer: Offer, receiver: str) -> frames.Offer:
    return frames.Offer(
        offer.tid, frames.OfferKind(offer.kind.value),
        tuple(frames.FileEntry(f.path, f.size) for f in offer.files), offer.thumb,
        room_to_wire(offer.room, receiver) if offer.room else None,
    )


def offer_from_wire(frame: frames.Offer) -> Offer:
    return Offer(
        frame.tid, OfferKind(frame.kind.value), tuple(OfferedFile(f.path, f.size) for f in frame.files),
        frame.thumb, room_from_wire(frame.room) if frame.room else None,
    )
