"""The server side of HTTPS with the profile's own certificate (LocalSend's API, a browser share)."""

from __future__ import annotations

import ssl

from lanchat.identity import Identity


def server_context(identity: Identity) -> ssl.SSLContext:
    """TLS 1.2 or newer (phones' HTTP stacks), HTTP/1.1 by ALPN, no client certificate asked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(identity.cert_path, identity.key_path)
    context.set_alpn_protocols(["http/1.1"])
    return context
