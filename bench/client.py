"""Slack's side of the conversation for the benchmark: signed requests over keep-alive connections."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

_ids = itertools.count(1)


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"), as tests/slackclient.py."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Request:
    body: str
    content_type: str


def command(text: str, *, user_id: str = "U0BENCH0001") -> Request:
    form = {
        "token": "legacy-unused",
        "team_id": "T0FAKE0001",
        "team_domain": "vgg",
        "channel_id": "C0GENERAL01",
        "channel_name": "algemeen",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/ivb",
        "text": text,
        "api_app_id": "A0VGGBOT01",
        "response_url": "http://127.0.0.1:9/response",
        "trigger_id": f"{next(_ids)}.1234.abcdef",
    }
    return Request(urlencode(form), "application/x-www-form-urlencoded")


def app_home_opened(*, user_id: str = "U0BENCH0001") -> Request:
    n = next(_ids)
    body = {
        "token": "legacy-unused",
        "team_id": "T0FAKE0001",
        "api_app_id": "A0VGGBOT01",
        "type": "event_callback",
        "event_id": f"EvBENCH{n:012d}",
        "event_time": int(time.time()),
        "event": {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D0BENCH0001",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
        "authorizations": [{"team_id": "T0FAKE0001", "user_id": "U0VGGBOT01", "is_bot": True}],
    }
    return Request(json.dumps(body), "application/json")


@dataclass
class Response:
    status: int
    body: bytes
    seconds: float


class Connection:
    """One keep-alive HTTP/1.1 connection to a server on loopback; reconnects after a failure."""

    def __init__(self, port: int, secret: str, timeout: float = 10) -> None:
        self.port = port
        self.secret = secret
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, request: Request) -> Response:
        """POST /slack/events; a connection failure comes back as status 0 (an error), never raised."""
        ts = str(int(time.time()))
        headers = {
            "Content-Type": request.content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(self.secret, ts, request.body),
        }
        body = request.body.encode()
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request("POST", "/slack/events", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            if resp.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return Response(0, b"", time.perf_counter() - started)
        return Response(status, data, time.perf_counter() - started)

    def get(self, path: str) -> int:
        try:
            conn = self._connection()
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return 0
        return resp.status
