"""Outlook's own text is kept: each event's title, description, location and online-meeting link; which
events take proposals (the overleg's title words, or the secretariaat by hand); the export writes back
what it read, so a round trip changes nothing."""

from __future__ import annotations

from datetime import datetime

import icalendar
from sqlalchemy import select

from bot.calendar_io.export import export_calendar
from bot.calendar_io.importer import ImportReport, import_calendar
from bot.runtime.deps import Deps
from bot.services import calendar_admin
from storage.models import Meeting
from tests.conftest import AMS
from tests.support.ics import Event, at, calendar

TEAMS = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d"
ZOOM = "https://vgg.zoom.us/j/123456789?pwd=abc"
NOW = datetime(2026, 11, 30, 20, 5, tzinfo=AMS)

PLENARY = Event(
    "plenair-2026-12@vgg.example",
    "Integraal Veiligheidsberaad",
    at(2026, 12, 14, 10, 0),
    at(2026, 12, 14, 12, 0),
    location="Provinciehuis, Groningen",
    description="Agenda volgt.\nGraag stukken vooraf lezen.",
)
VISIT = Event(
    "werkbezoek-2026-12@vgg.example",
    "IVB-werkbezoek Meldkamer Noord-Nederland",
    at(2026, 12, 10, 13, 0),
    at(2026, 12, 10, 16, 0),
    location="Meldkamer Noord-Nederland, Drachten",
)
WEEKLY = Event(
    "wekelijks-2026@vgg.example",
    "IVB – wekelijks afstemmingsoverleg jaarwisseling",
    at(2026, 12, 1, 9, 0),
    at(2026, 12, 1, 9, 30),
    extra=("RRULE:FREQ=WEEKLY;COUNT=4", f"X-MICROSOFT-SKYPETEAMSMEETINGURL:{TEAMS}"),
)
CALL = Event(
    "belronde-2026-12@vgg.example",
    "IVB belronde burgemeesters",
    at(2026, 12, 3, 16, 0),
    description=f"Inbellen: {ZOOM}.",
)


def run_import(deps: Deps, data: bytes, now: datetime = NOW) -> ImportReport:
    with deps.sessions.begin() as s:
        return import_calendar(session=s, data=data, overleg_key="ivb", now=now, tz=AMS)


def meetings(deps: Deps) -> dict[str, Meeting]:
    with deps.sessions() as s:
        return {
            m.uid.partition("/")[0] + ("/" if "/" in m.uid else ""): m for m in s.scalars(select(Meeting))
        }


def test_titles_links_and_which_events_take_proposals(deps: Deps) -> None:
    """Three IVB events keep their own titles; only the plenary takes proposals; Teams' property and a
    Zoom link in the description become the join link."""
    run_import(deps, calendar(PLENARY, VISIT, WEEKLY, CALL))
    found = meetings(deps)
    plenary, visit = found[PLENARY.uid], found[VISIT.uid]
    weekly = found[WEEKLY.uid + "/"]
    assert (plenary.title, plenary.takes_proposals) == ("Integraal Veiligheidsberaad", True)
    assert plenary.description == "Agenda volgt.\nGraag stukken vooraf lezen."
    assert (visit.title, visit.takes_proposals) == ("IVB-werkbezoek Meldkamer Noord-Nederland", False)
    assert (weekly.title, weekly.takes_proposals) == (
        "IVB – wekelijks afstemmingsoverleg jaarwisseling",
        False,
    )
    assert weekly.online_url == TEAMS
    assert found[CALL.uid].online_url == ZOOM
    assert found[CALL.uid].takes_proposals  # no word of the list in its title


def test_export_writes_back_what_it_read_and_a_round_trip_changes_nothing(deps: Deps) -> None:
    """SUMMARY, DESCRIPTION, LOCATION and the Teams link come back as read; importing the export changes
    nothing."""
    run_import(deps, calendar(PLENARY, VISIT, WEEKLY, CALL))
    with deps.sessions() as s:
        data = export_calendar(session=s, overleg_key=None, tz=AMS, now=NOW)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert str(events[PLENARY.uid]["SUMMARY"]) == "Integraal Veiligheidsberaad"
    assert str(events[VISIT.uid]["SUMMARY"]) == "IVB-werkbezoek Meldkamer Noord-Nederland"
    assert str(events[PLENARY.uid]["DESCRIPTION"]) == "Agenda volgt.\nGraag stukken vooraf lezen."
    assert "X-VGGBOT-AGENDADEADLINE" not in events[VISIT.uid]
    weekly = next(e for uid, e in events.items() if uid.startswith(WEEKLY.uid))
    assert str(weekly["X-MICROSOFT-SKYPETEAMSMEETINGURL"]) == TEAMS
    assert "X-MICROSOFT-SKYPETEAMSMEETINGURL" not in events[CALL.uid]  # its link is in the description
    before = {
        uid: (m.title, m.description, m.online_url, m.feed_sequence) for uid, m in meetings(deps).items()
    }
    again = run_import(deps, data)
    assert again.changed == 0
    assert {
        uid: (m.title, m.description, m.online_url, m.feed_sequence) for uid, m in meetings(deps).items()
    } == (before)


def test_the_secretariaat_switches_a_meeting_and_a_reimport_keeps_it(deps: Deps) -> None:
    """`vggbot calendar proposals` on a werkbezoek: on by hand survives the next import; auto follows the
    title again. New title words apply to coming meetings at once."""
    run_import(deps, calendar(PLENARY, VISIT))
    visit_id = meetings(deps)[VISIT.uid].id
    with deps.sessions.begin() as s:
        switched = calendar_admin.set_takes_proposals(session=s, ref=f"#{visit_id}", value=True, now=NOW)
    assert [m.takes_proposals for m in switched.meetings] == [True]
    run_import(
        deps, calendar(PLENARY, VISIT.__class__(**{**VISIT.__dict__, "sequence": 1, "location": "Drachten"}))
    )
    assert meetings(deps)[VISIT.uid].takes_proposals
    with deps.sessions.begin() as s:
        calendar_admin.set_takes_proposals(session=s, ref=VISIT.uid, value=None, now=NOW)
    assert not meetings(deps)[VISIT.uid].takes_proposals
    with deps.sessions.begin() as s:
        switched = calendar_admin.set_no_proposal_words(session=s, key="ivb", words="belronde", now=NOW)
    assert [m.id for m in switched.meetings] == [
        visit_id
    ]  # werkbezoek is no longer a word: it takes proposals
    assert meetings(deps)[VISIT.uid].takes_proposals
