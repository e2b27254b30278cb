"""The feed Outlook and Google keep fresh and correct: a full VTIMEZONE, REFRESH-INTERVAL and
X-PUBLISHED-TTL, a name per feed, stable UIDs whose SEQUENCE rises with every change, cancelled meetings
as STATUS:CANCELLED, and a new overleg's feed without a restart (over real HTTP)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import insert

from bot.calendar_io.feed import feed_routes
from bot.calendar_io.importer import import_calendar
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from bot.services.feed_tokens import create_feed_token
from storage.models import Overleg
from tests.conftest import AMS, OFFICIAL
from tests.support.ics import Event, at, calendar
from tests.support.slackclient import http

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=AMS)
PLENARY = Event(
    "ivb-dec@vgg.example", "Integraal Veiligheidsberaad", at(2026, 12, 14, 10), at(2026, 12, 14, 12)
)
HEIDAG = Event("kob-heidag@vgg.example", "Heidag KOB", at(2026, 12, 7).date(), at(2026, 12, 9).date())


@pytest.fixture
def feed(bolt_app: Any, deps: Deps) -> Iterator[tuple[str, str]]:
    """The bot with the feed routes as `vggbot run --http` wires them; (base URL, a valid token)."""
    deps.clock.set(NOW)  # type: ignore[attr-defined]
    routes, prefixed = feed_routes(sessions=deps.sessions, clock_now=deps.clock.now, tz=AMS)
    srv = HttpServer(
        SlackWSGI(bolt_app, deps, get_routes=routes, prefix_routes=prefixed),
        host="127.0.0.1",
        port=0,
        threads=2,
    )
    thread = threading.Thread(target=srv.serve, daemon=True)
    thread.start()
    with deps.sessions.begin() as s:
        token = create_feed_token(session=s, user_id=OFFICIAL, now=NOW)
    yield f"http://127.0.0.1:{srv.port}", token
    srv.stop()
    thread.join(timeout=5)


def load(deps: Deps, *events: Event, key: str = "ivb") -> None:
    with deps.sessions.begin() as s:
        import_calendar(session=s, data=calendar(*events), overleg_key=key, now=NOW, tz=AMS)


def get(feed: tuple[str, str], path: str = "/kalender.ics") -> Calendar:
    base, token = feed
    result = http(f"{base}{path}?token={token}", method="GET")
    assert result.status == 200, result.status
    return Calendar.from_ical(result.body)


def events(calendar: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_asks_to_be_refreshed_and_carries_the_full_time_zone(
    feed: tuple[str, str], deps: Deps
) -> None:
    """REFRESH-INTERVAL and X-PUBLISHED-TTL of an hour, X-WR-CALNAME per feed, and a VTIMEZONE with the
    yearly rules of Europe/Amsterdam (valid for every year, not a list that ends in 2038)."""
    load(deps, PLENARY)
    whole, ivb = get(feed), get(feed, "/kalender/ivb.ics")
    assert whole["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert whole["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert whole["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert (str(whole["X-WR-CALNAME"]), str(ivb["X-WR-CALNAME"])) == (
        "VGG-overleggen",
        "VGG: Integraal Veiligheidsberaad",
    )
    (zone,) = whole.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    rules = {part.name: part["RRULE"].to_ical() for part in zone.subcomponents}
    assert rules == {
        "DAYLIGHT": b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "STANDARD": b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    }
    assert "2038" not in whole.to_ical().decode()


def test_sequence_rises_with_every_change_and_cancelled_stays_published(
    feed: tuple[str, str], deps: Deps
) -> None:
    """Same UIDs; a moved meeting gets a higher SEQUENCE and its deadline too; a cancelled one is
    STATUS:CANCELLED (with its deadline), not dropped; "verplaatst" only while it is still to come."""
    load(deps, PLENARY)
    first = events(get(feed))
    load(deps, replace(PLENARY, sequence=1, start=at(2026, 12, 15, 14), end=at(2026, 12, 15, 16)))
    moved = events(get(feed))
    assert set(moved) == set(first)
    for uid in first:
        assert int(moved[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    meeting_uid = next(uid for uid in moved if "meeting" in uid)
    assert "verplaatst" in str(moved[meeting_uid]["DESCRIPTION"])
    load(
        deps,
        replace(
            PLENARY, sequence=2, status="CANCELLED", start=at(2026, 12, 15, 14), end=at(2026, 12, 15, 16)
        ),
    )
    cancelled = events(get(feed))
    assert {str(e["STATUS"]) for e in cancelled.values()} == {"CANCELLED"}
    assert all(int(cancelled[uid]["SEQUENCE"]) > int(moved[uid]["SEQUENCE"]) for uid in moved)
    load(deps, replace(PLENARY, sequence=3, start=at(2026, 12, 15, 14), end=at(2026, 12, 15, 16)))
    deps.clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    assert "verplaatst" not in str(events(get(feed))[meeting_uid].get("DESCRIPTION", ""))


def test_all_day_meetings_and_their_deadlines_have_no_clock_time(feed: tuple[str, str], deps: Deps) -> None:
    """A two-day heidag is DATE to DATE; its end-of-day deadline is an all-day event on that working day."""
    load(deps, HEIDAG, key="kob")
    found = events(get(feed))
    heidag = next(e for uid, e in found.items() if "meeting" in uid)
    deadline = next(e for uid, e in found.items() if "deadline" in uid)
    assert (heidag.decoded("DTSTART"), heidag.decoded("DTEND")) == (
        at(2026, 12, 7).date(),
        at(2026, 12, 9).date(),
    )
    assert deadline.decoded("DTSTART") == at(2026, 11, 23).date()
    assert deadline.decoded("DTEND") - deadline.decoded("DTSTART") == timedelta(days=1)


def test_a_new_overlegs_feed_works_without_a_restart(feed: tuple[str, str], deps: Deps) -> None:
    """An overleg added after the server started has its own feed at once; an unknown one is a 404."""
    base, token = feed
    assert http(f"{base}/kalender/veiligheidshuis.ics?token={token}", method="GET").status == 404
    with deps.sessions.begin() as s:
        s.execute(
            insert(Overleg).values(key="veiligheidshuis", name="Zorg- en Veiligheidshuis", sort_order=6)
        )
    load(deps, Event("zvh-1@vgg.example", "Stuurgroep", at(2026, 12, 10, 14)), key="veiligheidshuis")
    found = get(feed, "/kalender/veiligheidshuis.ics")
    assert str(found["X-WR-CALNAME"]) == "VGG: Zorg- en Veiligheidshuis"
    assert len(found.walk("VEVENT")) == 2
    assert http(f"{base}/kalender/veiligheidshuis.ics/x?token={token}", method="GET").status == 404
