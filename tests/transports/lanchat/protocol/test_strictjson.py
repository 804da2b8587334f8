"""The JSON rules of docs/protocol.md §3.1: strict parsing, raw UTF-8 output.

`loads` takes one complete header (the frame decoder has cut it out), so
the three feed modes apply to the decoder in test_codec.py, not here.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanchat.transports.lanchat.protocol.strictjson import MAX_DEPTH, JSONRuleError, dumps, loads


def nested(depth: int, inner: str = "0") -> bytes:
    """`depth` nested containers, alternating arrays and objects."""
    text = inner
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k":{text}}}'
    return text.encode()


BAD = [
    pytest.param(b"\xff", id="invalid-utf8"),
    pytest.param(b'"\xed\xa0\x80"', id="encoded-surrogate"),
    pytest.param(b"\xef\xbb\xbf{}", id="bom"),
    pytest.param(b"", id="empty"),
    pytest.param(b"{", id="unterminated"),
    pytest.param(b"{}x", id="trailing-garbage"),
    pytest.param(b"{'a':1}", id="single-quotes"),
    pytest.param(b'{"a":1,}', id="trailing-comma"),
    pytest.param(b'"a\nb"', id="raw-control-char-in-string"),
    pytest.param(b'{"a":1,"a":2}', id="duplicate-key"),
    pytest.param(b'{"a":1,"b":{"c":1,"c":1}}', id="duplicate-key-nested"),
    pytest.param(b'[{"x":1,"x":1}]', id="duplicate-key-in-array"),
    pytest.param(b"NaN", id="NaN"),
    pytest.param(b"[Infinity]", id="Infinity"),
    pytest.param(b"[-Infinity]", id="-Infinity"),
    pytest.param(b"1e309", id="float-overflow"),
    pytest.param(b"9007199254740993", id="2^53+1"),
    pytest.param(b"-9007199254740993", id="-2^53-1"),
    pytest.param(b"1" + b"0" * 5000, id="5001-digits"),
    pytest.param(b'"\\ud800"', id="lone-high-surrogate"),
    pytest.param(b'"\\udfff"', id="lone-low-surrogate"),
    pytest.param(b'"\\udc00\\ud800"', id="reversed-pair"),
    pytest.param(b'{"\\ud800x":1}', id="surrogate-in-key"),
    pytest.param(nested(MAX_DEPTH + 1), id="depth-33"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="depth-100000"),
]


@pytest.mark.parametrize("data", BAD)
def test_breaking_a_rule_raises(data: bytes) -> None:
    with pytest.raises(JSONRuleError):
        loads(data)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        pytest.param(nested(MAX_DEPTH), json.loads(nested(MAX_DEPTH)), id="depth-32"),
        pytest.param(b"9007199254740992", 2**53, id="2^53"),
        pytest.param(b"-9007199254740992", -(2**53), id="-2^53"),
        pytest.param(b"1e308", 1e308, id="big-float"),
        pytest.param(b'"\\ud83d\\ude00"', "😀", id="surrogate-pair"),
        pytest.param('"😀é"'.encode(), "😀é", id="raw-utf8"),
        pytest.param(b' \n{"a" : [1, 2.5, true, false, null]}\t', {"a": [1, 2.5, True, False, None]},
                     id="whitespace"),
        pytest.param(b'{"a":{"a":1}}', {"a": {"a": 1}}, id="same-key-different-objects"),
        pytest.param(b"[]", [], id="array"),  # not a header, but valid JSON
    ],
)
def test_valid_json_parses(data: bytes, value: Any) -> None:
    assert loads(data) == value


def test_depth_counts_containers_not_scalars() -> None:
    """Depth 32 = 32 nested arrays/objects, whatever sits inside the innermost one."""
    assert loads(nested(MAX_DEPTH, '"deep"'))
    with pytest.raises(JSONRuleError):
        loads(nested(MAX_DEPTH, "[]"))
    with pytest.raises(JSONRuleError):
        loads(nested(MAX_DEPTH, "{}"))


def test_dumps_is_compact_raw_utf8() -> None:
    data = dumps({"t": "msg", "text": "héllo 😀 日本\u2028"})
    assert data == '{"t":"msg","text":"héllo 😀 日本\u2028"}'.encode()


def test_dumps_escapes_control_characters() -> None:
    data = dumps({"x": "".join(map(chr, range(0x20)))})
    assert not any(byte < 0x20 for byte in data)
    assert loads(data) == {"x": "".join(map(chr, range(0x20)))}


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud800"])
def test_dumps_refuses_what_loads_would_refuse(value: Any) -> None:
    with pytest.raises(ValueError):
        dumps({"x": value})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(st.characters(exclude_categories=("Cs",)), max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_dumps_then_loads_round_trips(value: Any) -> None:
    assert loads(dumps(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_loads_raises_nothing_but_its_own_error(data: bytes) -> None:
    with contextlib.suppress(JSONRuleError):
        loads(data)
