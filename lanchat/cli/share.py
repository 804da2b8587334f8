"""Shares for browsers from the command line: the `share`/`unshare` commands, their events, and `lanchat share`.

`share_command` carries out `{"cmd":"share"}` and `{"cmd":"unshare"}` for
headless stdin and the control socket; `ShareEvents` prints `share` and
`download` events. `lanchat share` opens a share in the lanchat that runs
with the profile (over its control socket) or, when none runs, runs one
itself as headless mode does, with the share open. See docs/cli.md.
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from PySide6.QtCore import QObject, Slot

from lanchat.app import Options, Runtime
from lanchat.control_socket import SOCKET_NAME, is_running
from lanchat.core.transport import NetworkUnavailable
from lanchat.transports.browser.net.site import DownloadProgress
from lanchat.transports.browser.transport import ShareError, ShareInfo, new_pin

#: `download` progress events go out at most twice a second per download.
PROGRESS_INTERVAL = 0.5


def share_event(info: ShareInfo, state: str = "open") -> dict[str, Any]:
    return {
        "event": "share", "share": info.id, "state": state, "urls": list(info.urls), "receive": info.receive,
        "given": list(info.given), "pin": info.pin or None, "accept_all": info.accept_all, "https": info.https,
        "fingerprint": info.fingerprint,
    }


def _fail(code: str, message: str) -> dict[str, Any]:
    """A result that is not ok (Commands.execute merges it into the result line)."""
    return {"ok": False, "error": code, "message": message}


def share_command(runtime: Runtime, command: dict[str, Any]) -> dict[str, Any]:
    """`{"cmd":"share",...}` opens a share, `{"cmd":"unshare","share":ID}` closes one (docs/cli.md)."""
    browser = runtime.browser
    if browser is None:
        return _fail("unsupported", "this lanchat has no browser shares")
    if command.get("cmd") == "unshare":
        share_id = command.get("share")
        if not isinstance(share_id, str) or not browser.close_share(share_id):
            return _fail("not-found", f"no open share {share_id!r}")
        return {"share": share_id}
    receive, give, pin = command.get("receive", False), command.get("give", []), command.get("pin")
    accept_all, https = command.get("accept_all", False), command.get("https")
    if not isinstance(receive, bool) or not isinstance(accept_all, bool) or https not in (None, True, False):
        return _fail("bad-command", "'receive', 'accept_all' and 'https' are true or false")
    if not isinstance(give, list) or not all(isinstance(p, str) for p in give):
        return _fail("bad-command", "'give' must be a list of paths")
    if pin is True:
        pin = new_pin()
    if pin is not None and not isinstance(pin, str):
        return _fail("bad-command", "'pin' is 4 digits, true for a random one, or null")
    try:
        info = browser.open_share(receive, [Path(p).expanduser() for p in give], pin or "", accept_all,
                                  runtime.settings.browser_https if https is None else https)
    except ShareError as e:
        return _fail("bad-path" if give and "PIN" not in str(e) else "bad-command", str(e))
    except NetworkUnavailable as e:
        return _fail("network-off", str(e))
    result = share_event(info)
    del result["event"], result["state"]
    return result


class ShareEvents(QObject):
    """Prints `share` events (opened, closed, expired) and `download` events through `emit`."""

    def __init__(self, runtime: Runtime, emit: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self._emit = emit
        self._last: dict[tuple[str, int, str], float] = {}
        self._shares: dict[str, ShareInfo] = {}
        if runtime.browser is not None:
            runtime.browser.share_opened.connect(self.on_opened)
            runtime.browser.share_closed.connect(self.on_closed)
            runtime.browser.download_progress.connect(self.on_download)

    @Slot(object)
    def on_opened(self, info: ShareInfo) -> None:
        self._shares[info.id] = info
        self._emit(share_event(info))

    @Slot(str, str)
    def on_closed(self, share_id: str, reason: str) -> None:
        info = self._shares.pop(share_id, None)
        if info is not None:
            self._emit(share_event(info, reason))

    @Slot(object)
    def on_download(self, progress: DownloadProgress) -> None:
        key = (progress.share_id, progress.index, progress.ip)
        now = time.monotonic()
        if not progress.ended and now - self._last.get(key, 0.0) < PROGRESS_INTERVAL:
            return
        self._last[key] = now
        if progress.ended:
            self._last.pop(key, None)
        state = ("done" if progress.complete else "cut") if progress.ended else "progress"
        self._emit({"event": "download", "share": progress.share_id, "path": progress.name,
                    "address": progress.ip, "state": state, "bytes": progress.sent, "total": progress.size})


# --- `lanchat share` ----------------------------------------------------------------------------


#: `lanchat.cli.headless.run_headless`, handed in by cli/main.py (importing it here would make a cycle:
#: headless → commands → share).
RunHeadless = Callable[[Options, str, "OwnShare"], int]


@dataclass(frozen=True)
class ShareRequest:
    receive: bool
    give: tuple[Path, ...]
    pin: str | bool | None
    accept_all: bool
    https: bool | None
    qr_png: Path | None


def add_share_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--receive", action="store_true", help="the page sends files to lanchat")
    parser.add_argument("--give", metavar="FILE", action="append", default=[],
                        help="a file the page offers to download (repeatable)")
    pin = parser.add_mutually_exclusive_group()
    pin.add_argument("--pin", metavar="PIN", help="the page asks for these 4 digits first")
    pin.add_argument("--random-pin", action="store_true", help="the page asks for 4 random digits (printed)")
    parser.add_argument("--accept-all", action="store_true",
                        help="take every file sent through this link without asking")
    scheme = parser.add_mutually_exclusive_group()
    scheme.add_argument("--https", dest="https", action="store_true", default=None,
                        help="serve the page over HTTPS with the profile's certificate")
    scheme.add_argument("--http", dest="https", action="store_false", help="serve it over plain HTTP")
    parser.add_argument("--qr-png", metavar="FILE", help="also write the first link's QR code as a PNG")


def main(argv: Sequence[str], add_peer_options: Callable[[argparse.ArgumentParser], None],
         options_from_args: Callable[[argparse.Namespace], Options], run_headless: RunHeadless) -> int:
    """`lanchat share ...`; the options every command shares, and headless mode, come from cli/main.py."""
    parser = argparse.ArgumentParser(
        prog="lanchat share", description="Show a link and QR code for a phone's browser: it sends files "
        "(--receive) and/or downloads them (--give) without installing anything.")
    add_peer_options(parser)
    add_share_options(parser)
    args = parser.parse_args(list(argv))
    if not args.receive and not args.give:
        parser.error("say --receive, --give FILE, or both")
    try:
        options = options_from_args(args)
    except ValueError as e:
        print(f"lanchat share: {e}", file=sys.stderr)
        return 2
    request = ShareRequest(args.receive, tuple(Path(p).expanduser().resolve() for p in args.give),
                           True if args.random_pin else args.pin, args.accept_all, args.https,
                           Path(args.qr_png) if args.qr_png else None)
    return run_share(options, request, run_headless)


def run_share(options: Options, request: ShareRequest, run_headless: RunHeadless) -> int:
    """Through the lanchat running with this profile, else as headless mode with the share open."""
    path = options.profile / SOCKET_NAME
    if is_running(path):
        return _share_through_running(path, request)
    return run_headless(options, "lanchat share", OwnShare(request))


def _command(request: ShareRequest) -> dict[str, Any]:
    return {"cmd": "share", "id": "share", "receive": request.receive, "give": [str(p) for p in request.give],
            "pin": request.pin, "accept_all": request.accept_all, "https": request.https}


def show_links(event: dict[str, Any], qr_png: Path | None) -> None:
    """The links and the first one's QR code for people (stderr), and as a PNG when asked."""
    urls = event["urls"]
    if qr_png is not None:
        segno.make(urls[0], error="m").save(str(qr_png), scale=8, border=4)
    if sys.stderr.isatty():
        segno.make(urls[0], error="m").terminal(out=sys.stderr, compact=True)
    for url in urls:
        print(f"lanchat share: {url}", file=sys.stderr)
    if event.get("pin"):
        print(f"lanchat share: the page asks for the PIN {event['pin']}", file=sys.stderr)
    if not event.get("https"):
        print("lanchat share: not encrypted: others on this network could see the files", file=sys.stderr)


