"""Sends requests to the bot the way Slack does: signed, form-encoded or JSON, over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

_ids = itertools.count(1)


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class HttpResult:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str = "POST",
    timeout: float = 10,
) -> HttpResult:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback only
            return HttpResult(resp.status, resp.read().decode(), dict(resp.headers))
    except urllib.error.HTTPError as err:
        return HttpResult(err.code, err.read().decode(), dict(err.headers))


class SlackSender:
    """A stand-in for Slack's side of the HTTP conversation."""

    def __init__(self, base_url: str, secret: str, team_id: str = "T0FAKE0001") -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.team_id = team_id

    def post_raw(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: str | None = None,
        signature: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> HttpResult:
        ts = timestamp if timestamp is not None else str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature if signature is not None else sign(self.secret, ts, body),
        }
        headers.update(extra_headers or {})
        return http(self.base_url + "/slack/events", data=body.encode(), headers=headers)

    def command(
        self,
        text: str,
        *,
        user_id: str = "U0OFFICIAL1",
        channel_id: str = "C0GENERAL01",
        command: str = "/ivb",
    ) -> HttpResult:
        form = {
            "token": "legacy-unused",
            "team_id": self.team_id,
            "team_domain": "vgg",
            "channel_id": channel_id,
            "channel_name": "algemeen",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0VGGBOT01",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": f"{next(_ids)}.1234.abcdef",
        }
        return self.post_raw(urlencode(form), content_type="application/x-www-form-urlencoded")

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> HttpResult:
        body = {
            "token": "legacy-unused",
            "team_id": self.team_id,
            "api_app_id": "A0VGGBOT01",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):010d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": self.team_id, "user_id": "U0VGGBOT01", "is_bot": True}],
        }
        extra = {}
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post_raw(json.dumps(body), content_type="application/json", extra_headers=extra)

    def interaction(self, payload: dict[str, Any]) -> HttpResult:
        payload.setdefault("team", {"id": self.team_id, "domain": "vgg"})
        payload.setdefault("api_app_id", "A0VGGBOT01")
        payload.setdefault("token", "legacy-unused")
        return self.post_raw(
            urlencode({"payload": json.dumps(payload)}), content_type="application/x-www-form-urlencoded"
        )

    def block_action(
        self,
        action_id: str,
        value: str = "",
        *,
        user_id: str = "U0OFFICIAL1",
        channel_id: str = "D0OFFICIAL1",
        message_ts: str = "1700000000.000100",
        extra: dict[str, Any] | None = None,
    ) -> HttpResult:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "channel": {"id": channel_id},
            "container": {"type": "message", "channel_id": channel_id, "message_ts": message_ts},
            "message": {"ts": message_ts, "text": "", "blocks": []},
            "trigger_id": f"{next(_ids)}.1234.abcdef",
            "response_url": "http://127.0.0.1:9/response",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        payload.update(extra or {})
        return self.interaction(payload)

    def health(self) -> HttpResult:
        return http(self.base_url + "/health", method="GET")

    def get(self, path: str) -> HttpResult:
        return http(self.base_url + path, method="GET")
