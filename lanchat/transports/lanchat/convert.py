"""Between core's words and lanchat's frames: rooms and offers."""

from __future__ import annotations

from lanchat.core.ids import is_lanchat_id
from lanchat.core.rooms import MAX_ROOM_MEMBERS, Room
from lanchat.core.transfers.offers import Album, Offer, OfferedFile, OfferKind
from lanchat.transports.lanchat.protocol import frames

#: Everyone's members on the wire: the first ids of the room, then the receiver (docs/protocol.md §3.3).
_EVERYONE_SCAN = 512


def room_to_wire(room: Room, receiver: str) -> frames.Room:
    """The `room` field for one receiver: lanchat members only, at most 256, the receiver among them.

    (1.1) Everyone may have thousands of members; a receiver recognises it by its id and ignores
    `members`, so only the first few hundred are looked at (the cost per copy stays bounded).
    """
    given = room.members[:_EVERYONE_SCAN] if room.is_everyone else room.members
    members = [m for m in given if is_lanchat_id(m)]
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
        frames.Album(offer.album.id, offer.album.n) if offer.album and offer.kind is OfferKind.IMAGE else None,
    )


def offer_from_wire(frame: frames.Offer) -> Offer:
    return Offer(
        frame.tid, OfferKind(frame.kind.value), tuple(OfferedFile(f.path, f.size) for f in frame.files),
        frame.thumb, room_from_wire(frame.room) if frame.room else None,
        # An album means something on image offers only; on a files offer it is ignored (docs/protocol.md §7.4).
        Album(frame.album.id, frame.album.n) if frame.album and frame.kind is frames.OfferKind.IMAGE else None,
    )
