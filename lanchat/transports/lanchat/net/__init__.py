"""Sockets and TLS around the protocol: one QThread worker per socket role (no widgets, no core)."""
