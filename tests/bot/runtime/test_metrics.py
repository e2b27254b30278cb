"""GET /metrics: Prometheus's text format on the HTTP port and on HEALTH_PORT, counting requests,
slow acknowledgements, Web API calls / errors / retries, scheduled posts, takeovers, database
errors and calendar syncs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from bot.blocks.kit import Reply
from bot.runtime.deps import Deps
from bot.runtime.http import HealthWSGI, SlackWSGI
from bot.runtime.metrics import Metrics, request_labels
from bot.runtime.slack_client import make_posting_client, make_web_client
from bot.schedule.claims import CLAIMED, post_once
from storage.models import PostSlot
from tests.fakes.slack import FakeSlack, Fault
from tests.support.slackclient import SlackSender


def sample(text: str, metric: str, **labels: str) -> float:
    """The value of one sample in an exposition; 0 when it is absent."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == metric and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    return 0.0


def scrape(metrics: Metrics) -> str:
    return metrics.exposition()[0].decode()


def test_http_port_serves_metrics_counting_each_command(
    server: SlackWSGI, slack: SlackSender, metrics: Metrics
) -> None:
    """After two `/ivb volgende`, GET /metrics on the HTTP port is Prometheus text with a count of 2."""
    assert slack.command("volgende").status == 200
    assert slack.command("volgende").status == 200
    result = slack.get("/metrics")
    assert result.status == 200
    assert result.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    count = sample(result.body, "vggbot_request_seconds_count", kind="command", name="/ivb volgende")
    assert count == 2
    assert sample(result.body, "vggbot_slow_acknowledgements_total", kind="command") == 0
    assert sample(result.body, "process_resident_memory_bytes") > 0


def test_health_port_serves_metrics_too(metrics: Metrics) -> None:
    """HEALTH_PORT's small app (Socket Mode) answers GET /metrics and still 404s anything else."""
    wsgi = HealthWSGI([lambda: True])
    status, headers, body = wsgi.handle({"PATH_INFO": "/metrics", "REQUEST_METHOD": "GET"})
    assert status == 200
    assert dict(headers)["Content-Type"].startswith("text/plain")
    assert b"vggbot_request_seconds" in body
    assert wsgi.handle({"PATH_INFO": "/elders", "REQUEST_METHOD": "GET"})[0] == 404


def test_an_acknowledgement_over_2_5_seconds_counts_as_slow(metrics: Metrics) -> None:
    """A 3 s acknowledgement lands in the histogram and in the slow counter; a quick one only in the first."""
    metrics.observe_request("action", "voorstel_agenderen", 3.0)
    metrics.observe_request("action", "voorstel_agenderen", 0.01)
    text = scrape(metrics)
    assert sample(text, "vggbot_request_seconds_count", name="voorstel_agenderen") == 2
    assert sample(text, "vggbot_slow_acknowledgements_total", name="voorstel_agenderen") == 1


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        ({"command": "/ivb", "text": "kalender abonneren"}, ("command", "/ivb kalender abonneren")),
        ({"command": "/ivb", "text": "<!channel> onzin"}, ("command", "/ivb ?")),
        ({"type": "block_actions", "actions": [{"action_id": "open_meer"}]}, ("action", "open_meer")),
        (
            {"type": "view_submission", "view": {"callback_id": "voorstel_nieuw"}},
            ("view_submission", "voorstel_nieuw"),
        ),
        ({"type": "event_callback", "event": {"type": "app_home_opened"}}, ("event", "app_home_opened")),
        ({"type": "message_action", "callback_id": "agendeer_bericht"}, ("shortcut", "agendeer_bericht")),
    ],
)
def test_request_labels_name_the_verb_action_form_or_event(
    body: dict[str, object], labels: tuple[str, str]
) -> None:
    """Labels come from the payload's fixed words; typed text never becomes a label."""
    assert request_labels(body) == labels


