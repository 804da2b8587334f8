"""Their offers as core's: names made unique, a single picture as an image offer, core's answer to the request."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind, RejectReason
from lanchat.core.transfers.pictures import PICTURE_SUFFIXES
from lanchat.core.transport import IncomingOffer
from lanchat.transports.localsend.inbox import Inbox
from lanchat.transports.localsend.net.api import OfferArrived
from lanchat.transports.localsend.protocol.upload import FileEntry


def incoming_offer(arrived: OfferArrived, inbox: Inbox) -> IncomingOffer:
    files = tuple(OfferedFile(path, f.size) for path, f in zip(_unique(arrived.files), arrived.files, strict=True))
    single = arrived.files[0] if len(arrived.files) == 1 else None
    picture = single is not None and (single.file_type.lower().startswith("image/")
                                      or single.file_name.lower().endswith(PICTURE_SUFFIXES))
    offer = Offer(arrived.tid, OfferKind.IMAGE if picture else OfferKind.FILES, files)
    return IncomingOffer(arrived.sender, offer, _Reply(inbox, arrived.tid))


@dataclass(frozen=True)
class _Reply:
    """Core's decision on an incoming offer, handed to the request waiting for it."""

    inbox: Inbox
    tid: str

    def accept(self, have: tuple[int, ...]) -> None:
        self.inbox.decide(self.tid, have, None)

    def reject(self, reason: RejectReason) -> None:
        self.inbox.decide(self.tid, None, reason.value)


def _unique(files: tuple[FileEntry, ...]) -> list[str]:
    """The offered names, with ` (1)`, ` (2)`... added to repeats (LocalSend apps send same-named photos)."""
    seen: set[str] = set()
    names = []
    for f in files:
        name = f.file_name
        stem, dot, suffix = name.rpartition(".") if "." in name.rsplit("/", 1)[-1] else (name, "", "")
        number = 0
        while unicodedata.normalize("NFC", name).casefold() in seen:
            number += 1
            name = f"{stem} ({number}){dot}{suffix}"
        seen.add(unicodedata.normalize("NFC", name).casefold())
        names.append(name)
    return names
