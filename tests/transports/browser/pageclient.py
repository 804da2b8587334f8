"""What the share page does, in Python over real sockets: for tests and the benchmark (http.client, one request per
connection, as the server answers)."""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class PageClient:
    """Requests to one share's link, e.g. `http://127.0.0.1:5000/s/TOKEN/`."""

    def __init__(self, link: str, key: str = "", timeout: float = 10.0) -> None:
        parts = urlsplit(link)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "", parts.port or 80
        self.base = parts.path
        self.key = key
        self.timeout = timeout

    def connection(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=context)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def target(self, path: str, **query: str) -> str:
        if self.key:
            query.setdefault("k", self.key)
        return self.base + path + ("?" + urlencode(query) if query else "")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                raw_target: str | None = None, **query: str) -> Answer:
        conn = self.connection()
        try:
            conn.request(method, raw_target or self.target(path, **query), body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def call(self, method: str, path: str, value: Any = None, **query: str) -> Answer:
        body = json.dumps(value).encode() if value is not None else None
        headers = {"content-type": "application/json"} if body is not None else {}
        return self.request(method, path, body, headers, **query)

    def new_upload(self, device: str, name: str, files: list[tuple[str, int]]) -> Answer:
        return self.call("POST", "api/uploads", {"device": device, "name": name,
                                                 "files": [{"name": n, "size": s} for n, s in files]})

    def put(self, upload: str, index: int, data: bytes, offset: int = 0) -> Answer:
        return self.request("PUT", f"api/uploads/{upload}/{index}", data, offset=str(offset))
