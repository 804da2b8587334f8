"""LocalSend v2: phones and desktops running LocalSend (docs/protocol.md; issue #12)."""
