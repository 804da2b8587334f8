"""The IP Messenger wire, pure: bytes in, packets and file lists out (no socket, thread or Qt)."""
