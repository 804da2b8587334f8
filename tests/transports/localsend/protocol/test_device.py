"""LocalSend device info: announces, register bodies, addresses, fingerprints (protocol/device.py)."""

from __future__ import annotations

import json

import pytest

from lanchat.transports.localsend.protocol.device import (
    BadMessage,
    DeviceInfo,
    encode_device,
    normalise_address,
    parse_announcement,
    same_fingerprint,
)

FP = "ab" * 32


def datagram(**fields: object) -> bytes:
    base: dict[str, object] = {"alias": "Nice Orange", "version": "2.2", "deviceModel": "Linux",
                               "deviceType": "desktop", "fingerprint": FP, "port": 53317, "protocol": "https",
                               "download": False, "announce": True}
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not ...}).encode()


def test_an_announce_as_the_tools_send_it():
    got = parse_announcement(datagram())
    assert got.announce is True
    assert got.info == DeviceInfo("Nice Orange", FP.upper(), 53317, "https", "2.2", "Linux", "desktop", False)


@pytest.mark.parametrize("fields, check", [
    ({"announce": False}, lambda a: a.announce is False),
    ({"announce": ..., "announcement": False}, lambda a: a.announce is False),  # v1's name
    ({"announce": ...}, lambda a: a.announce is True),
    ({"port": ...}, lambda a: a.info.port == 53317),
    ({"protocol": "http"}, lambda a: not a.info.https),
    ({"deviceType": "fridge"}, lambda a: a.info.device_type == "desktop"),
    ({"deviceModel": None, "deviceType": None}, lambda a: a.info.device_model is None),
    ({"download": None}, lambda a: a.info.download is False),
    ({"alias": " \u202eevil\u0007 "}, lambda a: a.info.alias == "evil"),  # no bidi override or control char
    ({"alias": "x" * 200}, lambda a: len(a.info.alias) == 64),
    ({"unknown": {"nested": [1]}}, lambda a: a.info.alias == "Nice Orange"),
])
def test_lenient_where_the_apps_differ(fields, check):
    assert check(parse_announcement(datagram(**fields)))


@pytest.mark.parametrize("data", [
    b"", b"not json", b"[]", b"null", b"\xff\xfe", b'{"alias": NaN}',
    datagram(alias=...), datagram(alias=5), datagram(alias="x" * 300),
    datagram(fingerprint=...), datagram(fingerprint=""), datagram(fingerprint="a b"), datagram(fingerprint="x" * 129),
    datagram(fingerprint=7),
    datagram(port=0), datagram(port=65536), datagram(port="53317"), datagram(port=True), datagram(port=1.5),
    datagram(protocol="ftp"), datagram(download="yes"), datagram(announce="true"),
    datagram(version=3), datagram(deviceModel=["x"]),
    b"{" + b'"a":' * 100 + b"1" + b"}" * 100,
    b"[" * 100_000,
    datagram(alias="y" * 9000),
])
def test_bad_announces_are_refused(data):
    with pytest.raises(BadMessage):
        parse_announcement(data)


def test_our_announce_round_trips_with_the_fingerprint_in_upper_case():
    ours = DeviceInfo("小明", FP.upper(), device_model="lanchat", device_type="desktop")
    wire = json.loads(encode_device(ours, announce=True))
    assert wire["fingerprint"] == FP.upper() and wire["announce"] is True and wire["deviceModel"] == "lanchat"
    assert "小明".encode() in encode_device(ours)  # raw UTF-8, not \\u escapes
    assert parse_announcement(encode_device(ours, announce=False)).info == ours


@pytest.mark.parametrize("given, kept", [
    ("::ffff:10.0.0.5", "10.0.0.5"),
    ("10.0.0.5", "10.0.0.5"),
    ("fe80::1%eth0", "fe80::1"),
    ("2001:db8::1", "2001:db8::1"),
    ("not an address", "not an address"),
])
def test_addresses_are_normalised(given, kept):
    assert normalise_address(given) == kept


def test_fingerprints_compare_in_any_case():
    assert same_fingerprint(FP.lower(), FP.upper())
    assert not same_fingerprint(FP, "cd" * 32)
