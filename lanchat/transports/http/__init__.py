"""A small HTTP/1.1 layer on h11: a threaded server worker and a pinned client, for any network on HTTP."""
