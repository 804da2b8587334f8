"""Fuzz targets for offered paths, whatever network they came from: a path is refused, or it stays inside."""

from __future__ import annotations

import posixpath

from fuzzing import fuzz, inputs
from hypothesis import example, given
from hypothesis import strategies as st

from lanchat.core.transfers.offers import offer_problem
from lanchat.core.transfers.paths import PARTIAL_DIR, fold, path_problem, paths_problem, safe_component
from lanchat.transports.lanchat.convert import offer_from_wire
from lanchat.transports.lanchat.protocol.codec import NEED_DATA, ConnectionClosed, FrameDecoder, Role, encode
from lanchat.transports.lanchat.protocol.errors import RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import FileEntry, Offer, OfferKind

PIECES = ["..", ".", "", "a", "é", "e\u0301", "Ä", "CON", "nul.txt", ".lanchat-partial", ".LANCHAT-PARTIAL",
          "x" * 255, "日" * 86, "\u202e", "\x00", "\x9b", "\udc80", "a b", " ", "~", "$HOME"]
weird_text = st.text(st.characters(), max_size=40)  # any code point, surrogates included
paths = st.one_of(
    weird_text,
    st.lists(st.sampled_from(PIECES) | weird_text, min_size=1, max_size=10).map("/".join),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map(lambda p: "/" + "\\".join(p)),
)


@fuzz
@given(path=paths)
@example(path="a/\udc80")  # a lone surrogate, as JSON may carry one
def test_a_path_that_passes_stays_inside_the_download_folder(path: str) -> None:
    if path_problem(path) is not None:
        return
    parts = path.split("/")
    assert fold(parts[0]) != fold(PARTIAL_DIR)
    joined = posixpath.normpath(posixpath.join("/downloads", path))
    assert joined.startswith("/downloads/") and joined != "/downloads/" + PARTIAL_DIR
    for windows in (True, False):
        for part in parts:
            safe = safe_component(part, windows=windows)
            assert safe not in ("", ".", "..") and "/" not in safe and len(safe.encode("utf-8")) <= 255


@fuzz
@given(offered=st.lists(paths, min_size=1, max_size=6))
def test_a_set_of_paths_is_judged_without_raising(offered: list[str]) -> None:
    problem = paths_problem(offered)
    if problem is None:
        assert all(path_problem(p) is None for p in offered)
        assert len({fold(p) for p in offered}) == len(offered)


SEEDS = [encode(Offer("fe" * 16, OfferKind.FILES, (FileEntry("notes/week 1.txt", 12), FileEntry("b/c", 3)))),
         encode(Offer("fe" * 16, OfferKind.IMAGE, (FileEntry("cat.png", 100),), b"\xff\xd8\xff"))]


@fuzz
@given(data=inputs(SEEDS, max_size=800))
def test_an_offer_from_the_wire_is_refused_or_safe(data: bytes) -> None:
    decoder = FrameDecoder(Role.SERVER)
    decoder.feed(data)
    decoder.feed(b"")
    try:
        while (event := decoder.next_event()) is not NEED_DATA:
            if isinstance(event, Offer):
                offer = offer_from_wire(event)
                if offer_problem(offer) is None:
                    assert all(path_problem(f.path) is None for f in offer.files)
            if isinstance(event, ConnectionClosed):
                break
    except RemoteProtocolError:
        pass