class LinksShown(QObject):
    """Shows an opened share's links (and writes its QR code) before headless mode prints the `share` event."""

    def __init__(self, qr_png: Path | None) -> None:
        super().__init__()
        self._qr_png = qr_png

    @Slot(object)
    def on_opened(self, info: ShareInfo) -> None:
        show_links(share_event(info), self._qr_png)


def _print(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def _share_through_running(path: Path, request: ShareRequest) -> int:
    """Ask the running lanchat to open the share; print its events until Ctrl-C, then close it."""
    stopping: list[int] = []
    previous = {s: signal.signal(s, lambda n, _f: stopping.append(n)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(path))
            sock.settimeout(10.0)
            lines = sock.makefile("rb")
            sock.sendall(json.dumps(_command(request)).encode() + b"\n")
            result = _read_until(lines, lambda e: e.get("event") == "result" and e.get("id") == "share")
            if result is None or not result.get("ok"):
                message = result.get("message", "refused") if result else "the running lanchat did not answer"
                print(f"lanchat share: {message}", file=sys.stderr)
                return 1
            share_id = result["share"]
            event = {"event": "share", "state": "open", **{k: v for k, v in result.items() if k not in
                                                         ("event", "id", "ok")}}
            show_links(event, request.qr_png)
            _print(event)
            sock.settimeout(0.5)
            while not stopping:
                line = _read_line(lines)
                if line is False:
                    return 0  # the running lanchat quit
                if not isinstance(line, dict):
                    continue
                if line.get("share") == share_id or str(line.get("peer", "")).startswith("browser:"):
                    _print(line)
                if line.get("event") == "share" and line.get("share") == share_id and line.get("state") != "open":
                    return 0
            sock.settimeout(5.0)
            sock.sendall(json.dumps({"cmd": "unshare", "id": "unshare", "share": share_id}).encode() + b"\n")
            _read_until(lines, lambda e: e.get("event") == "result" and e.get("id") == "unshare")
            return 0
    except OSError as e:
        print(f"lanchat share: cannot talk to the running lanchat: {e}", file=sys.stderr)
        return 1
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _read_line(lines: Any) -> dict[str, Any] | None | bool:
    """The next event; None when none came in time; False at the end of the stream."""
    try:
        raw = lines.readline()
    except TimeoutError:
        return None
    if not raw:
        return False
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _read_until(lines: Any, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    while True:
        line = _read_line(lines)
        if line is False or line is None:
            return None
        if isinstance(line, dict) and wanted(line):
            return line


class OwnShare:
    """The share of a `lanchat share` that runs lanchat itself: opened once headless mode runs."""

    def __init__(self, request: ShareRequest) -> None:
        self._request = request
        self._links = LinksShown(request.qr_png)

    def before_events(self, runtime: Runtime) -> None:
        if runtime.browser is not None:  # connected before headless mode's events: the QR code is written first
            runtime.browser.share_opened.connect(self._links.on_opened)

    def after_start(self, runtime: Runtime) -> str | None:
        result = share_command(runtime, _command(self._request))
        return str(result["message"]) if result.get("ok") is False else None
