"""(1.1) Proving a candidate address: one TLS connection, closed right after the certificate check (§2).

Announces are not signed; before a known contact moves to an address it was
announced from, `ProbeWorker` connects there and checks that the certificate
presented is the contact's (SHA-256 of its DER equals the id). Nothing else
is said on the connection.
"""

from __future__ import annotations

import logging
import socket

from PySide6.QtCore import Signal, Slot

from lanchat.transports.lanchat.net.connection import CONNECT_SECONDS, HANDSHAKE_SECONDS, client_context_cached
from lanchat.transports.lanchat.protocol.handshake import peer_id
from lanchat.transports.lanchat.protocol.presence_table import Candidate
from lanchat.transports.workers import Worker

log = logging.getLogger("lanchat.net.probe")


class ProbeWorker(Worker):
    """Connects to a candidate address once and says whether the contact's certificate is there."""

    #: (Candidate, proven) always, once.
    finished = Signal(Candidate, bool)

    def __init__(self, candidate: Candidate) -> None:
        super().__init__()
        self.candidate = candidate
        self._sock: socket.socket | None = None
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a connect or handshake in progress
            except OSError:
                pass

    @Slot()
    def run(self) -> None:
        proven = False
        try:
            proven = self._probe()
        except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
            log.debug("probe of %s at %s:%d failed: %s", self.candidate.id[:8], *self.candidate.address, e)
        finally:
            if self._sock is not None:
                self._sock.close()
        self.finished.emit(self.candidate, proven)

    def _probe(self) -> bool:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock = sock
        if self._stopping:
            return False
        sock.settimeout(CONNECT_SECONDS)
        sock.connect(self.candidate.address)
        sock.settimeout(HANDSHAKE_SECONDS)
        with client_context_cached().wrap_socket(sock, do_handshake_on_connect=False) as tls:
            self._sock = tls
            tls.do_handshake()
            cert = tls.getpeercert(binary_form=True)
        return cert is not None and peer_id(cert) == self.candidate.id
