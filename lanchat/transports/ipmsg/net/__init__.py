"""IP Messenger's sockets: the UDP worker, the TCP file server and the file fetcher."""
