"""The IP Messenger family (IP Messenger, iptux, Feiq): UDP and TCP port 2425, behind core's seam."""
