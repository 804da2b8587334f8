"""Pure parsing of what the share page sends, and the answers it reads (no socket, thread or Qt)."""
