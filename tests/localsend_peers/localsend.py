"""Test harness for LocalSend protocol v2 peers: localsendd, localsend-cli, and an app-like text sender.

Independent of lanchat's code: it only speaks the wire protocol (see /work/notes/localsend.md) and
drives the two PyPI tools `localsendd` (0.1.1) and `localsend-cli` (0.1.1), installed in the same
environment as the Python running this module (`pip install localsendd==0.1.1 localsend-cli==0.1.1
requests cryptography`, plus the `openssl` program for localsendd's certificate).

SAFETY: both tools multicast to 224.0.0.167:53317 as soon as they start. They must only ever run
inside network namespaces made by tests/netlab.py, so every function here that starts one takes
the namespace's command prefix (`LAN.prefix(i)`) and refuses an empty one.

    lan = LAN(2, subnet=150)
    try:
        with LocalsendDaemon(lan.prefix(1), "daemon", tmp / "dl", tmp / "d") as daemon:
            assert cli_scan(lan.prefix(0), timeout=3)[0]["ip"] == lan.addresses[1]
            result = cli_send(lan.prefix(0), lan.addresses[1], [path], timeout=60)
            assert result.ok, result.describe()
            status = send_text_like_the_app(lan.addresses[1], daemon.port, daemon.fingerprint,
                                            "hello", "tester", prefix=lan.prefix(0))
    finally:
        lan.remove()

Run as a script (`python localsend.py probe|send-text JSON`), it is the helper that the functions
above start inside a namespace when they are given a `prefix`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

API = "/api/localsend/v2"
DEFAULT_PORT = 53317
MULTICAST_GROUP = "224.0.0.167"

# Environment variables the tools read that must not leak in from the caller's shell. The CA-bundle
# ones matter most: with REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE set, requests ignores localsend-cli's
# `session.verify = False` (it only honours a per-request verify) and every send fails with
# CERTIFICATE_VERIFY_FAILED against the peer's self-signed certificate.
_TOOL_ENV_VARS = ("LOCALSEND_ALIAS", "LOCALSEND_PIN", "LOCALSENDD_SOCKET", "XDG_CONFIG_HOME",
                  "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


class LocalsendError(RuntimeError):
    """A LocalSend peer or tool did not behave as the harness expected."""


class FingerprintMismatch(LocalsendError):
    """The server's certificate is not the one whose SHA-256 we were told."""


# --------------------------------------------------------------------------------------------
# Tools and environment


def tool(name: str) -> str:
    """The path of an installed console script: next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise LocalsendError(f"{name} is not installed (pip install localsendd localsend-cli)")
    return found


def missing_tools() -> str | None:
    """None when localsendd, localsend-cli and their undeclared dependencies are usable, else why not.

    localsend-cli 0.1.1 declares no dependencies but imports `requests` (send) and `cryptography`
    (every command); localsendd needs the `openssl` program or it silently falls back to plain HTTP.
    """
    for name in ("localsendd", "localsend-cli"):
        try:
            tool(name)
        except LocalsendError as e:
            return str(e)
    if shutil.which("openssl") is None:
        return "needs the openssl program (apt-get install -y openssl)"
    check = subprocess.run([sys.executable, "-c", "import requests, cryptography"], capture_output=True)
    if check.returncode != 0:
        return "localsend-cli needs requests and cryptography (pip install requests cryptography)"
    return None


def _require_prefix(prefix: Sequence[str]) -> tuple[str, ...]:
    """Refuse to start a multicasting tool outside a network namespace."""
    prefix = tuple(prefix)
    if not prefix or "netns" not in prefix:
        raise LocalsendError("LocalSend tools multicast: run them only under an `ip netns exec NS` prefix")
    return prefix


def _tool_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment with HOME moved to `home` and the tools' own variables removed."""
    env = {k: v for k, v in os.environ.items() if k not in _TOOL_ENV_VARS}
    env["HOME"] = str(home)
    env.update(extra)
    return env


# --------------------------------------------------------------------------------------------
# Fingerprints and TLS


