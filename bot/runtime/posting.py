"""Posting a message so that it is never posted twice: every post carries a key in its metadata, and a
post whose earlier attempt ended without knowing whether Slack got it is first looked for in the
channel's history (Slack's chat.postMessage has no idempotency key; this look-back is the safe way)."""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.kit import Reply

logger = logging.getLogger(__name__)

EVENT_TYPE = "vggbot_post"
LOOK_BACK_MARGIN = 120.0  # seconds before the attempt: clocks differ a little between us and Slack


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


def outcome_unknown(error: BaseException) -> bool:
    """True when a failed call may still have reached Slack: a timeout, a dropped connection, a 5xx.

    Slack's own answer (an error, or 429) and a refused connection mean it did not act on the call."""
    if isinstance(error, SlackApiError):
        return int(getattr(error.response, "status_code", 200) or 200) >= 500
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, ConnectionRefusedError):
        return False
    if isinstance(error, ConnectionRefusedError):
        return False
    unknown = (
        urllib.error.URLError,
        TimeoutError,
        socket.timeout,
        ConnectionError,
        http.client.HTTPException,
    )
    return isinstance(error, unknown)


class ResponseUrlError(Exception):
    """A response_url refused the answer; `error` is Slack's reason (`expired_url`, `used_url`, ...)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(f"response_url answered {status} {error}")
        self.status = status
        self.error = error


@dataclass(frozen=True)
class Poster:
    """Posts with `key` in the message metadata; `look_since` set: look for the key in history first."""

    client: WebClient
    key: str
    look_since: datetime | None = None

    def post(self, channel: str, reply: Reply, *, part: str = "", thread_ts: str = "") -> Posted:
        key = f"{self.key}:{part}" if part else self.key
        if self.look_since is not None:
            found = find_post(self.client, channel, key, since=self.look_since, thread_ts=thread_ts)
            if found is not None:
                logger.info("found an earlier attempt's post in %s; not posting it again", channel)
                return found
        response = self.client.chat_postMessage(
            channel=channel,
            text=reply.text,
            blocks=reply.blocks,
            thread_ts=thread_ts or None,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
        )
        return Posted(channel=str(response.get("channel") or channel), ts=str(response["ts"]))


def find_post(
    client: WebClient, channel: str, key: str, *, since: datetime, thread_ts: str = ""
) -> Posted | None:
    """Our post with `key` in `channel` (or in the thread) since `since`; None when it is not there or
    the history cannot be read (a missing history scope: then the post goes out again, as before)."""
    oldest = f"{since.timestamp() - LOOK_BACK_MARGIN:.6f}"
    try:
        if thread_ts:
            response = client.conversations_replies(
                channel=channel, ts=thread_ts, oldest=oldest, include_all_metadata=True, limit=200
            )
        else:
            response = client.conversations_history(
                channel=channel, oldest=oldest, include_all_metadata=True, limit=200
            )
    except SlackApiError as exc:
        logger.warning("cannot look in the history of %s (%s)", channel, exc.response.get("error"))
        return None
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == EVENT_TYPE
            and (metadata.get("event_payload") or {}).get("key") == key
        ):
            return Posted(channel=channel, ts=str(message.get("ts")))
    return None
