"""lanchat's own network: its wire protocol (protocol/) and the socket workers (net/)."""
