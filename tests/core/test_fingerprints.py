"""How ids are shown to people (docs/protocol.md §1)."""

from __future__ import annotations

import pytest

from lanchat.core.fingerprints import long_fingerprint, short_fingerprint

ID = "3f2a9c0177de0b4a5e21" + "0123456789abcdef" * 2 + "deadbeefcafe"


def test_short_fingerprint() -> None:
    assert short_fingerprint(ID) == "3F2A 9C01 77DE 0B4A 5E21"


def test_long_fingerprint() -> None:
    groups = long_fingerprint(ID).split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)
    assert "".join(groups) == ID.upper()
    assert long_fingerprint(ID).startswith(short_fingerprint(ID))


@pytest.mark.parametrize("bad", ["", ID[:20], ID + "0", "z" * 64])
def test_fingerprint_of_a_non_id_raises(bad: str) -> None:
    with pytest.raises(ValueError):
        short_fingerprint(bad)
    with pytest.raises(ValueError):
        long_fingerprint(bad)


def test_an_upper_case_id_shows_the_same() -> None:
    """LocalSend fingerprints come in upper case; they show like lanchat ids."""
    assert short_fingerprint(ID.upper()) == short_fingerprint(ID)
