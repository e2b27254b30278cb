"""Calendar sync against a local server publishing changing .ics files, with two replicas on one database
(SQLite and PostgreSQL): one sync per interval, each proposer told exactly once, nothing cancelled by a
failed, empty or half-published calendar, and /health showing a failing source without a 503."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from bot.runtime.deps import Deps
from bot.runtime.followups import Followups
from bot.runtime.health import health_response
from bot.runtime.http import SlackWSGI
from bot.runtime.slack_client import make_web_client
from bot.schedule.calendar_sync import calendar_health, calendar_sync_job, sync_source
from bot.schedule.scheduler import build_scheduler
from handlers import PERFORMERS
from storage.db import make_engine, make_session_factory
from storage.models import Meeting, MeetingStatus
from tests.conftest import ADMIN, AMS
from tests.fakes.slack import FakeSlack
from tests.support.factories_open import add_proposal
from tests.support.ics import Event, at, calendar
from tests.support.icsserver import IcsServer
from tests.support.slackclient import SlackSender

START = datetime(2026, 11, 30, 8, 0, tzinfo=AMS)
ANNE, BERT = "U0ANNE0001", "U0BERT0001"
PLENARIES = [
    Event(
        f"ivb-{day}@vgg.example", "Integraal Veiligheidsberaad", at(2026, 12, day, 10), at(2026, 12, day, 12)
    )
    for day in (7, 14, 21, 28)
] + [Event("ivb-jan@vgg.example", "Integraal Veiligheidsberaad", at(2027, 1, 4, 10), at(2027, 1, 4, 12))]


@pytest.fixture
def ics() -> Iterator[IcsServer]:
    with IcsServer() as server:
        yield server


@pytest.fixture
def replicas(deps: Deps, ics: IcsServer) -> Iterator[list[Deps]]:
    """Two processes' dependencies on the same database, each with its own follow-ups to the fake Slack."""
    deps.clock.set(START)  # type: ignore[attr-defined]
    deps.settings = deps.settings.model_copy(update={"calendar_sources": {"ivb": ics.url("/ivb.ics")}})
    engine = make_engine(deps.settings.database_url)
    other = Deps(
        settings=deps.settings, engine=engine, sessions=make_session_factory(engine), clock=deps.clock
    )
    both = [deps, other]
    for each in both:
        each.followups = Followups(each, make_web_client(each.settings), performers=PERFORMERS)
    yield both
    for each in both:
        each.followups.shutdown()
    engine.dispose()


def dms(fake: FakeSlack, replicas: list[Deps]) -> dict[str, int]:
    """DMs sent so far, per user (the follow-ups are drained first)."""
    for each in replicas:
        each.followups.shutdown()
        each.followups = Followups(each, make_web_client(each.settings), performers=PERFORMERS)
    counts: dict[str, int] = {}
    for call in fake.calls_to("chat.postMessage"):
        channel = str(call.args.get("channel", ""))
        if channel.startswith("D"):
            counts["U" + channel[1:]] = counts.get("U" + channel[1:], 0) + 1
    return counts


def statuses(deps: Deps) -> dict[str, MeetingStatus]:
    with deps.sessions() as s:
        return {m.uid: m.status for m in s.scalars(select(Meeting))}


def at_once(replicas: list[Deps], job: object) -> list[object]:
    """Run `job(deps)` on every replica at the same moment; their results."""
    barrier = threading.Barrier(len(replicas))
    results: list[object] = [None] * len(replicas)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = job(replicas[index])  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(replicas))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _first_sync_with_proposals(replicas: list[Deps], ics: IcsServer) -> None:
    ics.publish("/ivb.ics", calendar(*PLENARIES))
    (outcome,) = calendar_sync_job(replicas[0], START)
    assert outcome.status == "imported"
    with replicas[0].sessions.begin() as s:
        first = s.scalar(select(Meeting).where(Meeting.uid == PLENARIES[0].uid))
        second = s.scalar(select(Meeting).where(Meeting.uid == PLENARIES[1].uid))
        add_proposal(s, "ivb", "Hennepconvenant", ANNE, created=START, meeting=first)
        add_proposal(s, "ivb", "Jaarwisseling", BERT, created=START, meeting=second)


