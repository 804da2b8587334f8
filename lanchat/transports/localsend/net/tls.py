"""LocalSend's HTTPS as a client, with the profile's own certificate (the server side: transports/http/tls.py).

The server does not ask for a client certificate: Python's ssl can only
ask for one by also verifying it against a CA, and every LocalSend device
has a self-signed one, so asking would refuse the app. A sender's identity
is therefore a claim (the window says "not verified"). As a client we
present our certificate (the LocalSend app's server requires one) and pin
the server's fingerprint after the handshake (`lanchat.transports.http.client`).
"""

from __future__ import annotations

import ssl

from lanchat.identity import Identity


def client_context(identity: Identity) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # self-signed everywhere: the fingerprint is checked instead
    context.load_cert_chain(identity.cert_path, identity.key_path)
    context.set_alpn_protocols(["http/1.1"])
    return context