def der_fingerprint(der: bytes) -> str:
    """A LocalSend fingerprint: SHA-256 of the DER certificate, upper-case hex (app and localsendd)."""
    return hashlib.sha256(der).hexdigest().upper()


def pem_fingerprint(pem_path: Path) -> str:
    return der_fingerprint(ssl.PEM_cert_to_DER_cert(Path(pem_path).read_text()))


def same_fingerprint(a: str, b: str) -> bool:
    """Fingerprints compare case-insensitively (localsend-cli sends lower case, the others upper)."""
    return a.strip().upper() == b.strip().upper()


def make_identity(directory: Path) -> tuple[Path, Path, str]:
    """A self-signed RSA certificate like LocalSend's, as (cert.pem, key.pem, fingerprint)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not (cert.exists() and key.exists()):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-keyout", str(key), "-out", str(cert),
             "-days", "365", "-nodes", "-subj", "/CN=LocalSend User"],
            check=True, capture_output=True, timeout=60,
        )
    return cert, key, pem_fingerprint(cert)


def _client_context(client_cert: tuple[Path, Path] | None) -> ssl.SSLContext:
    """No CA verification (peers are self-signed); the fingerprint is checked after the handshake."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if client_cert is not None:  # the LocalSend app's server insists on one (mutual TLS)
        ctx.load_cert_chain(certfile=str(client_cert[0]), keyfile=str(client_cert[1]))
    return ctx


def _connect(address: str, port: int, fingerprint: str | None, timeout: float,
             client_cert: tuple[Path, Path] | None = None) -> http.client.HTTPSConnection:
    """An HTTPS connection whose server certificate has been checked against `fingerprint`."""
    conn = http.client.HTTPSConnection(address, port, timeout=timeout, context=_client_context(client_cert))
    conn.connect()
    assert conn.sock is not None
    der = conn.sock.getpeercert(binary_form=True)
    actual = der_fingerprint(der) if der else ""
    if fingerprint is not None and not same_fingerprint(actual, fingerprint):
        conn.close()
        raise FingerprintMismatch(f"server certificate {actual} is not {fingerprint}")
    return conn


# --------------------------------------------------------------------------------------------
# Running commands inside a namespace


@dataclasses.dataclass
class Finished:
    """A command that ran to its end (or was killed at its timeout)."""

    returncode: int
    stdout: str
    stderr: str
    wall_seconds: float
    max_rss_kib: int  # peak resident set of the process (ru_maxrss; `ip netns exec` execs in place)
    timed_out: bool = False


def run_measured(args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 60,
                 cwd: Path | None = None) -> Finished:
    """Run a command to its end, and measure its wall time and peak RSS with wait4()."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(list(args), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd)
        reaped: list[tuple[int, Any]] = []
        waiter = threading.Thread(target=lambda: reaped.append(os.wait4(proc.pid, 0)[1:]), daemon=True)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            proc.kill()
            waiter.join(10)
        wall = time.monotonic() - start
        status, usage = reaped[0] if reaped else (0, None)
        proc.returncode = os.waitstatus_to_exitcode(status) if reaped else -9  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Finished(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            wall_seconds=wall,
            max_rss_kib=int(usage.ru_maxrss) if usage is not None else 0,
            timed_out=timed_out,
        )


def _json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects of a line stream; other lines (e.g. "[*] Generating self-signed certificate...",
    which localsend-cli prints to stdout even with --json on first use) are skipped."""
    events = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                events.append(json.loads(line))
    return events


