"""The besluitenlijst in the services: outcomes, the proposal states they lead to, the history, linked
action points, the audit trail, refusals, and who sees confidential items."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.runtime.deps import Deps
from bot.services import decisions, minutes, minutes_record
from bot.services.errors import NotAllowed, Refused
from bot.services.minutes_record import OutcomeEntry
from bot.text.dutch import trail
from storage.models import ActionPoint, AgendaOutcome, AgendaProposal, ProposalState
from storage.queries.meetings import meeting as read_meeting
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import audit_trail
from tests.support.minutes_helpers import MORNING_AFTER_MARCH, ivb_with_items

OWNER = "U0OWNER0001"


def _record(
    deps: Deps,
    meeting_id: int,
    entries: list[OutcomeEntry],
    *,
    actor: str = ADMIN,
    now: datetime = MORNING_AFTER_MARCH,
) -> minutes_record.Recorded:
    with deps.sessions.begin() as s:
        return minutes_record.record_outcomes(
            session=s,
            meeting_id=meeting_id,
            actor_id=actor,
            admin_ids=(ADMIN,),
            entries=entries,
            now=now,
            tz=AMS,
        )


def test_outcomes_map_onto_the_proposal_states(deps: Deps) -> None:
    """Behandeld ends the item with its decision, doorgeschoven holds it over to the next meeting, vervallen
    ends it; each gets a line on this meeting's besluitenlijst and the audit trail says who and when."""
    meetings, (handled, deferred, lapsed) = ivb_with_items(
        deps, ["Hennep", "Burgernet", "Jaarwisseling"], proposer=OFFICIAL
    )
    recorded = _record(
        deps,
        meetings[0],
        [
            OutcomeEntry(handled, "behandeld", "Convenant wordt in september getekend."),
            OutcomeEntry(deferred, "doorgeschoven", "Wacht op de cijfers."),
            OutcomeEntry(lapsed, "vervallen"),
        ],
    )
    assert [item.outcome.value for item in recorded.items] == ["behandeld", "doorgeschoven", "vervallen"]
    later = recorded.items[1].next_meeting
    assert later is not None
    assert later.id == meetings[1]
    with deps.sessions.begin() as s:
        states = {p.id: (p.state, p.meeting_id) for p in s.scalars(select(AgendaProposal))}
        lines = {
            o.proposal_id: (o.outcome.value, o.decision, o.meeting_id)
            for o in s.scalars(select(AgendaOutcome))
        }
        actions = [e.action for e in audit_trail(s, "proposal", handled)]
    assert states[handled] == (ProposalState.BEHANDELD, meetings[0])
    assert states[deferred] == (ProposalState.AANGEHOUDEN, meetings[1])
    assert states[lapsed] == (ProposalState.VERVALLEN, meetings[0])
    assert lines[handled] == ("behandeld", "Convenant wordt in september getekend.", meetings[0])
    assert lines[deferred][0] == "doorgeschoven"
    assert actions == ["ingediend", "agenderen", "behandeld", "besluit"]


def test_a_deferred_item_keeps_its_trail_until_it_is_handled(deps: Deps) -> None:
    """Doorgeschoven in March, agendered and behandeld in June: the trail names both meetings' dates."""
    meetings, (item,) = ivb_with_items(deps, ["Hennepconvenant"], proposer=OFFICIAL)
    _record(deps, meetings[0], [OutcomeEntry(item, "doorgeschoven")])
    with deps.sessions.begin() as s:
        decisions.decide(
            session=s,
            proposal_id=item,
            actor_id=ADMIN,
            admin_ids=(ADMIN,),
            decision="agenderen",
            now=MORNING_AFTER_MARCH + timedelta(days=30),
        )
    june_after = MORNING_AFTER_MARCH.replace(month=6, day=27)
    _record(deps, meetings[1], [OutcomeEntry(item, "behandeld", "Convenant getekend.")], now=june_after)
    with deps.sessions() as s:
        june = read_meeting(session=s, meeting_id=meetings[1])
        assert june is not None
        (line,) = minutes.read_minutes(session=s, meeting=june).items
    assert trail(line.history, AMS) == (
        "geagendeerd 20 mrt → aangehouden 20 mrt → geagendeerd 26 jun → behandeld 26 jun: Convenant getekend."
    )
    with deps.sessions() as s:
        march = read_meeting(session=s, meeting_id=meetings[0])
        assert march is not None
        (old,) = minutes.read_minutes(session=s, meeting=march).items
    assert old.outcome == "doorgeschoven"
    assert old.next_meeting_at is not None


