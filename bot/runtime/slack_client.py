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


def make_web_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),  # type: ignore[arg-type]
    )
