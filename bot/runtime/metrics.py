"""Prometheus metrics of one process, served as `GET /metrics` on the HTTP port and on HEALTH_PORT.

Every metric lives in the process's own `CollectorRegistry` (not prometheus_client's global one), so
a test swaps in a fresh `Metrics` with `use()` and sees only its own counts. The README and
docs/beheer.md ("Metrics") have one line per metric; keep them in step with `Metrics.__init__`.
Labels are bounded: command verbs, action and callback ids, event types, Web API method names and
Slack's error codes, never user text or ids.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

SLOW_ACK_SECONDS = 2.5  # Slack gives up on an acknowledgement after 3 s
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0, 10.0)
# The classic text format, which every Prometheus reads; our names need none of 1.0.0's escaping.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
API_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The metric objects; one instance per process (`metrics()`), one per test (`use()`)."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        ProcessCollector(registry=r)  # process_cpu_seconds_total, process_resident_memory_bytes, ...
        PlatformCollector(registry=r)  # python_info
        self._requests(r)
        self._slack_api(r)
        self._posts_and_storage(r)
        self._calendar(r)

    def _requests(self, r: CollectorRegistry) -> None:
        self.requests = Histogram(
            "vggbot_request_seconds",
            "Time from Slack's request to the acknowledgement, per command verb, action, form or event.",
            ["kind", "name"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.slow_acks = Counter(
            "vggbot_slow_acknowledgements",
            f"Acknowledgements slower than {SLOW_ACK_SECONDS} s (Slack shows an error after 3 s).",
            ["kind", "name"],
            registry=r,
        )

    def _slack_api(self, r: CollectorRegistry) -> None:
        self.api_calls = Counter("vggbot_slack_api_calls", "Slack Web API calls.", ["method"], registry=r)
        self.api_errors = Counter(
            "vggbot_slack_api_errors",
            "Slack Web API calls that failed after retries, by Slack's error code or the exception.",
            ["method", "error"],
            registry=r,
        )
        self.api_retries = Counter(
            "vggbot_slack_api_retries",
            "Web API retries: rate_limited (429), server_error (5xx), connection_error.",
            ["method", "reason"],
            registry=r,
        )
        self.api_seconds = Histogram(
            "vggbot_slack_api_seconds",
            "Duration of a Web API call, retries included.",
            ["method"],
            buckets=API_BUCKETS,
            registry=r,
        )

    def _posts_and_storage(self, r: CollectorRegistry) -> None:
        self.scheduled_posts = Counter(
            "vggbot_scheduled_posts",
            "Digest and reminder posts by this process: posted, failed (the slot stays open), unknown.",
            ["kind", "outcome"],
            registry=r,
        )
        self.claims_taken_over = Counter(
            "vggbot_claims_taken_over",
            "Stale claims on a digest or reminder slot taken over from a process that stopped mid-post.",
            ["kind"],
            registry=r,
        )
        self.database_errors = Counter(
            "vggbot_database_errors",
            "Errors the database driver raised, by kind (IntegrityError includes claim races, by design).",
            ["kind"],
            registry=r,
        )

    def _calendar(self, r: CollectorRegistry) -> None:
        self.calendar_syncs = Counter(
            "vggbot_calendar_syncs",
            "Calendar source fetches (CALENDAR_SOURCES) by result: ok, unchanged, failed.",
            ["source", "result"],
            registry=r,
        )
        self.calendar_last_good_sync = Gauge(
            "vggbot_calendar_last_good_sync_timestamp_seconds",
            "Unix time of the last successful fetch of each calendar source.",
            ["source"],
            registry=r,
        )
        r.register(_SyncAgeCollector(self.calendar_last_good_sync))

    # --- what the code calls -------------------------------------------------------------------

    def observe_request(self, kind: str, name: str, seconds: float) -> None:
        self.requests.labels(kind, name).observe(seconds)
        if seconds > SLOW_ACK_SECONDS:
            self.slow_acks.labels(kind, name).inc()

    def scheduled_post(self, kind: str, outcome: str) -> None:
        self.scheduled_posts.labels(kind, outcome).inc()

    def claim_taken_over(self, kind: str) -> None:
        self.claims_taken_over.labels(kind).inc()

    def calendar_sync(self, source: str, result: str, *, at: float | None = None) -> None:
        """For calendar sync (issue 11): one call per source per run; `result` ok / unchanged / failed."""
        self.calendar_syncs.labels(source, result).inc()
        if result != "failed":
            self.calendar_last_good_sync.labels(source).set(time.time() if at is None else at)

    def exposition(self) -> tuple[bytes, str]:
        """The body and content type of `GET /metrics`."""
        return generate_latest(self.registry), CONTENT_TYPE


class _SyncAgeCollector(Collector):
    """vggbot_calendar_sync_age_seconds: seconds since each source's last good sync, at scrape time."""

    def __init__(self, last_good: Gauge) -> None:
        self._last_good = last_good

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "vggbot_calendar_sync_age_seconds",
            "Seconds since the last successful fetch of each calendar source.",
            labels=["source"],
        )
        now = time.time()
        for metric in self._last_good.collect():
            for sample in metric.samples:
                family.add_metric([sample.labels["source"]], max(0.0, now - sample.value))
        yield family


class _Process:
    """The process's one `Metrics`, behind a lock."""

    lock = threading.Lock()
    current: Metrics | None = None


def metrics() -> Metrics:
    """The process's metrics, created on first use (nothing happens at import)."""
    with _Process.lock:
        if _Process.current is None:
            _Process.current = Metrics()
        return _Process.current


def use(replacement: Metrics | None) -> Metrics | None:
    """Make `replacement` the process's metrics (tests: a fresh one each); returns the previous one."""
    with _Process.lock:
        previous, _Process.current = _Process.current, replacement
        return previous


def count_database_errors(engine: Engine) -> None:
    """Count every error the driver raises on `engine` (connecting included) in vggbot_database_errors."""
    if not event.contains(engine, "handle_error", _database_error):
        event.listen(engine, "handle_error", _database_error)


def _database_error(context: ExceptionContext) -> None:
    error = context.sqlalchemy_exception or context.original_exception
    metrics().database_errors.labels(type(error).__name__).inc()


def request_labels(body: Any) -> tuple[str, str]:
    """(kind, name) of a Slack request for `vggbot_request_seconds`, from its parsed body."""
    if not isinstance(body, dict):
        return "other", ""
    if "command" in body:
        from handlers.ivb import parse  # noqa: PLC0415 - the verb table, read only when measuring

        verb = parse(str(body.get("text", "")))[0] or "help"
        return "command", f"{str(body['command'])[:20]} {verb}"
    kind = str(body.get("type", ""))
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return "action", _bounded(actions[0].get("action_id"))
    if kind in {"view_submission", "view_closed"}:
        return kind, _bounded((body.get("view") or {}).get("callback_id"))
    if kind in {"shortcut", "message_action"}:
        return "shortcut", _bounded(body.get("callback_id"))
    if kind == "event_callback":
        return "event", _bounded((body.get("event") or {}).get("type"))
    if kind == "block_suggestion":
        return "options", _bounded(body.get("action_id"))
    return "other", _bounded(kind)


def _bounded(value: object) -> str:
    return str(value or "")[:60]