def test_two_replicas_sync_once_per_interval_and_each_proposer_is_told_once(
    replicas: list[Deps], ics: IcsServer, fake_slack: FakeSlack
) -> None:
    """The next interval, both replicas sync at the same moment a calendar that cancels 7 Dec and moves
    14 Dec: one of them imports, the other finds the interval claimed; Anne (cancelled) and Bert (moved)
    each get one DM, the secretariaat one summary; a later sync says nothing more."""
    _first_sync_with_proposals(replicas, ics)
    ics.publish(
        "/ivb.ics",
        calendar(
            replace(PLENARIES[0], sequence=1, status="CANCELLED"),
            replace(PLENARIES[1], sequence=1, start=at(2026, 12, 15, 14), end=at(2026, 12, 15, 16)),
            *PLENARIES[2:],
        ),
    )
    later = START + timedelta(minutes=15)
    results = at_once(replicas, lambda d: calendar_sync_job(d, later))
    assert sorted(o.status for (o,) in results) == ["busy", "imported"]  # type: ignore[misc]
    assert statuses(replicas[0])[PLENARIES[0].uid] == MeetingStatus.GEANNULEERD
    assert dms(fake_slack, replicas) == {ANNE: 1, BERT: 1, ADMIN: 1}
    calendar_sync_job(replicas[1], later + timedelta(minutes=15))
    assert dms(fake_slack, replicas) == {ANNE: 1, BERT: 1, ADMIN: 1}


def test_two_syncs_at_once_without_the_claim_still_tell_once(
    replicas: list[Deps], ics: IcsServer, fake_slack: FakeSlack
) -> None:
    """A manual sync at the same moment as the job (no shared claim): the import lock makes the second
    find nothing new, so Anne still hears once."""
    _first_sync_with_proposals(replicas, ics)
    ics.publish("/ivb.ics", calendar(replace(PLENARIES[0], sequence=1, status="CANCELLED"), *PLENARIES[1:]))
    url = ics.url("/ivb.ics")
    results = at_once(replicas, lambda d: sync_source(d, "ivb", url, START, followups=d.followups))
    # The second either imports after the first (finding nothing new) or, if the first already stored
    # the calendar's new ETag when it asks, is told "unchanged" by the server.
    statuses_seen = sorted(o.status for o in results)  # type: ignore[attr-defined]
    assert statuses_seen in (["imported", "imported"], ["imported", "unchanged"])
    assert dms(fake_slack, replicas) == {ANNE: 1, ADMIN: 1}


def test_a_failed_or_empty_fetch_cancels_nothing_and_health_shows_it(
    replicas: list[Deps], ics: IcsServer
) -> None:
    """A 500, a calendar without events, a server gone: nothing cancelled, one recorded error, /health
    stays 200 with the error and the last good sync; the next good sync clears it."""
    deps = replicas[0]
    _first_sync_with_proposals(replicas, ics)
    before = statuses(deps)
    empty = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nEND:VCALENDAR\r\n"
    for body, status, reason in ((b"", 500, "500"), (empty, 200, "geen enkele afspraak")):
        ics.publish("/ivb.ics", body, status=status)
        (outcome,) = calendar_sync_job(deps, deps.clock.now() + timedelta(minutes=15))
        deps.clock.advance(timedelta(minutes=15))  # type: ignore[attr-defined]
        assert outcome.status == "failed"
        assert reason in outcome.error
        assert statuses(deps) == before
        code, _, body_out = health_response([lambda: True], [lambda: calendar_health(deps)])
        detail = json.loads(body_out)["calendar"]["ivb"]
        assert (code, detail["ok"]) == (200, False)
        assert reason in detail["error"]
        assert detail["last_good_sync"] == START.astimezone(UTC).isoformat()
    gone = sync_source(deps, "ivb", "http://127.0.0.1:9/ivb.ics", deps.clock.now(), followups=None)
    assert (gone.status, "niet bereikbaar" in gone.error) == ("failed", True)
    ics.publish("/ivb.ics", calendar(*PLENARIES))
    sync_source(deps, "ivb", ics.url("/ivb.ics"), deps.clock.now(), followups=None)
    assert calendar_health(deps)["calendar"]["ivb"] == {
        "ok": True,
        "last_good_sync": deps.clock.now().astimezone(UTC).isoformat(),
        "error": "",
    }


