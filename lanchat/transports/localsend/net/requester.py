"""POST /register to LocalSend devices from a few threads: answers to announces, and probes of an address.

A register call answers a device's announce (it then lists us) and tells
us its info. It is pinned to the fingerprint the device announced; a probe
(`localsend:<IPv4>`, a device not seen yet) pins nothing and learns the
fingerprint from the certificate. Jobs wait in a bounded queue; when it is
full, `submit` says so (the caller answers by multicast instead).
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from lanchat.transports.http.client import FingerprintMismatch, HttpClient, HttpError
from lanchat.transports.localsend.protocol.device import API, BadMessage, DeviceInfo, loads_object, parse_device

log = logging.getLogger("lanchat.localsend.register")

THREADS = 4
MAX_QUEUED = 64
REGISTER_SECONDS = 3.0


@dataclass(frozen=True)
class RegisterJob:
    address: str
    port: int
    https: bool
    fingerprint: str | None  # what the device announced (pinned), None for a probe
    body: bytes  # our info


@dataclass(frozen=True)
class RegisterResult:
    job: RegisterJob
    ok: bool  # answered 200
    info: DeviceInfo | None  # its info, when the answer holds one
    fingerprint: str | None  # its certificate's (upper case), over HTTPS
    mismatch: bool = False  # the certificate is not the announced one
    error: str = ""


class Registrar(QObject):
    """A small pool of register threads; `done` reports each job (from those threads)."""

    done = Signal(RegisterResult)

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__()
        self._context = context
        self._jobs: queue.Queue[RegisterJob | None] = queue.Queue(MAX_QUEUED)
        self._threads: list[threading.Thread] = []
        self._clients: set[HttpClient] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def start(self) -> None:
        for i in range(THREADS):
            thread = threading.Thread(target=self._work, name=f"lanchat-localsend-register-{i}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def submit(self, job: RegisterJob) -> bool:
        """Queue a register call; False when the queue is full or we are stopping."""
        if self._stopping:
            return False
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            return False
        return True

    def stop(self) -> None:
        self._stopping = True
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            client.abort()
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            try:
                self._jobs.put_nowait(None)
            except queue.Full:
                break
        deadline = time.monotonic() + 0.5
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        while not self._stopping:
            job = self._jobs.get()
            if job is None or self._stopping:
                return
            result = self._register(job)
            if not self._stopping:
                self.done.emit(result)

    def _register(self, job: RegisterJob) -> RegisterResult:
        client = HttpClient(job.address, job.port, self._context if job.https else None, job.fingerprint,
                            connect_seconds=REGISTER_SECONDS)
        with self._lock:
            self._clients.add(client)
        try:
            response = client.request("POST", f"{API}/register", job.body, send_seconds=REGISTER_SECONDS,
                                      answer_seconds=REGISTER_SECONDS, max_answer=64 * 1024)
        except FingerprintMismatch as e:
            return RegisterResult(job, False, None, e.actual, mismatch=True, error=str(e))
        except HttpError as e:
            log.debug("register with %s failed: %s", job.address, e)
            return RegisterResult(job, False, None, client.server_fingerprint, error=str(e))
        finally:
            client.close()
            with self._lock:
                self._clients.discard(client)
        info = None
        if response.status == 200:
            try:
                info = parse_device(loads_object(response.body))
            except BadMessage:
                info = None  # localsend-cli scan answers {}: it still lists us
        return RegisterResult(job, response.status == 200, info, client.server_fingerprint,
                              error="" if response.status == 200 else f"answered {response.status}")
