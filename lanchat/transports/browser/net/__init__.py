"""The share's web server: the request handler in the HTTP layer's connection threads, and its helpers."""