def test_a_half_published_calendar_never_wipes_out_the_year(replicas: list[Deps], ics: IcsServer) -> None:
    """A calendar that suddenly lacks four of five coming meetings cancels none (reported); one meeting
    deleted in Outlook is cancelled; `--force` lets a deliberate mass cancellation through."""
    deps = replicas[0]
    _first_sync_with_proposals(replicas, ics)
    url = ics.url("/ivb.ics")
    ics.publish("/ivb.ics", calendar(PLENARIES[0]))
    refused = sync_source(deps, "ivb", url, START, followups=None)
    assert refused.status == "failed"
    assert "zou 4 van de 5 komende vergaderingen annuleren" in refused.error
    assert set(statuses(deps).values()) == {MeetingStatus.GEPLAND}
    ics.publish("/ivb.ics", calendar(*PLENARIES[:4]))
    one = sync_source(deps, "ivb", url, START, followups=None)
    assert one.status == "imported"
    assert statuses(deps)[PLENARIES[4].uid] == MeetingStatus.GEANNULEERD
    ics.publish("/ivb.ics", calendar(PLENARIES[0]))
    forced = sync_source(deps, "ivb", url, START, followups=None, force=True)
    assert forced.status == "imported"
    assert list(statuses(deps).values()).count(MeetingStatus.GEANNULEERD) == 4


def test_an_unchanged_calendar_is_not_fetched_again(replicas: list[Deps], ics: IcsServer) -> None:
    """The second sync sends If-None-Match with the ETag it got, the server answers 304, nothing is read."""
    deps = replicas[0]
    ics.publish("/ivb.ics", calendar(*PLENARIES))
    url = ics.url("/ivb.ics")
    assert sync_source(deps, "ivb", url, START, followups=None).status == "imported"
    again = sync_source(deps, "ivb", url, START + timedelta(minutes=15), followups=None)
    assert again.status == "unchanged"
    first, second = ics.requests("/ivb.ics")
    assert "if-none-match" not in first
    assert second["if-none-match"].startswith('"')


def test_health_over_http_shows_a_failing_source_without_a_503(
    server: SlackWSGI, slack: SlackSender, deps: Deps, ics: IcsServer
) -> None:
    """`GET /health` stays 200 while a calendar source fails, and its JSON says which and since when."""
    deps.settings = deps.settings.model_copy(update={"calendar_sources": {"ivb": ics.url("/ivb.ics")}})
    server.health_details = [partial(calendar_health, deps)]
    ics.publish("/ivb.ics", b"", status=500)
    calendar_sync_job(deps, START)
    result = slack.health()
    assert result.status == 200
    assert result.headers["Content-Type"] == "application/json"
    body = result.json()
    assert body["status"] == "ok"
    assert body["calendar"]["ivb"]["ok"] is False
    assert body["calendar"]["ivb"]["last_good_sync"] is None
    assert "500" in body["calendar"]["ivb"]["error"]


def test_the_scheduler_syncs_every_interval_only_with_sources(deps: Deps) -> None:
    """With CALENDAR_SOURCES the scheduler has a sync job every CALENDAR_SYNC_MINUTES; without, none."""
    client = make_web_client(deps.settings)
    assert build_scheduler(deps, client).get_job("calendar_sync") is None
    deps.settings = deps.settings.model_copy(
        update={"calendar_sources": {"ivb": "https://x/y.ics"}, "calendar_sync_minutes": 20}
    )
    job = build_scheduler(deps, client).get_job("calendar_sync")
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=20)
