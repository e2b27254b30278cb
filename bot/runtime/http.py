"""HTTP mode: a small WSGI app (Slack events, health, extra GET routes) served by waitress."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.runtime.health import BoundedCheck, HealthDetail, Response, health_response, metrics_response
from storage.db import database_answers

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from bot.runtime.deps import Deps

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (views) are far below this

GetRoute = Callable[[dict[str, list[str]]], Response]
# A route for every path under a prefix (the calendar feed's /kalender/<overleg>.ics): gets the rest.
PrefixRoute = Callable[[str, dict[str, list[str]]], Response]

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


def _serve(
    environ: WSGIEnvironment, start_response: StartResponse, handle: Callable[[], Response]
) -> list[bytes]:
    try:
        status, headers, body = handle()
    except Exception:
        logger.exception("error serving %s", environ.get("PATH_INFO"))
        status, headers, body = _plain(500, "internal error")
    if not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(("Content-Length", str(len(body))))
    start_response(f"{status} {STATUS_TEXT.get(status, 'OK')}", headers)
    return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]


class HealthWSGI:
    """Only GET /health and GET /metrics: for Socket Mode, where Slack's requests do not arrive over HTTP."""

    def __init__(self, checks: Sequence[Callable[[], bool]], details: Sequence[HealthDetail] = ()) -> None:
        self.health_checks = list(checks)
        self.health_details = list(details)

    def handle(self, environ: WSGIEnvironment) -> Response:
        path = environ.get("PATH_INFO")
        if path not in {"/health", "/metrics"}:
            return _plain(404, "Not Found")
        if environ.get("REQUEST_METHOD", "GET") not in {"GET", "HEAD"}:
            return _plain(405, "GET only")
        if path == "/metrics":
            return metrics_response()
        return health_response(self.health_checks, self.health_details)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return _serve(environ, start_response, lambda: self.handle(environ))


class SlackWSGI:
    """POST /slack/events to Bolt, GET /health and /metrics, plus GET routes that capabilities add
    (the calendar feed)."""

    def __init__(
        self,
        app: App,
        deps: Deps,
        *,
        get_routes: dict[str, GetRoute] | None = None,
        prefix_routes: dict[str, PrefixRoute] | None = None,
        health_details: Sequence[HealthDetail] = (),
    ) -> None:
        self.app = app
        self.deps = deps
        self.get_routes = dict(get_routes or {})
        self.prefix_routes = dict(prefix_routes or {})
        self.health_checks: list[Callable[[], bool]] = [BoundedCheck(lambda: database_answers(deps.engine))]
        self.health_details = list(health_details)

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
            return health_response(self.health_checks, self.health_details)
        if path == "/metrics":
            return metrics_response()
        query = parse_qs(environ.get("QUERY_STRING", ""))
        route = self.get_routes.get(path)
        if route is not None:
            return route(query)
        for prefix, prefixed in self.prefix_routes.items():
            if path.startswith(prefix) and len(path) > len(prefix):
                return prefixed(path[len(prefix) :], query)
        return _plain(404, "Not Found")

    def _signed_by_slack(self, body: bytes, environ: WSGIEnvironment) -> bool:
        secret = self.deps.settings.slack_signing_secret
        if secret is None:
            return True  # offline (shell): Bolt checks against its placeholder secret
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        # slack_sdk's verifier raises (not False) on a non-numeric timestamp, one too long for a float
        # (309 digits and more), or a non-ASCII signature: all of them are simply not Slack.
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12 and signature.isascii()):
            return False
        return SignatureVerifier(secret.get_secret_value()).is_valid(
            body=body, timestamp=timestamp, signature=signature
        )

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
        if not self._signed_by_slack(body, environ):
            # Before parsing: a forged or altered body is "not Slack" (401), whatever it contains.
            return _plain(401, "invalid signature")
        try:
            bolt_request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except Exception:
            logger.warning("unparseable Slack request body rejected")
            return _plain(400, "unparseable body")
        try:
            bolt_response = self.app.dispatch(bolt_request)
        except Exception:
            # Bolt runs listeners under app.error; what escapes dispatch is Bolt choking on a signed
            # but malformed payload (e.g. block_actions with no actions): the sender's fault, a 400.
            logger.warning("malformed Slack payload rejected", exc_info=True)
            return _plain(400, "malformed payload")
        out_headers = [(k, v) for k, values in bolt_response.headers.items() for v in values]
        body_out = bolt_response.body.encode("utf-8") if isinstance(bolt_response.body, str) else b""
        return bolt_response.status, out_headers, body_out

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return _serve(environ, start_response, lambda: self.handle(environ))


class OncePerMinute(logging.Filter):
    """waitress warns "Task queue depth is N" for every queued request under load: once a minute is enough."""

    def __init__(self) -> None:
        super().__init__()
        self._last = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < 60:
            return False
        self._last = now
        return True


_QUEUE_WARNINGS = OncePerMinute()


class HttpServer:
    """waitress (production-grade, pure Python, the same on Linux and Windows), with a graceful stop.

    `serve()` runs waitress's event loop until `stop()`; then it stops accepting, lets in-flight
    requests finish and flush (up to `grace` seconds), and closes.
    """

    def __init__(
        self, wsgi: Any, *, host: str, port: int, threads: int, poll: float = 0.5, grace: float = 10.0
    ) -> None:
        from waitress.server import create_server  # noqa: PLC0415 - only HTTP mode needs it

        self._server: Any = create_server(
            wsgi,
            host=host,
            port=port,
            threads=threads,
            ident="vggbot",
            max_request_body_size=MAX_BODY_BYTES,
            # Slow or idle clients (a reverse proxy buffers real ones) are dropped after 10 s, checked
            # every 2 s, and far more of them than waitress's default 100 may wait: /health stays free.
            channel_timeout=10,
            cleanup_interval=2,
            connection_limit=1000,
            clear_untrusted_proxy_headers=True,
        )
        logging.getLogger("waitress.queue").addFilter(_QUEUE_WARNINGS)
        self._poll = poll
        self._grace = grace
        self._stop = threading.Event()
        # Re-entrant: SIGTERM's handler calls stop() on the thread that may be inside serve()'s cleanup.
        self._close_lock = threading.RLock()
        self._closed = False
        self.stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def stop(self) -> None:
        """Ask `serve()` to finish; safe from a signal handler or another thread."""
        self._stop.set()
        # serve() may be closing the trigger right now (it polls, so it can notice the stop by itself):
        # waking a closed trigger would write to a file descriptor that may already belong to another file.
        with self._close_lock:
            if not self._closed:
                self._server.pull_trigger()

    def _busy(self) -> bool:
        channels = list(self._server._map.values())
        return bool(self._server.task_dispatcher.queue) or any(
            getattr(ch, "requests", None) or getattr(ch, "total_outbufs_len", 0) for ch in channels
        )

    def serve(self) -> None:
        from waitress import wasyncore  # noqa: PLC0415

        socket_map = self._server._map
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=self._poll, map=socket_map, use_poll=True, count=1)
            wasyncore.dispatcher.close(self._server)  # stop accepting; the trigger stays for flushing
            deadline = time.monotonic() + self._grace
            while self._busy() and time.monotonic() < deadline:
                wasyncore.loop(timeout=0.05, map=socket_map, use_poll=True, count=1)
        finally:
            with self._close_lock:
                self._closed = True
                for channel in list(socket_map.values()):
                    with contextlib.suppress(OSError):
                        channel.close()
            self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
            self.stopped.set()
