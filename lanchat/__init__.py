"""lanchat: a LAN messenger for chat, pictures and files."""

__version__ = "0.1.0"