def test_action_points_are_linked_to_their_item(deps: Deps) -> None:
    """Each line of the action text is an action point of the meeting, owned as chosen, linked to the item."""
    meetings, (item,) = ivb_with_items(deps, ["Hennep"], proposer=OFFICIAL)
    recorded = _record(
        deps,
        meetings[0],
        [
            OutcomeEntry(
                item, "behandeld", "Akkoord.", OWNER, "Tekst rondsturen\n\nZaal boeken", date(2023, 4, 1)
            )
        ],
    )
    assert [a.text for a in recorded.items[0].actions] == ["Tekst rondsturen", "Zaal boeken"]
    with deps.sessions.begin() as s:
        points = list(s.scalars(select(ActionPoint).order_by(ActionPoint.id)))
    assert [(p.owner_id, p.proposal_id, p.meeting_id, p.due_date) for p in points] == [
        (OWNER, item, meetings[0], date(2023, 4, 1))
    ] * 2


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (OutcomeEntry(0, "behandeld", ""), "besluit"),
        (OutcomeEntry(0, "besproken"), "uitkomst"),
        (OutcomeEntry(0, "behandeld", "x" * 1001), "besluit"),
        (OutcomeEntry(0, "behandeld", "Ok", "", "Iets doen"), "actie_eigenaar"),
        (OutcomeEntry(0, "behandeld", "Ok", OWNER, ""), "actie_tekst"),
        (OutcomeEntry(0, "", "", OWNER, "Iets doen"), "uitkomst"),
        (OutcomeEntry(0, "behandeld", "Ok", OWNER, "Iets", date(2023, 3, 1)), "actie_datum"),
    ],
)
def test_unusable_entries_are_refused_on_their_field(deps: Deps, entry: OutcomeEntry, field: str) -> None:
    """Behandeld needs a decision, an action an owner and text; a refusal stores nothing."""
    meetings, (item,) = ivb_with_items(deps, ["Hennep"], proposer=OFFICIAL)
    entry = OutcomeEntry(
        item, entry.outcome, entry.decision, entry.action_owner, entry.action_text, entry.action_due
    )
    with pytest.raises(Refused) as refused:
        _record(deps, meetings[0], [entry])
    assert refused.value.field == f"{field}:{item}"
    with deps.sessions.begin() as s:
        assert s.scalars(select(AgendaOutcome)).all() == []


def test_only_the_secretariaat_and_only_after_the_meeting(deps: Deps) -> None:
    """Someone else is refused; a meeting that has not taken place has no besluitenlijst yet."""
    meetings, (item,) = ivb_with_items(deps, ["Hennep"], proposer=OFFICIAL)
    with pytest.raises(NotAllowed):
        _record(deps, meetings[0], [OutcomeEntry(item, "vervallen")], actor=OFFICIAL)
    with pytest.raises(Refused, match="nog niet geweest"):
        _record(
            deps, meetings[0], [OutcomeEntry(item, "vervallen")], now=MORNING_AFTER_MARCH - timedelta(days=2)
        )


def test_recording_twice_skips_what_is_already_recorded(deps: Deps) -> None:
    """Two secretariaat members saving the same item: the second finds it recorded and changes nothing."""
    meetings, (item,) = ivb_with_items(deps, ["Hennep"], proposer=OFFICIAL)
    _record(deps, meetings[0], [OutcomeEntry(item, "behandeld", "Eerste.")])
    again = _record(deps, meetings[0], [OutcomeEntry(item, "vervallen")])
    assert (again.items, again.skipped) == ((), (item,))


def test_confidential_items_are_shown_to_proposer_and_secretariaat_only(deps: Deps) -> None:
    """Others see the besluitenlijst without the confidential item and its action points, with no gap;
    the owner of such an action point still sees their own action."""
    meetings, (open_item, secret) = ivb_with_items(
        deps, ["Hennep", "Zwarte Zwaan"], proposer=OFFICIAL, confidential=("Zwarte Zwaan",)
    )
    _record(deps, meetings[0], [OutcomeEntry(secret, "behandeld", "Geheim.", OWNER, "Rapport naar OM")])
    with deps.sessions() as s:
        meeting = read_meeting(session=s, meeting_id=meetings[0])
        assert meeting is not None
        full = minutes.read_minutes(session=s, meeting=meeting)
    other = minutes.visible_to(full, viewer_id="U0SOMEONE01", is_admin=False)
    owner = minutes.visible_to(full, viewer_id=OWNER, is_admin=False)
    assert [i.proposal_id for i in full.items] == [open_item, secret]
    assert [i.proposal_id for i in other.items] == [open_item]
    assert other.loose_actions == ()
    assert [a.text for a in owner.loose_actions] == ["Rapport naar OM"]
    assert [i.proposal_id for i in minutes.visible_to(full, viewer_id=OFFICIAL, is_admin=False).items] == [
        open_item,
        secret,
    ]
    assert len(minutes.visible_to(full, viewer_id=ADMIN, is_admin=True).items) == 2


def test_the_morning_after_is_when_the_dm_is_due(deps: Deps) -> None:
    """Due from 09:00 the day after the meeting, for a week; not before, not once everything is recorded."""
    meetings, (item,) = ivb_with_items(deps, ["Hennep"], proposer=OFFICIAL)

    def due(now: datetime) -> list[int]:
        with deps.sessions() as s:
            return [
                d.meeting.id for d in minutes.due_minutes(session=s, now=now, tz=AMS, at_time=time(9), days=7)
            ]

    assert due(MORNING_AFTER_MARCH - timedelta(minutes=1)) == []
    assert due(MORNING_AFTER_MARCH) == [meetings[0]]
    assert due(MORNING_AFTER_MARCH + timedelta(days=6, hours=23)) == [meetings[0]]
    assert due(MORNING_AFTER_MARCH + timedelta(days=7)) == []
    _record(deps, meetings[0], [OutcomeEntry(item, "vervallen")])
    assert due(MORNING_AFTER_MARCH) == []
