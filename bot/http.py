"""HTTP mode: a small WSGI app (Slack events, health, extra GET routes) served by waitress."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.request import BoltRequest

from storage.db import database_answers

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from bot.deps import Deps

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (views) are far below this

Response = tuple[int, list[tuple[str, str]], bytes]
GetRoute = Callable[[dict[str, list[str]]], Response]

STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _plain(status: int, text: str) -> Response:
    return status, [("Content-Type", "text/plain; charset=utf-8")], text.encode()


class SlackWSGI:
    """POST /slack/events to Bolt, GET /health, plus GET routes that capabilities add (the calendar feed)."""

    def __init__(self, app: App, deps: Deps, *, get_routes: dict[str, GetRoute] | None = None) -> None:
        self.app = app
        self.deps = deps
        self.get_routes = dict(get_routes or {})
        self.health_checks: list[Callable[[], bool]] = [lambda: database_answers(deps.engine)]

    def handle(self, environ: WSGIEnvironment) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path == "/slack/events":
            if method != "POST":
                return _plain(405, "POST only")
            return self._slack(environ)
        if method not in {"GET", "HEAD"}:
            return _plain(404, "Not Found")
        if path == "/health":
            healthy = all(check() for check in self.health_checks)
            return _plain(200, "ok") if healthy else _plain(503, "database unavailable")
        route = self.get_routes.get(path)
        if route is None:
            return _plain(404, "Not Found")
        return route(parse_qs(environ.get("QUERY_STRING", "")))

    def _slack(self, environ: WSGIEnvironment) -> Response:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(400, "bad Content-Length")
        if length > MAX_BODY_BYTES:
            return _plain(413, "body too large")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _plain(400, "body is not UTF-8")
        headers: dict[str, str | Sequence[str]] = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                headers[key[5:].replace("_", "-").lower()] = value
        if "CONTENT_TYPE" in environ:
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            bolt_request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except Exception:
            logger.warning("unparseable Slack request body rejected")
            return _plain(400, "unparseable body")
        bolt_response = self.app.dispatch(bolt_request)
        out_headers = [(k, v) for k, values in bolt_response.headers.items() for v in values]
        body_out = bolt_response.body.encode("utf-8") if isinstance(bolt_response.body, str) else b""
        return bolt_response.status, out_headers, body_out

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, headers, body = self.handle(environ)
        except Exception:
            logger.exception("error serving %s", environ.get("PATH_INFO"))
            status, headers, body = _plain(500, "internal error")
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        start_response(f"{status} {STATUS_TEXT.get(status, 'OK')}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]


def make_server(wsgi: Any, *, host: str, port: int, threads: int, loop_timeout: float = 1.0) -> Any:
    """A waitress server (production-grade, pure Python, runs the same on Linux and Windows)."""
    from waitress.server import create_server  # noqa: PLC0415 - only HTTP mode needs it

    return create_server(
        wsgi,
        host=host,
        port=port,
        threads=threads,
        ident="vggbot",
        max_request_body_size=MAX_BODY_BYTES,
        channel_timeout=30,
        clear_untrusted_proxy_headers=True,
        asyncore_loop_timeout=loop_timeout,
    )
