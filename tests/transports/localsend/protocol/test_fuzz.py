"""Fuzzing the LocalSend parsers: whatever comes, a value or BadMessage, quickly (Hypothesis, bounded)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanchat.transports.localsend.protocol.device import BadMessage, DeviceInfo, encode_device, parse_announcement
from lanchat.transports.localsend.protocol.upload import FileEntry, encode_prepare_upload, parse_prepare_upload

BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["alias", "version", "deviceModel", "deviceType", "fingerprint", "port", "protocol",
                        "download", "announce", "info", "files", "id", "fileName", "size", "fileType", "sha256",
                        "preview"])
shaped = st.dictionaries(keys, json_values, max_size=10)


@BOUNDED
@given(st.binary(max_size=2000) | shaped.map(lambda d: json.dumps(d).encode()))
def test_announce_parser_never_fails_otherwise(data):
    try:
        parse_announcement(data)
    except BadMessage:
        pass


@BOUNDED
@given(st.binary(max_size=2000) | st.fixed_dictionaries({"info": shaped, "files": st.dictionaries(
    st.text(max_size=8), shaped, max_size=3)}).map(lambda d: json.dumps(d).encode()))
def test_prepare_upload_parser_never_fails_otherwise(data):
    try:
        parse_prepare_upload(data)
    except BadMessage:
        pass


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@BOUNDED
@given(names, st.lists(st.tuples(names, st.integers(0, 2**53 - 1), st.none() | st.text(max_size=50)),
                       min_size=1, max_size=5))
def test_what_we_encode_parses_back(alias, files):
    info = DeviceInfo("x", "AB" * 32, device_model="lanchat")
    entries = [FileEntry(f"id{i}", name, size, "text/plain", None, preview)
               for i, (name, size, preview) in enumerate(files)]
    assert parse_prepare_upload(encode_prepare_upload(info, entries)).files == tuple(entries)
    assert parse_announcement(encode_device(info, announce=True)).info == info
