"""The calendar feed: `/ivb kalender abonneren|intrekken` and GET /kalender.ics over real HTTP."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.calendar_io.feed import feed_routes
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from storage.models import FeedToken, MeetingStatus
from tests.conftest import AMS, OFFICIAL, SECRET
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting
from tests.support.slackclient import SlackSender, http

PUBLIC = "https://vggbot.example.nl"


@pytest.fixture
def feed_server(bolt_app: Any, deps: Deps) -> Iterator[str]:
    """The bot with the feed routes, as `vggbot run --http` wires it; yields its base URL."""
    deps.settings = deps.settings.model_copy(update={"public_url": PUBLIC})
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS), location="Provinciehuis")
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))
        add_meeting(s, "kob", datetime(2023, 4, 3, 14, 0, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
    routes, prefixed = feed_routes(sessions=deps.sessions, clock_now=deps.clock.now, tz=deps.settings.tz)
    wsgi = SlackWSGI(bolt_app, deps, get_routes=routes, prefix_routes=prefixed)
    srv = HttpServer(wsgi, host="127.0.0.1", port=0, threads=4, poll=0.05)
    thread = threading.Thread(target=srv.serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.port}"
    srv.stop()
    thread.join(timeout=5)


def _subscribe(base: str, user: str = OFFICIAL) -> tuple[dict[str, Any], str]:
    body = SlackSender(base, SECRET).command("kalender abonneren", user_id=user).json()
    match = re.search(r"token=([A-Za-z0-9_-]+)", str(body["blocks"]))
    assert match, body
    return body, match.group(1)


def test_subscribe_shows_a_private_link_and_stores_only_its_hash(feed_server: str, deps: Deps) -> None:
    """`/ivb kalender abonneren` answers ephemerally with the link; the database holds only a SHA-256."""
    body, token = _subscribe(feed_server)
    assert body["response_type"] == "ephemeral"
    assert_valid_message(body)
    assert f"{PUBLIC}/kalender.ics?token={token}" in str(body["blocks"])
    with deps.sessions.begin() as s:
        rows = list(s.scalars(select(FeedToken)))
    assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in str([(r.token_hash, r.user_id) for r in rows])


def test_feed_parses_back_with_stable_uids_and_tzid(feed_server: str) -> None:
    """The feed is valid iCalendar: meetings and deadlines, Amsterdam TZID, the same UIDs every time."""
    _, token = _subscribe(feed_server)
    first = http(f"{feed_server}/kalender.ics?token={token}", method="GET")
    assert first.status == 200
    assert first.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(first.body)
    events = calendar.walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries.count("Integraal Veiligheidsberaad") == 2
    assert "Agendadeadline Integraal Veiligheidsberaad" in summaries
    assert len(events) == 6  # three meetings, three deadlines (the cancelled meeting's one cancelled too)
    ivb = next(e for e in events if str(e["SUMMARY"]) == "Integraal Veiligheidsberaad")
    assert ivb["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert ivb.decoded("DTSTART") == datetime(2023, 3, 20, 9, 30, tzinfo=AMS)
    kob = [e for e in events if "Kwaliteit" in str(e["SUMMARY"])]
    assert [str(e["STATUS"]) for e in kob] == ["CANCELLED", "CANCELLED"]
    assert calendar.walk("VTIMEZONE")
    again = Calendar.from_ical(http(f"{feed_server}/kalender.ics?token={token}", method="GET").body)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_feed_per_overleg(feed_server: str) -> None:
    """`/kalender/kob.ics` and `?overleg=ivb` hold only that overleg."""
    _, token = _subscribe(feed_server)
    kob = Calendar.from_ical(http(f"{feed_server}/kalender/kob.ics?token={token}", method="GET").body)
    assert {str(e["SUMMARY"]) for e in kob.walk("VEVENT")} == {
        "Bestuurlijke tafel Kwaliteit Openbaar Bestuur",
        "Agendadeadline Bestuurlijke tafel Kwaliteit Openbaar Bestuur",
    }
    ivb = Calendar.from_ical(http(f"{feed_server}/kalender.ics?token={token}&overleg=ivb", method="GET").body)
    assert len(ivb.walk("VEVENT")) == 4


def test_no_valid_token_is_404_and_leaks_nothing(feed_server: str) -> None:
    """No token, a wrong one, a revoked one, or an unknown overleg: the same bare 404 as an unknown path."""
    _, token = _subscribe(feed_server)
    unknown_path = http(f"{feed_server}/nergens", method="GET")
    for url in (
        f"{feed_server}/kalender.ics",
        f"{feed_server}/kalender.ics?token=",
        f"{feed_server}/kalender.ics?token={token}x",
        f"{feed_server}/kalender.ics?token={token}&overleg=brandweer",
    ):
        result = http(url, method="GET")
        assert (result.status, result.body) == (404, unknown_path.body)
    revoked = SlackSender(feed_server, SECRET).command("kalender intrekken", user_id=OFFICIAL).json()
    assert_valid_message(revoked)
    assert "ingetrokken" in revoked["text"]
    gone = http(f"{feed_server}/kalender.ics?token={token}", method="GET")
    assert (gone.status, gone.body) == (404, unknown_path.body)
    assert "Integraal" not in gone.body


def test_new_link_replaces_the_old_one(feed_server: str) -> None:
    """Subscribing again gives a new link and says the previous one stops working."""
    _, old = _subscribe(feed_server)
    body, new = _subscribe(feed_server)
    assert new != old
    assert "Je vorige link werkt niet meer" in str(body["blocks"])
    assert http(f"{feed_server}/kalender.ics?token={old}", method="GET").status == 404
    assert http(f"{feed_server}/kalender.ics?token={new}", method="GET").status == 200


def test_without_public_url_says_what_to_do(slack: SlackSender) -> None:
    """Without PUBLIC_URL the answer explains that the secretariaat must set it, and shows no token."""
    body = slack.command("kalender abonneren").json()
    assert_valid_message(body)
    assert "PUBLIC_URL" in body["text"]
    assert "token=" not in str(body)
