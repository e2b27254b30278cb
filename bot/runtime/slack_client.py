"""The Slack Web API client: honours SLACK_API_URL, retries what Slack asks us to retry, and counts
every call, error and retry per method (bot/runtime/metrics.py)."""

from __future__ import annotations

import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.runtime.metrics import metrics
from bot.runtime.settings import Settings


def _method(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1][:60]


class _CountedRetry(RetryHandler):
    """Counts each retry in vggbot_slack_api_retries before the built-in handler waits and retries."""

    reason = ""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        metrics().api_retries.labels(_method(request.url), self.reason).inc()
        super().prepare_for_next_attempt(state=state, request=request, response=response, error=error)


class _ConnectionRetry(_CountedRetry, ConnectionErrorRetryHandler):
    reason = "connection_error"


class _RateLimitRetry(_CountedRetry, RateLimitErrorRetryHandler):
    reason = "rate_limited"


class _ServerErrorRetry(_CountedRetry, ServerErrorRetryHandler):
    reason = "server_error"


def retry_handlers() -> list[RetryHandler]:
    # slack_sdk retries only connection errors by default; 429 (Retry-After) and 5xx need their own handlers.
    return [
        _ConnectionRetry(max_retry_count=2),
        _RateLimitRetry(max_retry_count=2),
        _ServerErrorRetry(max_retry_count=2),
    ]


class MeasuredWebClient(WebClient):
    """slack_sdk's WebClient; every method goes through `api_call`, which is counted and timed here."""

    def api_call(
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> SlackResponse:
        measured = metrics()
        method = api_method[:60]
        started = time.perf_counter()
        try:
            return super().api_call(
                api_method,
                http_verb=http_verb,
                files=files,
                data=data,
                params=params,
                json=json,
                headers=headers,
                auth=auth,
            )
        except SlackApiError as exc:
            measured.api_errors.labels(
                method, str(exc.response.get("error") or exc.response.status_code)
            ).inc()
            raise
        except Exception as exc:
            measured.api_errors.labels(method, type(exc).__name__).inc()
            raise
        finally:
            measured.api_calls.labels(method).inc()
            measured.api_seconds.labels(method).observe(time.perf_counter() - started)


def make_web_client(settings: Settings) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return MeasuredWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=retry_handlers(),
    )


def make_posting_client(settings: Settings) -> WebClient:
    """For posts that must not be doubled: only 429 (Slack did not act on the call) is retried here.

    A dropped connection or a 5xx may come after Slack posted the message; slack_sdk's connection and
    server-error handlers would then post it again. The outbox and the scheduled posts retry those
    themselves, after looking in the channel's history (bot/runtime/posting.py)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return MeasuredWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=[_RateLimitRetry(max_retry_count=2)],
    )
