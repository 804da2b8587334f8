"""The JSON-object loader of the HTTP-based networks (lanchat/transports/json_object.py)."""

from __future__ import annotations

import pytest

from lanchat.transports.json_object import NotAnObject, loads_object


def test_an_object_is_read_with_its_unicode():
    assert loads_object('{"alias": "小明", "port": 53317, "x": [1.5, null]}'.encode()) == {
        "alias": "小明", "port": 53317, "x": [1.5, None],
    }


@pytest.mark.parametrize(
    "data",
    [
        b'{"n": NaN}',
        b'{"n": Infinity}',
        b'{"n": -Infinity}',
        b"[1, 2]",
        b'"text"',
        b"",
        b"{",
        b'{"a": 1} trailing',
        b'{"a": "\xff"}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["nan", "infinity", "-infinity", "list", "string", "empty", "cut", "trailing", "not-utf8", "deep"],
)
def test_anything_else_is_refused_with_a_reason(data):
    with pytest.raises(NotAnObject, match="not"):
        loads_object(data)
