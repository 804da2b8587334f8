"""HTTPS for a share, when the setting asks for it: the profile's own certificate, whose fingerprint the page shows."""

from __future__ import annotations

import hashlib
import ssl

from lanchat.identity import Identity


def server_context(identity: Identity) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(identity.cert_path, identity.key_path)
    context.set_alpn_protocols(["http/1.1"])
    return context


def fingerprint(identity: Identity) -> str:
    """SHA-256 of the certificate as browsers show it: upper-case hex pairs joined by colons."""
    digest = hashlib.sha256(identity.cert_der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))