def _helper(prefix: Sequence[str], command: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run this module as a script inside the namespace and return the JSON it prints."""
    done = subprocess.run(
        [*prefix, sys.executable, str(Path(__file__).resolve()), command, json.dumps(params)],
        capture_output=True, text=True, timeout=timeout + 15,
    )
    try:
        answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as e:
        raise LocalsendError(f"{command} helper failed ({done.returncode}): {done.stderr.strip()}") from e
    if "error" in answer:
        kind = FingerprintMismatch if answer.get("kind") == "FingerprintMismatch" else LocalsendError
        raise kind(answer["error"])
    return answer


# --------------------------------------------------------------------------------------------
# Talking to a LocalSend server directly


def probe_info(address: str, port: int = DEFAULT_PORT, fingerprint: str | None = None, *,
               timeout: float = 5, prefix: Sequence[str] | None = None) -> dict[str, Any]:
    """GET /info over HTTPS: {"info": body, "fingerprint": cert's SHA-256, "tls": version, "cipher": name}."""
    if prefix:
        return _helper(prefix, "probe", {"address": address, "port": port, "fingerprint": fingerprint,
                                         "timeout": timeout}, timeout)
    conn = _connect(address, port, fingerprint, timeout)
    try:
        assert conn.sock is not None
        der = conn.sock.getpeercert(binary_form=True) or b""
        tls, cipher = conn.sock.version(), conn.sock.cipher()
        conn.request("GET", f"{API}/info")
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise LocalsendError(f"/info answered {resp.status}")
        return {"info": json.loads(body), "fingerprint": der_fingerprint(der), "tls": tls,
                "cipher": cipher[0] if cipher else None}
    finally:
        conn.close()


def app_like_info(alias: str, fingerprint: str, port: int = DEFAULT_PORT) -> dict[str, Any]:
    """The `info` object the LocalSend app (2.2 core) sends with prepare-upload."""
    return {"alias": alias, "version": "2.2", "deviceModel": "Linux", "deviceType": "desktop",
            "fingerprint": fingerprint, "port": port, "protocol": "https", "download": False}


def send_text_like_the_app(address: str, port: int, fingerprint: str, text: str, sender_alias: str, *,
                           pin: str | None = None, chunked: bool = False, timeout: float = 10,
                           identity_dir: Path | None = None, prefix: Sequence[str] | None = None) -> int:
    """Send a text message the way the LocalSend app does, and return prepare-upload's status code.

    The app offers one file `<uuid>.txt`, fileType text/plain, whose `preview` holds the whole text
    (and whose sha256 is the lower-case hex of its UTF-8 bytes). A message-aware receiver (the app)
    shows the preview and answers 204 without an upload; 403 means declined. A receiver that treats
    it as a file (localsendd, localsend-cli receive) answers 200 with a token: then, like the app,
    this uploads the UTF-8 bytes, and raises LocalsendError if that upload is not answered 200.

    The server certificate must match `fingerprint` (any case). Like the app, this presents a client
    certificate (mutual TLS; the app's server requires one): a fresh one, or the one in
    `identity_dir`. `chunked=True` uploads with Transfer-Encoding: chunked, as the app's Rust core does.
    With `prefix`, all of this runs in a helper process inside that namespace.
    """
    if prefix:
        params = {"address": address, "port": port, "fingerprint": fingerprint, "text": text,
                  "sender_alias": sender_alias, "pin": pin, "chunked": chunked, "timeout": timeout,
                  "identity_dir": str(identity_dir) if identity_dir else None}
        return int(_helper(prefix, "send-text", params, timeout * 2)["status"])

    with contextlib.ExitStack() as stack:
        if identity_dir is None:
            identity_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ls-id-")))
        cert, key, own_fingerprint = make_identity(identity_dir)

        data = text.encode("utf-8")
        file_id = str(uuid.uuid4())
        body = {
            "info": app_like_info(sender_alias, own_fingerprint),
            "files": {file_id: {
                "id": file_id,
                "fileName": f"{uuid.uuid4()}.txt",
                "size": len(data),
                "fileType": "text/plain",
                "sha256": hashlib.sha256(data).hexdigest(),
                "preview": text,
            }},
        }
        query = f"?pin={pin}" if pin else ""
        conn = stack.enter_context(contextlib.closing(_connect(address, port, fingerprint, timeout, (cert, key))))
        conn.request("POST", f"{API}/prepare-upload{query}", body=json.dumps(body).encode(),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        answer = resp.read()
        if resp.status != 200:
            return resp.status

        reply = json.loads(answer)
        token = reply["files"][file_id]
        upload = f"{API}/upload?sessionId={reply['sessionId']}&fileId={file_id}&token={token}"
        try:
            if chunked:  # an iterable body without Content-Length: http.client frames it as chunks
                conn.request("POST", upload, body=iter([data]), headers={"Content-Type": "application/octet-stream"})
            else:
                conn.request("POST", upload, body=data, headers={"Content-Type": "application/octet-stream"})
            uploaded = conn.getresponse()
            uploaded.read()
            failure = None if uploaded.status == 200 else f"upload of the text answered {uploaded.status}"
        except (OSError, http.client.HTTPException) as e:
            failure = f"upload of the text failed: {e}"
        if failure:
            # Free the receiver: localsendd answers 409 to everyone for 45 s after an accepted
            # session that never finished, unless the sender cancels it.
            with contextlib.suppress(OSError, http.client.HTTPException):
                bye = _connect(address, port, fingerprint, timeout, (cert, key))
                bye.request("POST", f"{API}/cancel?sessionId={reply['sessionId']}")
                bye.getresponse().read()
                bye.close()
            raise LocalsendError(failure)
        return resp.status


def send_files_raw(address: str, port: int, fingerprint: str, files: dict[str, bytes], sender_alias: str, *,
                   pin: str | None = None, cut_after: int | None = None, chunked: bool = False,
                   timeout: float = 20, prefix: Sequence[str] | None = None) -> dict[str, Any]:
    """Offer `files` (name -> bytes) like the app and upload them; returns {"status", "uploads", "cancel"}.

    `status` is prepare-upload's answer; `uploads` the status of each upload (0: the connection broke).
    With `cut_after`, the first upload stops after that many bytes (the connection is dropped, as
    when a sender cancels mid-upload) and `POST /cancel` follows, whose status is `cancel`.
    With `prefix`, all of this runs in a helper process inside that namespace.
    """
    if prefix:
        with tempfile.TemporaryDirectory(prefix="ls-files-") as folder:
            paths = {}
            for i, (name, data) in enumerate(files.items()):
                paths[name] = str(Path(folder) / str(i))
                Path(paths[name]).write_bytes(data)
            params = {"address": address, "port": port, "fingerprint": fingerprint, "files": paths,
                      "sender_alias": sender_alias, "pin": pin, "cut_after": cut_after, "chunked": chunked,
                      "timeout": timeout}
            return _helper(prefix, "send-files", params, timeout * 3)
    with tempfile.TemporaryDirectory(prefix="ls-id-") as identity:
        cert, key, own_fingerprint = make_identity(Path(identity))
        entries = {}
        for name, data in files.items():
            file_id = uuid.uuid4().hex
            entries[file_id] = (name, data)
        body = {"info": app_like_info(sender_alias, own_fingerprint), "files": {
            fid: {"id": fid, "fileName": name, "size": len(data), "fileType": "application/octet-stream",
                  "sha256": hashlib.sha256(data).hexdigest()} for fid, (name, data) in entries.items()}}
        query = f"?pin={pin}" if pin else ""
        conn = _connect(address, port, fingerprint, timeout, (cert, key))
        answer: dict[str, Any] = {"uploads": [], "cancel": None}
        try:
            conn.request("POST", f"{API}/prepare-upload{query}", body=json.dumps(body).encode(),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            reply_body = resp.read()
            answer["status"] = resp.status
            if resp.status != 200:
                return answer
            reply = json.loads(reply_body)
            session = reply["sessionId"]
            for fid, (_name, data) in entries.items():
                target = f"{API}/upload?sessionId={session}&fileId={fid}&token={reply['files'][fid]}"
                if cut_after is not None:
                    conn.putrequest("POST", target)
                    conn.putheader("Content-Length", str(len(data)))
                    conn.endheaders()
                    assert conn.sock is not None
                    conn.sock.sendall(data[:cut_after])
                    time.sleep(0.5)  # the receiver has written what came
                    conn.close()  # cut: the upload ends early
                    answer["uploads"].append(0)
                    bye = _connect(address, port, fingerprint, timeout, (cert, key))
                    bye.request("POST", f"{API}/cancel?sessionId={session}")
                    answer["cancel"] = bye.getresponse().status
                    bye.close()
                    return answer
                try:
                    payload: Any = iter([data]) if chunked else data
                    conn.request("POST", target, body=payload, headers={"Content-Type": "application/octet-stream"})
                    uploaded = conn.getresponse()
                    uploaded.read()
                    answer["uploads"].append(uploaded.status)
                except (OSError, http.client.HTTPException):
                    answer["uploads"].append(0)
                    conn.close()
                    conn = _connect(address, port, fingerprint, timeout, (cert, key))
            return answer
        finally:
            conn.close()


# --------------------------------------------------------------------------------------------
# localsendd


_STARTED = re.compile(r"alias=(?P<alias>.*) fingerprint=(?P<fingerprint>\S+) port=(?P<port>\d+) "
                      r"protocol=v(?P<version>\S+) encryption=(?P<encryption>\w+) unattended=(?P<unattended>\w+)")


class LocalsendDaemon:
    """localsendd 0.1.1 inside a namespace, accepting transfers by itself (`--unattended`).

    Everything it keeps lives under `workdir` (HOME, XDG_STATE_HOME with its cert.pem, key.pem and
    favorites; its log `localsendd.log`); files arrive flat in `download_dir`. `fingerprint` is its
    certificate's SHA-256 in upper case, as it announces it. Don't connect to its control socket while
    a transfer should be auto-accepted: with a client attached it waits for that client's answer.
    """

    def __init__(self, prefix: Sequence[str], alias: str, download_dir: Path, workdir: Path,
                 pin: str | None = None, *, port: int = DEFAULT_PORT, unattended: bool = True,
                 log_level: str = "info", start_timeout: float = 30) -> None:
        self.prefix = _require_prefix(prefix)
        self.alias, self.pin, self.port = alias, pin, port
        self.workdir = Path(workdir)
        self.download_dir = Path(download_dir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.download_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "localsendd.log"
        self.fingerprint = ""
        self.info: dict[str, Any] = {}
        self.tls: dict[str, Any] = {}
        # The control socket path must fit sun_path (~107 bytes); a short private directory does.
        self._socket_dir = Path(tempfile.mkdtemp(prefix="lsd-"))
        self.socket_path = self._socket_dir / "ctl.sock"
        env = _tool_env(self.workdir, XDG_STATE_HOME=str(self.workdir / "state"),
                        XDG_CONFIG_HOME=str(self.workdir / "config"), XDG_RUNTIME_DIR=str(self._socket_dir))
        if pin:
            env["LOCALSEND_PIN"] = pin  # the config route; --pin would log a warning about ps
        args = [*self.prefix, tool("localsendd"), "--alias", alias, "--port", str(port),
                "--download-dir", str(self.download_dir), "--socket", str(self.socket_path),
                "--encryption", "--unattended" if unattended else "--no-unattended",
                "--no-log-time", "--log-level", log_level]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, env=env)
        try:
            self._wait_ready(start_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        """Wait for its start-up log line, then for an HTTPS /info answer from inside the namespace."""
        deadline = time.monotonic() + timeout
        started = None
        while started is None:
            if self.process.poll() is not None:
                raise LocalsendError(f"localsendd exited with {self.process.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise LocalsendError(f"localsendd did not start:\n{self.log_text()}")
            started = _STARTED.search(self.log_text())
            time.sleep(0.05)
        if started["encryption"] != "True":  # no openssl: it fell back to HTTP with a random fingerprint
            raise LocalsendError(f"localsendd runs without HTTPS (is openssl installed?):\n{self.log_text()}")
        self.fingerprint = started["fingerprint"]
        cert = self.workdir / "state" / "localsendd" / "cert.pem"
        if not same_fingerprint(pem_fingerprint(cert), self.fingerprint):
            raise LocalsendError("localsendd's announced fingerprint is not its certificate's")
        while True:
            try:
                probe = probe_info("127.0.0.1", self.port, self.fingerprint, prefix=self.prefix, timeout=3)
                break
            except LocalsendError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)
        self.info = probe["info"]
        self.tls = {"version": probe["tls"], "cipher": probe["cipher"]}

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def received_files(self) -> list[Path]:
        """The files in its download directory, by name."""
        return sorted(p for p in self.download_dir.iterdir() if p.is_file())

    def wait_for_file(self, name: str, size: int | None = None, timeout: float = 30) -> Path:
        """Wait until `name` is in the download directory (with `size` bytes, when given)."""
        path = self.download_dir / name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path.is_file() and (size is None or path.stat().st_size == size):
                return path
            time.sleep(0.05)
        raise LocalsendError(f"{name} did not arrive in {timeout}s; have {self.received_files()}")

    def stop(self) -> None:
        """SIGTERM (it shuts down cleanly), then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        shutil.rmtree(self._socket_dir, ignore_errors=True)

    def __enter__(self) -> LocalsendDaemon:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------
# localsend-cli


def cli_fingerprint(home: Path) -> str:
    """The fingerprint localsend-cli announces for the identity under `home`: lower-case hex."""
    return pem_fingerprint(home / ".config" / "localsend-cli" / "cert.pem").lower()


@contextlib.contextmanager
def _home(home: Path | None) -> Iterator[Path]:
    """localsend-cli keeps its certificate in ~/.config/localsend-cli: give it a HOME of its own."""
    if home is not None:
        home.mkdir(parents=True, exist_ok=True)
        yield home
    else:
        with tempfile.TemporaryDirectory(prefix="ls-cli-") as tmp:
            yield Path(tmp)


def cli_scan(prefix: Sequence[str], timeout: float = 3, *, home: Path | None = None) -> list[dict[str, Any]]:
    """`localsend-cli scan --json`: the devices that answered, as {alias, ip, type, model, download, port}.

    It multicasts one announcement and counts only answers: UDP datagrams with "announce": false and
    POST /register requests to its own HTTPS server on port 53317.
    """
    prefix = _require_prefix(prefix)
    seconds = max(1, math.ceil(timeout))  # its --timeout is an int
    with _home(home) as h:
        done = run_measured([*prefix, tool("localsend-cli"), "scan", "--json", "--timeout", str(seconds)],
                            env=_tool_env(h), timeout=seconds + 30)
    if done.returncode != 0:
        raise LocalsendError(f"localsend-cli scan failed ({done.returncode}): {done.stderr.strip()}")
    return [e for e in _json_lines(done.stdout) if "ip" in e]


@dataclasses.dataclass
class SendResult:
    """What `localsend-cli send --json` did. Its exit code alone says little: it exits 0 when an upload
    failed (an "error" event, then "done") and when the receiver answered 204; 1 on a refused
    prepare-upload or a connection error, and 1 with a traceback on a timeout."""

    finished: Finished
    events: list[dict[str, Any]]
    files_offered: int

    @property
    def returncode(self) -> int:
        return self.finished.returncode

    @property
    def sent(self) -> list[str]:
        return [e["name"] for e in self.events if e.get("event") == "sent"]

    @property
    def errors(self) -> list[str]:
        return [str(e.get("message")) for e in self.events if e.get("event") == "error"]

    @property
    def session_id(self) -> str | None:
        return next((e["session_id"] for e in self.events if e.get("event") == "session"), None)

    @property
    def ok(self) -> bool:
        """Every offered file was uploaded and answered 200, and the command ended normally."""
        done = any(e.get("event") == "done" for e in self.events)
        return (self.returncode == 0 and not self.finished.timed_out and done and not self.errors
                and len(self.sent) == self.files_offered)

    def describe(self) -> str:
        return (f"exit {self.returncode}, sent {self.sent}, errors {self.errors}, "
                f"stderr {self.finished.stderr.strip()[-500:]!r}")


def cli_send(prefix: Sequence[str], target: str, paths: Sequence[Path], timeout: float = 60, *,
             port: int = DEFAULT_PORT, home: Path | None = None) -> SendResult:
    """`localsend-cli send --json TARGET PATHS...`, its events parsed (see SendResult.ok)."""
    prefix = _require_prefix(prefix)
    with _home(home) as h:
        done = run_measured([*prefix, tool("localsend-cli"), "send", "--json", "--port", str(port), target,
                             *map(str, paths)], env=_tool_env(h), timeout=timeout)
    return SendResult(done, _json_lines(done.stdout), len(paths))


class CliReceiver:
    """`localsend-cli receive --json` in a namespace, its events collected as they are printed.

    With --json it accepts every offer by itself. It always serves HTTPS on port 53317 (no --port),
    IPv4 only, and announces itself by multicast every 5 s. Events: ready {ip, port, output_dir, pin},
    device {alias, ip}, incoming {sender, ip, files, is_text}, saved {name, path, sender, size},
    text {sender, text}, cancelled {session}. A single text/* file is shown as a "text" event with
    the uploaded body (the `preview` is ignored) and is not saved.
    """

    def __init__(self, prefix: Sequence[str], output_dir: Path, *, pin: str | None = None,
                 home: Path | None = None, start_timeout: float = 20) -> None:
        self.prefix = _require_prefix(prefix)
        self.output_dir = Path(output_dir)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._tmp = None if home is not None else tempfile.TemporaryDirectory(prefix="ls-cli-")
        self.home = Path(home) if home is not None else Path(self._tmp.name)  # type: ignore[union-attr]
        self.home.mkdir(parents=True, exist_ok=True)
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        args = [*self.prefix, tool("localsend-cli"), "receive", "--json", "--output", str(self.output_dir)]
        if pin:
            args += ["--pin", pin]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self._stderr, env=_tool_env(self.home), text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.ready = self.wait_for("ready", timeout=start_timeout)
            self.fingerprint = cli_fingerprint(self.home)
        except BaseException:
            self.stop()
            raise

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            for event in _json_lines(line):
                with self._changed:
                    self.events.append(event)
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, event: str, timeout: float = 30,
                 where: Callable[[dict[str, Any]], bool] = lambda e: True) -> dict[str, Any]:
        """The first event of that kind (matching `where`); raises LocalsendError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for e in self.events:
                    if e.get("event") == event and where(e):
                        return e
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise LocalsendError(f"no {event!r} event from localsend-cli receive; got {self.events}, "
                                         f"stderr {self.stderr()[-500:]!r}")
                self._changed.wait(min(left, 0.2))

    @property
    def texts(self) -> list[str]:
        with self._changed:
            return [e["text"] for e in self.events if e.get("event") == "text"]

    @property
    def saved(self) -> list[dict[str, Any]]:
        with self._changed:
            return [e for e in self.events if e.get("event") == "saved"]

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> CliReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def cli_receive(prefix: Sequence[str], output_dir: Path, **kwargs: Any) -> CliReceiver:
    """Start `localsend-cli receive`; use as `with cli_receive(...) as receiver:`."""
    return CliReceiver(prefix, output_dir, **kwargs)


# --------------------------------------------------------------------------------------------
# The in-namespace helper


def _main(argv: list[str]) -> int:
    """`probe JSON` / `send-text JSON`: run one call here and print its answer as one JSON line."""
    command, params = argv[0], json.loads(argv[1])
    try:
        if command == "probe":
            answer: dict[str, Any] = probe_info(**params)
        elif command == "send-files":
            params["files"] = {k: Path(v).read_bytes() for k, v in params["files"].items()}
            answer = send_files_raw(**params)
        elif command == "send-text":
            if params.get("identity_dir"):
                params["identity_dir"] = Path(params["identity_dir"])
            answer = {"status": send_text_like_the_app(**params)}
        else:
            answer = {"error": f"unknown command {command}"}
    except Exception as e:  # reported to the caller, which raises it again
        answer = {"error": f"{type(e).__name__}: {e}", "kind": type(e).__name__}
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
