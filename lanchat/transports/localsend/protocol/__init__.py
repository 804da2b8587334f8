"""LocalSend v2 messages: pure parsers and encoders (bytes in, values out)."""