def test_web_api_calls_errors_and_retries_are_counted_per_method(
    deps: Deps, fake_slack: FakeSlack, metrics: Metrics
) -> None:
    """A 429 then success is one call and one rate_limited retry; not_in_channel is an error by its code."""
    client = make_web_client(deps.settings)
    fake_slack.fail_next(
        "chat.postMessage", Fault(429, {"Retry-After": "0"}, {"ok": False, "error": "ratelimited"})
    )
    client.chat_postMessage(channel="C0DIGEST001", text="digest")
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": False, "error": "not_in_channel"}))
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0DIGEST001", text="digest")
    text = scrape(metrics)
    assert sample(text, "vggbot_slack_api_calls_total", method="chat.postMessage") == 2
    assert (
        sample(text, "vggbot_slack_api_retries_total", method="chat.postMessage", reason="rate_limited") == 1
    )
    assert (
        sample(text, "vggbot_slack_api_errors_total", method="chat.postMessage", error="not_in_channel") == 1
    )
    assert sample(text, "vggbot_slack_api_seconds_count", method="chat.postMessage") == 2


def test_scheduled_posts_failures_and_takeovers_are_counted(
    deps: Deps, fake_slack: FakeSlack, metrics: Metrics
) -> None:
    """A post, a post Slack refuses and a taken-over stale claim each move their own counter."""
    now = deps.clock.now()
    args = {
        "sessions": deps.sessions,
        "client": make_posting_client(deps.settings),
        "kind": "digest",
        "channel": "C0DIGEST001",
        "now": now,
        "stale_after": timedelta(minutes=10),
        "build": lambda: Reply(text="digest"),
    }
    post_once(**args, slot_key="2023-10-03")  # type: ignore[arg-type]
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": False, "error": "channel_not_found"}))
    post_once(**args, slot_key="2023-10-17")  # type: ignore[arg-type]
    with deps.sessions.begin() as session:
        session.execute(
            insert(PostSlot).values(
                kind="digest",
                slot_key="2023-10-31",
                channel="C0DIGEST001",
                status=CLAIMED,
                claimed_by="dood:1:abc",
                claimed_at=now - timedelta(hours=1),
            )
        )
    post_once(**args, slot_key="2023-10-31")  # type: ignore[arg-type]
    text = scrape(metrics)
    assert sample(text, "vggbot_scheduled_posts_total", kind="digest", outcome="posted") == 2
    assert sample(text, "vggbot_scheduled_posts_total", kind="digest", outcome="failed") == 1
    assert sample(text, "vggbot_claims_taken_over_total", kind="digest") == 1


def test_database_errors_are_counted_by_kind(deps: Deps, metrics: Metrics) -> None:
    """An error the driver raises (here a unique-key violation) is counted under its kind."""
    row = {"kind": "digest", "slot_key": "x", "channel": "C1", "status": CLAIMED, "claimed_by": "a"}
    with deps.sessions.begin() as session:
        session.execute(insert(PostSlot).values(**row, claimed_at=datetime.now(tz=deps.settings.tz)))
    with pytest.raises(IntegrityError), deps.sessions.begin() as session:
        session.execute(insert(PostSlot).values(**row, claimed_at=datetime.now(tz=deps.settings.tz)))
    assert sample(scrape(metrics), "vggbot_database_errors_total", kind="IntegrityError") == 1


def test_calendar_sync_results_and_the_age_of_the_last_good_one(metrics: Metrics) -> None:
    """A good sync sets the source's timestamp; a failed one counts but leaves the age growing."""
    metrics.calendar_sync("ivb", "ok", at=1_000.0)
    metrics.calendar_sync("ivb", "failed")
    text = scrape(metrics)
    assert sample(text, "vggbot_calendar_syncs_total", source="ivb", result="ok") == 1
    assert sample(text, "vggbot_calendar_syncs_total", source="ivb", result="failed") == 1
    assert sample(text, "vggbot_calendar_last_good_sync_timestamp_seconds", source="ivb") == 1_000.0
    assert sample(text, "vggbot_calendar_sync_age_seconds", source="ivb") > 1_000_000


def test_every_metric_is_documented(metrics: Metrics) -> None:
    """docs/beheer.md names every vggbot_* metric the process exports, one line each."""
    from tests.support.paths import ROOT

    docs = (ROOT / "docs" / "beheer.md").read_text(encoding="utf-8")
    names = {f.name for f in text_string_to_metric_families(scrape(metrics))}
    ours = sorted(name for name in names if name.startswith("vggbot_"))
    assert ours
    missing = [name for name in ours if f"`{name}" not in docs]
    assert missing == []
