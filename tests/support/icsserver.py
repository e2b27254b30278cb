"""A calendar publisher on loopback (http.server): serves .ics bodies that a test changes, with ETag and
304 Not Modified, and scripted failures, and records what each request asked."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Published:
    body: bytes = b""
    status: int = 200  # anything but 200: answered with that status and no calendar
    requests: list[dict[str, str]] = field(default_factory=list)


class IcsServer:
    """`with IcsServer() as server:`; `server.publish("/ivb.ics", data)`; `server.url("/ivb.ics")`."""

    def __init__(self) -> None:
        self.paths: dict[str, Published] = {}
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def publish(self, path: str, body: bytes, status: int = 200) -> None:
        with self._lock:
            published = self.paths.setdefault(path, Published())
            published.body, published.status = body, status

    def requests(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return list(self.paths.setdefault(path, Published()).requests)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            published = self.paths.get(handler.path.split("?")[0])
            if published is not None:
                published.requests.append({k.lower(): v for k, v in handler.headers.items()})
        if published is None or published.status != 200:
            handler.send_response(404 if published is None else published.status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        etag = '"' + hashlib.sha256(published.body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar; charset=utf-8")
        handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(published.body)))
        handler.end_headers()
        handler.wfile.write(published.body)

    def __enter__(self) -> IcsServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
