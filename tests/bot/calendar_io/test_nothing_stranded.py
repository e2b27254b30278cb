"""Nothing stranded: a cancelled meeting hands its open proposals to the overleg's next meeting that
takes proposals (geagendeerd becomes aangehouden), the people concerned are told once, and a moved
meeting tells its proposers and action-point owners. "Verplaatst" is what differs from what people
were told; a series moved as a whole is not N moved meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.calendar_io.importer import ImportReport, import_calendar
from bot.runtime.cli_calendar import format_report
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, UpdateReview
from bot.schedule.calendar_sync import calendar_changes
from bot.services.open_items import OpenFilter, open_page
from storage.models import AgendaProposal, Meeting, MeetingStatus, ProposalState
from tests.conftest import ADMIN, AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import audit_trail
from tests.support.factories_open import add_action, add_proposal
from tests.support.ics import Event, at, calendar

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=AMS)
ANNE, BERT, CARLA = "U0ANNE0001", "U0BERT0001", "U0CARLA001"
PLENARIES = [
    Event(
        f"ivb-2026-12-{day}@vgg.example",
        "Integraal Veiligheidsberaad",
        at(2026, 12, day, 10),
        at(2026, 12, day, 12),
    )
    for day in (7, 14, 21)
]


def run_import(deps: Deps, *events: Event) -> ImportReport:
    with deps.sessions.begin() as s:
        return import_calendar(session=s, data=calendar(*events), overleg_key="ivb", now=NOW, tz=AMS)


def by_uid(deps: Deps) -> dict[str, Meeting]:
    with deps.sessions() as s:
        return {m.uid: m for m in s.scalars(select(Meeting))}


def proposal(deps: Deps, proposal_id: int) -> AgendaProposal:
    with deps.sessions() as s:
        found = s.get(AgendaProposal, proposal_id)
        assert found is not None
        return found


def _seed_proposals(deps: Deps) -> tuple[int, int, int, int]:
    """On 7 Dec: Anne's ingediend, Bert's geagendeerd, Carla's afgewezen; on 14 Dec: Anne's ingediend."""
    meetings = by_uid(deps)
    first, second = meetings[PLENARIES[0].uid], meetings[PLENARIES[1].uid]
    with deps.sessions.begin() as s:
        a = add_proposal(s, "ivb", "Hennepconvenant", ANNE, created=NOW, meeting=first)
        b = add_proposal(
            s, "ivb", "Jaarwisseling", BERT, created=NOW, meeting=first, state=ProposalState.GEAGENDEERD
        )
        c = add_proposal(
            s, "ivb", "Afgewezen punt", CARLA, created=NOW, meeting=first, state=ProposalState.AFGEWEZEN
        )
        d = add_proposal(s, "ivb", "Cameratoezicht", ANNE, created=NOW, meeting=second)
        return a.id, b.id, c.id, d.id


def test_a_cancelled_meeting_hands_its_proposals_on(deps: Deps) -> None:
    """STATUS:CANCELLED on 7 Dec: ingediend and geagendeerd move to 14 Dec (geagendeerd becomes
    aangehouden, audited), the afgewezen one stays; /ivb open lists nothing under the cancelled date."""
    run_import(deps, *PLENARIES)
    a, b, c, d = _seed_proposals(deps)
    cancelled = replace(PLENARIES[0], sequence=1, status="CANCELLED")
    report = run_import(deps, cancelled, *PLENARIES[1:])
    second = by_uid(deps)[PLENARIES[1].uid].id
    assert by_uid(deps)[PLENARIES[0].uid].status == MeetingStatus.GEANNULEERD
    assert (proposal(deps, a).meeting_id, proposal(deps, a).state) == (second, ProposalState.INGEDIEND)
    assert (proposal(deps, b).meeting_id, proposal(deps, b).state) == (second, ProposalState.AANGEHOUDEN)
    assert proposal(deps, b).position is None
    assert proposal(deps, c).meeting_id == by_uid(deps)[PLENARIES[0].uid].id
    assert proposal(deps, d).meeting_id == second
    assert sorted(r.proposal_id for r in report.rehomed) == [a, b]
    with deps.sessions() as s:
        assert [e.action for e in audit_trail(s, "proposal", b)] == ["aanhouden", "vergadering_gewijzigd"]
        page = open_page(session=s, flt=OpenFilter(), viewer_id=ADMIN, now=deps.clock.now(), tz=AMS)
    assert {p.meeting_starts_at for p in page.proposals} == {at(2026, 12, 14, 10)}
    text = format_report(report, tz=AMS, source="agenda.ics")
    assert "voorstellen naar een andere vergadering: 2" in text
    assert (
        f"#{b} Jaarwisseling ({BERT}): ma 7 dec 2026 10:00 → ma 14 dec 2026 10:00, geagendeerd → aangehouden"
        in text
    )


def test_each_proposer_gets_one_message_and_the_secretariaat_one_summary(deps: Deps) -> None:
    """The messages of a cancellation: one DM per proposer naming old and new meeting, one summary for the
    secretariaat, the review posts updated; importing the same file again says nothing more."""
    run_import(deps, *PLENARIES)
    a, b, _, _ = _seed_proposals(deps)
    with deps.sessions.begin() as s:
        extra = add_proposal(
            s,
            "ivb",
            "Tweede punt",
            ANNE,
            created=NOW,
            meeting=s.get(Meeting, by_uid(deps)[PLENARIES[0].uid].id),
        )
    cancelled = replace(PLENARIES[0], sequence=1, status="CANCELLED")
    items = calendar_changes(deps, run_import(deps, cancelled, *PLENARIES[1:]))
    dms = [i for i in items if isinstance(i, DirectMessage)]
    assert sorted(dm.user_id for dm in dms) == sorted([ANNE, BERT, ADMIN])
    anne = next(dm for dm in dms if dm.user_id == ANNE).reply
    assert_valid_message(anne.as_message())
    assert f"#{a} Hennepconvenant" in str(anne.blocks)
    assert f"#{extra.id} Tweede punt" in str(anne.blocks)
    assert "van de vergadering van *maandag 7 december 2026, 10:00* (geannuleerd)" in str(anne.blocks)
    assert "naar de vergadering van *maandag 14 december 2026, 10:00*" in str(anne.blocks)
    bert = next(dm for dm in dms if dm.user_id == BERT).reply
    assert "het secretariaat agendeert het opnieuw" in str(bert.blocks)
    summary = next(dm for dm in dms if dm.user_id == ADMIN).reply
    assert_valid_message(summary.as_message())
    assert f"<@{BERT}>" in str(summary.blocks)
    assert sorted(i.proposal_id for i in items if isinstance(i, UpdateReview)) == sorted([a, b, extra.id])
    assert calendar_changes(deps, run_import(deps, cancelled, *PLENARIES[1:])) == []


def test_an_exdate_cancels_and_hands_on_too(deps: Deps) -> None:
    """A weekly series that drops one occurrence (EXDATE): its proposal goes to the next occurrence."""
    series = Event(
        "ivb-reeks@vgg.example",
        "IVB",
        at(2026, 12, 7, 10),
        at(2026, 12, 7, 12),
        extra=("RRULE:FREQ=WEEKLY;COUNT=3",),
    )
    run_import(deps, series)
    first_uid = "ivb-reeks@vgg.example/20261207T090000Z"
    with deps.sessions.begin() as s:
        p = add_proposal(
            s, "ivb", "Punt", ANNE, created=NOW, meeting=s.get(Meeting, by_uid(deps)[first_uid].id)
        ).id
    report = run_import(
        deps,
        replace(series, sequence=1, extra=(*series.extra, "EXDATE;TZID=Europe/Amsterdam:20261207T100000")),
    )
    assert report.coming_cancelled == 1
    assert proposal(deps, p).meeting_id == by_uid(deps)["ivb-reeks@vgg.example/20261214T090000Z"].id


def test_without_a_next_meeting_proposals_wait_and_are_placed_later(deps: Deps) -> None:
    """The only meeting cancelled: the proposal waits without a meeting; the next import that plans one
    places it there and says so."""
    run_import(deps, PLENARIES[0])
    with deps.sessions.begin() as s:
        p = add_proposal(
            s, "ivb", "Punt", ANNE, created=NOW, meeting=s.get(Meeting, by_uid(deps)[PLENARIES[0].uid].id)
        ).id
    first = run_import(deps, replace(PLENARIES[0], sequence=1, status="CANCELLED"))
    assert proposal(deps, p).meeting_id is None
    assert first.rehomed[0].to_meeting is None
    later = run_import(deps, replace(PLENARIES[0], sequence=1, status="CANCELLED"), PLENARIES[2])
    assert proposal(deps, p).meeting_id == by_uid(deps)[PLENARIES[2].uid].id
    assert [(r.proposal_id, r.from_meeting) for r in later.rehomed] == [(p, None)]


def test_a_moved_meeting_tells_its_proposers_and_action_owners_once(deps: Deps) -> None:
    """7 Dec moves to 8 Dec: proposers and owners of its open action points get a DM with the new date;
    it is verplaatst until moved back to the time people were told."""
    run_import(deps, *PLENARIES)
    _seed_proposals(deps)
    with deps.sessions.begin() as s:
        add_action(
            s,
            "ivb",
            "Notitie rondsturen",
            CARLA,
            created=NOW,
            meeting=s.get(Meeting, by_uid(deps)[PLENARIES[0].uid].id),
        )
    moved = replace(PLENARIES[0], sequence=1, start=at(2026, 12, 8, 14), end=at(2026, 12, 8, 16))
    report = run_import(deps, moved, *PLENARIES[1:])
    assert by_uid(deps)[PLENARIES[0].uid].status == MeetingStatus.VERPLAATST
    (change,) = report.rescheduled
    assert change.people == [ANNE, BERT, CARLA]
    items = calendar_changes(deps, report)
    carla = next(i for i in items if isinstance(i, DirectMessage) and i.user_id == CARLA).reply
    assert_valid_message(carla.as_message())
    assert "van *maandag 7 december 2026, 10:00* naar *dinsdag 8 december 2026, 14:00*" in str(carla.blocks)
    assert "Notitie rondsturen" in str(carla.blocks)
    assert "Hennepconvenant" not in str(carla.blocks)
    assert calendar_changes(deps, run_import(deps, moved, *PLENARIES[1:])) == []
    back = run_import(deps, replace(PLENARIES[0], sequence=2), *PLENARIES[1:])
    assert by_uid(deps)[PLENARIES[0].uid].status == MeetingStatus.GEPLAND
    assert len(back.rescheduled) == 1


def test_a_series_moved_as_a_whole_is_not_n_moved_meetings(deps: Deps) -> None:
    """The weekly call moved by 15 minutes: no occurrence is verplaatst; one moved on its own is."""
    series = Event(
        "wekelijks@vgg.example",
        "IVB wekelijks",
        at(2026, 12, 1, 9),
        at(2026, 12, 1, 9, 30),
        extra=("RRULE:FREQ=WEEKLY;COUNT=3",),
    )
    run_import(deps, series)
    shifted = replace(series, sequence=1, start=at(2026, 12, 1, 9, 15), end=at(2026, 12, 1, 9, 45))
    report = run_import(deps, shifted)
    assert len(report.moved) == 3
    assert {m.status for m in by_uid(deps).values()} == {MeetingStatus.GEPLAND}
    override = Event(
        "wekelijks@vgg.example",
        "IVB wekelijks",
        at(2026, 12, 8, 13),
        at(2026, 12, 8, 13, 30),
        sequence=2,
        extra=("RECURRENCE-ID;TZID=Europe/Amsterdam:20261208T091500",),
    )
    run_import(deps, replace(shifted, sequence=2), override)
    statuses = sorted((m.starts_at, m.status) for m in by_uid(deps).values())
    assert [s for _, s in statuses] == [
        MeetingStatus.GEPLAND,
        MeetingStatus.VERPLAATST,
        MeetingStatus.GEPLAND,
    ]


def test_proposals_stranded_before_are_moved_on_by_the_next_import(deps: Deps) -> None:
    """A meeting cancelled earlier (before this rule, or by hand) that still holds an open proposal: the
    next import hands it on, so `/ivb open` never lists it under a cancelled date."""
    run_import(deps, *PLENARIES)
    first = by_uid(deps)[PLENARIES[0].uid]
    with deps.sessions.begin() as s:
        s.get(Meeting, first.id).status = MeetingStatus.GEANNULEERD  # type: ignore[union-attr]
        p = add_proposal(s, "ivb", "Vergeten punt", ANNE, created=NOW, meeting=s.get(Meeting, first.id)).id
    report = run_import(deps, *PLENARIES[1:])
    assert [r.proposal_id for r in report.rehomed] == [p]
    assert proposal(deps, p).meeting_id == by_uid(deps)[PLENARIES[1].uid].id
