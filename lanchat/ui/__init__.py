"""Widgets, dialogs and delegates (never sockets or net/)."""
