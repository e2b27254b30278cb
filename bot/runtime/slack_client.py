"""The Slack Web API client: honours SLACK_API_URL and retries what Slack asks us to retry."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.runtime.settings import Settings


def retry_handlers() -> list[object]:
    # slack_sdk retries only connection errors by default; 429 (Retry-After) and 5xx need their own handlers.
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def make_web_client(settings: Settings) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=retry_handlers(),  # type: ignore[arg-type]
    )


def make_posting_client(settings: Settings) -> WebClient:
    """For posts that must not be doubled: only 429 (Slack did not act on the call) is retried here.

    A dropped connection or a 5xx may come after Slack posted the message; slack_sdk's connection and
    server-error handlers would then post it again. The outbox and the scheduled posts retry those
    themselves, after looking in the channel's history (bot/runtime/posting.py)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
