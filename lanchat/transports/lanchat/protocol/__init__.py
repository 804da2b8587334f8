"""The lanchat wire protocol as pure code: bytes in, events out (no IO)."""
