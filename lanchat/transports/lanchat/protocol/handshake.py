"""What the handshake signs (docs/protocol.md §3.2) and what an id is (§1)."""

from __future__ import annotations

import hashlib

from lanchat.transports.lanchat.protocol.fields import is_hex64

CLIENT_AUTH_PREFIX = b"lanchat-v1 client-auth\n"
NONCE_BYTES = 32


def client_auth_payload(nonce: bytes, server_id: str) -> bytes:
    """The bytes a client signs: prefix + the server's nonce + the server id.

    Raises:
        ValueError: the nonce is not 32 bytes, or `server_id` is not an id.
    """
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"nonce must be {NONCE_BYTES} bytes")
    if not is_hex64(server_id):
        raise ValueError("server_id must be an id (64 lowercase hex)")
    return CLIENT_AUTH_PREFIX + nonce + server_id.encode("ascii")


def peer_id(cert_der: bytes) -> str:
    """A peer's id: SHA-256 of its certificate's DER bytes, lowercase hex."""
    return hashlib.sha256(cert_der).hexdigest()
