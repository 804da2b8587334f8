"""A share's certificate fingerprint, as the page and the window show it (HTTPS itself: transports/http/tls.py)."""

from __future__ import annotations

import hashlib

from lanchat.identity import Identity


def fingerprint(identity: Identity) -> str:
    """SHA-256 of the certificate as browsers show it: upper-case hex pairs joined by colons."""
    digest = hashlib.sha256(identity.cert_der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))
