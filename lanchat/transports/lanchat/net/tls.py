"""TLS 1.3 contexts from this installation's identity (docs/protocol.md §3)."""

from __future__ import annotations

import ssl

from lanchat.identity import Identity


def server_context(identity: Identity) -> ssl.SSLContext:
    """The listener's context: presents our certificate, asks for none."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(identity.cert_path, identity.key_path)
    return context


def client_context() -> ssl.SSLContext:
    """The connecting side's context: no CA; the caller checks the certificate's hash."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
