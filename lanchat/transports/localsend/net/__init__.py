"""LocalSend's sockets: discovery (UDP multicast), the HTTPS server's routes, the sending and register threads."""
