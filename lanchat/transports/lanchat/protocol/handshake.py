"""What the handshake signs (PROTOCOL.md §3.2) and how ids are shown (§1)."""

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


def short_fingerprint(peer_id: str) -> str:
    """The first 20 hex characters of an id, upper case, in groups of four."""
    if not is_hex64(peer_id):
        raise ValueError("not an id")
    head = peer_id[:20].upper()
    return " ".join(head[i : i + 4] for i in range(0, 20, 4))


def long_fingerprint(peer_id: str) -> str:
    """The whole id, upper case, in groups of four (for comparing in person)."""
    if not is_hex64(peer_id):
        raise ValueError("not an id")
    upper = peer_id.upper()
    return " ".join(upper[i : i + 4] for i in range(0, 64, 4))
