"""The share server's request handler, called in the HTTP layer's connection threads (docs/protocol.md §8.3).

It finds the share by the token in the path (a wrong or ended one gets a
page saying so, and nothing else), asks for the PIN's key where a PIN is
set, and answers the page, its API, downloads and thumbnails. Uploads go
to `Uploads`; what the transport must know goes out as signals, queued to
the main thread. No answer here is ever a traceback.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QObject, Signal

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.transfers.offer_files import make_thumbnail
from lanchat.transports.browser.net import responses
from lanchat.transports.browser.protocol import pages
from lanchat.transports.browser.protocol.messages import (
    MAX_BODY,
    MAX_FILES,
    BadMessage,
    dumps,
    parse_new_upload,
    parse_pin,
)
from lanchat.transports.browser.protocol.routes import BadRange, Route, Target, parse_offset, parse_range, parse_target
from lanchat.transports.browser.shares import Share, ShareTable
from lanchat.transports.browser.uploads import Upload, Uploads, UploadState
from lanchat.transports.http.connection import BodyError, HttpRequest, ServerConnection

log = logging.getLogger("lanchat.browser.site")

PAGE_FILE = Path(__file__).resolve().parent.parent / "share.html"
WAIT_SECONDS = 25.0  # a page waiting for a decision asks again this often
PROGRESS_SECONDS = 0.1


@dataclass(frozen=True)
class DeviceSeen:
    """A page sent files or asked what it sent: `sender` is its contact id in this share."""

    share_id: str
    sender: str
    name: str
    ip: str


@dataclass(frozen=True)
class UploadOffered:
    share_id: str
    upload_id: str
    tid: str
    sender: str
    files: tuple[tuple[str, int], ...]  # name, size


@dataclass(frozen=True)
class UploadCancelled:
    """The page cancelled an upload."""

    tid: str
    sender: str


@dataclass(frozen=True)
class DownloadProgress:
    """`sent` bytes of given file `index` went to `ip` on this request; `ended` once it stopped (`complete` or not)."""

    share_id: str
    index: int
    name: str
    ip: str
    sent: int
    size: int
    ended: bool = False
    complete: bool = False


class ShareSite(QObject):
    """Answers every request of the share server. `owner` is the name the page shows as the receiver."""

    device_seen = Signal(DeviceSeen)
    upload_offered = Signal(UploadOffered)
    upload_cancelled = Signal(UploadCancelled)
    download_progress = Signal(DownloadProgress)

    def __init__(self, shares: ShareTable, uploads: Uploads, owner: str, fingerprint: str,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__()
        self.owner = owner
        self._shares = shares
        self._uploads = uploads
        self._fingerprint = fingerprint
        self._clock = clock
        self.page = PAGE_FILE.read_bytes()
        self._page_policy = pages.page_policy(self.page.decode("utf-8"))
        self._thumbs: dict[tuple[str, int], bytes | None] = {}
        self._thumbs_lock = threading.Lock()

    # --- the entry point -------------------------------------------------------------------

    def handle(self, conn: ServerConnection, request: HttpRequest) -> None:
        chinese = pages.wants_chinese(request.headers.get("accept-language"))
        target = parse_target(request.method, request.path)
        if target.token is None:
            self._problem(conn, 404, pages.NOT_FOUND, chinese)
            return
        share = self._shares.find(target.token)
        if share is None or not self._shares.enter(share, conn):
            self._problem(conn, 404, pages.EXPIRED, chinese)  # wrong and ended links look the same
            return
        try:
            if target.route is Route.UNKNOWN:
                self._problem(conn, 404, pages.NOT_FOUND, chinese)
            elif not target.method_ok:
                self._problem(conn, 405, pages.WRONG_METHOD, chinese, [("allow", _allowed(target.route))])
            elif request.method != "GET" and not _same_origin(request, share.https):
                self._error(conn, 403, "cross-origin", "this request did not come from the share's page")
            else:
                self._route(conn, request, target, share, chinese)
        except Exception:  # a bug must not show a traceback to a browser, nor kill the connection thread silently
            log.exception("answering %s %s", request.method, target.route.value)
            self._problem(conn, 500, pages.BAD_REQUEST, chinese)
        finally:
            self._shares.leave(share, conn)

    def _route(self, conn: ServerConnection, request: HttpRequest, target: Target, share: Share,
               chinese: bool) -> None:
        route = target.route
        if route is Route.BARE:
            responses.send(conn, 308, headers=[("location", f"/s/{share.token}/")])
        elif route is Route.PAGE:
            responses.send(conn, 200, self.page, "text/html; charset=utf-8",
                           [("content-security-policy", self._page_policy)])
        elif route is Route.INFO:
            self._json(conn, 200, {
                "owner": self.owner, "receive": share.receive, "give": bool(share.given), "pin": bool(share.pin),
                "https": share.https, "fingerprint": self._fingerprint if share.https else None,
                "max_files": MAX_FILES,
            })
        elif route is Route.PIN:
            self._pin(conn, request, share)
        elif not self._shares.authorised(share, request.query.get("k")):
            self._error(conn, 401, "pin-required", "give the share's PIN first")
        elif route is Route.FILES:
            self._json(conn, 200, {"files": [
                {"index": f.index, "name": f.name, "size": f.size, "picture": f.picture,
                 "url": f"files/{f.index}/{quote(f.name)}"} for f in share.given]})
        elif route is Route.DOWNLOAD:
            self._download(conn, request, share, target.index or 0, chinese)
        elif route is Route.THUMB:
            self._thumb(conn, share, target.index or 0)
        elif route is Route.UPLOADS:
            device = request.query.get("d", "")
            self._json(conn, 200, {"uploads": [u.snapshot() for u in self._uploads.of_device(share.id, device)]})
        elif route is Route.NEW_UPLOAD:
            self._new_upload(conn, request, share)
        else:
            upload = self._uploads.get(share.id, target.upload or "")
            if upload is None:
                self._error(conn, 404, "no-upload", "no such upload in this share")
            elif route is Route.UPLOAD:
                self._upload_state(conn, request, upload)
            elif route is Route.CANCEL_UPLOAD:
                if self._uploads.cancel(upload):
                    self.upload_cancelled.emit(UploadCancelled(upload.tid, upload.sender))
                self._json(conn, 200, upload.snapshot())
            else:
                self._put(conn, request, upload, target.index or 0)

    # --- answers ---------------------------------------------------------------------------------

    def _json(self, conn: ServerConnection, status: int, value: object, headers: responses.Headers = ()) -> None:
        responses.send(conn, status, dumps(value), "application/json; charset=utf-8", headers)

    def _error(self, conn: ServerConnection, status: int, code: str, message: str,
               headers: responses.Headers = ()) -> None:
        self._json(conn, status, {"error": code, "message": message}, headers)

    def _problem(self, conn: ServerConnection, status: int, problem: pages.Problem, chinese: bool,
                 headers: responses.Headers = ()) -> None:
        responses.send(conn, status, pages.problem_page(problem, chinese), "text/html; charset=utf-8",
                       [("content-security-policy", pages.ERROR_POLICY), *headers])

    # --- PIN ---------------------------------------------------------------------------------------

    def _pin(self, conn: ServerConnection, request: HttpRequest, share: Share) -> None:
        try:
            given = parse_pin(conn.read_body(1024))
        except (BodyError, BadMessage) as e:
            self._error(conn, 400, "bad-request", str(e))
            return
        if not share.pin:
            self._json(conn, 200, {"key": ""})
            return
        answer = self._shares.check_pin(share, request.peer_ip, given)
        if answer.key is not None:
            self._json(conn, 200, {"key": answer.key})
        elif answer.status == 429:
            log.info("too many wrong PINs for a share from %s", request.peer_ip)
            self._error(conn, 429, "too-many-tries", "too many wrong PINs: wait a minute",
                        [("retry-after", "60")])
        else:
            self._error(conn, 401, "wrong-pin", "that is not the share's PIN")

    # --- giving ---------------------------------------------------------------------------------------

    def _download(self, conn: ServerConnection, request: HttpRequest, share: Share, index: int,
                  chinese: bool) -> None:
        if not 0 <= index < len(share.given):
            self._problem(conn, 404, pages.NOT_FOUND, chinese)
            return
        given = share.given[index]
        try:
            size = os.stat(given.path).st_size
        except OSError as e:
            log.info("a shared file is gone: %s (%s)", given.path, e.strerror)
            self._problem(conn, 404, pages.NOT_FOUND, chinese)
            return
        try:
            wanted = parse_range(request.headers.get("range"), size)
        except BadRange:
            responses.send(conn, 416, headers=[("content-range", f"bytes */{size}")])
            return
        start, length = (wanted.start, wanted.length) if wanted else (0, size)
        headers = [("content-type", "application/octet-stream"), ("accept-ranges", "bytes"),
                   ("content-disposition", f"attachment; filename*=UTF-8''{quote(given.name, safe='')}")]
        if wanted is not None:
            headers.append(("content-range", f"bytes {wanted.start}-{wanted.end}/{size}"))
        last = [0.0]

        def progress(sent: int) -> None:
            now = self._clock.monotonic()
            if now - last[0] >= PROGRESS_SECONDS:
                last[0] = now
                self.download_progress.emit(DownloadProgress(share.id, index, given.name, request.peer_ip,
                                                             start + sent, size))

        complete = responses.send_file(conn, 206 if wanted else 200, given.path, start, length, headers, progress)
        self.download_progress.emit(DownloadProgress(share.id, index, given.name, request.peer_ip,
                                                     start + length if complete else start, size, True,
                                                     complete and start + length == size))

    def _thumb(self, conn: ServerConnection, share: Share, index: int) -> None:
        if not 0 <= index < len(share.given) or not share.given[index].picture:
            self._error(conn, 404, "no-thumbnail", "no thumbnail for this file")
            return
        key = (share.id, index)
        with self._thumbs_lock:
            known = key in self._thumbs
            thumb = self._thumbs.get(key)
        if not known:
            thumb = make_thumbnail(share.given[index].path)  # QImage: safe off the GUI thread
            with self._thumbs_lock:
                self._thumbs[key] = thumb
        if thumb is None:
            self._error(conn, 404, "no-thumbnail", "this picture cannot be read")
        else:
            responses.send(conn, 200, thumb, "image/jpeg")

    def forget_thumbnails(self, share_id: str) -> None:
        with self._thumbs_lock:
            for key in [k for k in self._thumbs if k[0] == share_id]:
                del self._thumbs[key]

    # --- receiving --------------------------------------------------------------------------------------

    def _new_upload(self, conn: ServerConnection, request: HttpRequest, share: Share) -> None:
        if not share.receive:
            self._error(conn, 403, "not-receiving", "this share does not take files")
            return
        try:
            new = parse_new_upload(conn.read_body(MAX_BODY))
        except BodyError as e:
            self._error(conn, 413, "too-large", str(e))
            return
        except BadMessage as e:
            log.info("a bad upload from %s: %s", request.peer_ip, e)
            self._error(conn, 400, "bad-request", str(e))
            return
        sender = share.contact_id(new.device)
        name = new.device_name or pages.device_name(request.headers.get("user-agent"))
        added = self._uploads.add(share.id, new, sender, name, request.peer_ip)
        if added is None:
            self._error(conn, 429, "too-many", "too many uploads are open: wait for them to end")
            return
        upload, resumed = added
        self.device_seen.emit(DeviceSeen(share.id, sender, name, request.peer_ip))
        if not resumed:
            self.upload_offered.emit(UploadOffered(share.id, upload.id, upload.tid, sender,
                                                   tuple((f.name, f.size) for f in upload.files)))
        self._json(conn, 200 if resumed else 201, upload.snapshot())

    def _upload_state(self, conn: ServerConnection, request: HttpRequest, upload: Upload) -> None:
        wait = request.query.get("wait")
        if wait and upload.state is UploadState.WAITING:
            conn.wait_for(upload.decided, WAIT_SECONDS)
        self._json(conn, 200, upload.snapshot())

    def _put(self, conn: ServerConnection, request: HttpRequest, upload: Upload, index: int) -> None:
        offset = parse_offset(request.query.get("offset"))
        if offset is None:
            self._error(conn, 400, "bad-request", "'offset' is a whole number of bytes")
            return
        received = self._uploads.receive(upload, index, offset, request.content_length, conn)
        if received is None:
            return  # cut: the page asks where to go on
        if received.status == 503:
            self._error(conn, 503, "busy", "too many files are arriving at once", [("retry-after", "2")])
        else:
            self._json(conn, received.status, received.body)


def _same_origin(request: HttpRequest, https: bool) -> bool:
    """A request that changes something must come from the share's own page (an Origin, when sent, is ours)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request (those carry an Origin)
    host = request.headers.get("host", "")
    return origin == f"{'https' if https else 'http'}://{host}"


def _allowed(route: Route) -> str:
    return {Route.NEW_UPLOAD: "GET, POST", Route.PIN: "POST", Route.PUT_FILE: "PUT",
            Route.UPLOAD: "GET, DELETE"}.get(route, "GET")
