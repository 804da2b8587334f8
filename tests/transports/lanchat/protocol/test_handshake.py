"""What a client signs (docs/protocol.md §3.2) and what an id is (§1)."""

from __future__ import annotations

import hashlib

import pytest

from lanchat.transports.lanchat.protocol.handshake import (
    CLIENT_AUTH_PREFIX,
    client_auth_payload,
    peer_id,
)

ID = "3f2a9c0177de0b4a5e21" + "0123456789abcdef" * 2 + "deadbeefcafe"


def test_client_auth_payload_is_prefix_nonce_server_id() -> None:
    nonce = bytes(range(32))
    payload = client_auth_payload(nonce, ID)
    assert payload == b"lanchat-v1 client-auth\n" + nonce + ID.encode("ascii")
    assert CLIENT_AUTH_PREFIX == b"lanchat-v1 client-auth\n"
    assert len(payload) == 23 + 32 + 64


def test_nonce_from_hello_hex() -> None:
    """The server sends the nonce as 64 hex; the client signs its 32 raw bytes."""
    nonce_hex = "ff" * 16 + "00" * 16
    payload = client_auth_payload(bytes.fromhex(nonce_hex), ID)
    assert payload[23:55] == b"\xff" * 16 + b"\x00" * 16


@pytest.mark.parametrize(
    ("nonce", "server_id"),
    [
        pytest.param(bytes(31), ID, id="short-nonce"),
        pytest.param(bytes(33), ID, id="long-nonce"),
        pytest.param(bytes(32), ID.upper(), id="uppercase-id"),
        pytest.param(bytes(32), ID[:63], id="short-id"),
        pytest.param(bytes(32), "é" * 64, id="non-ascii-id"),
    ],
)
def test_client_auth_payload_refuses_bad_input(nonce: bytes, server_id: str) -> None:
    with pytest.raises(ValueError):
        client_auth_payload(nonce, server_id)


def test_peer_id_is_sha256_of_der_in_lowercase_hex() -> None:
    der = b"\x30\x82\x01\x00 certificate bytes"
    assert peer_id(der) == hashlib.sha256(der).hexdigest()
    assert len(peer_id(der)) == 64 and peer_id(der) == peer_id(der).lower()
