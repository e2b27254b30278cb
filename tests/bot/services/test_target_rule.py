"""The one target rule: the first meeting of an overleg that takes proposals and whose agenda deadline is
still ahead. `/ivb volgende`, the proposal and its confirmation, the dialogue's summary and the review
post all name the same meeting, in the same words (the reproductions of issue 11)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.blocks.dialogue import build_dialogue_reply
from bot.blocks.meetings import build_next_meeting, target_phrase
from bot.blocks.proposals import build_created, build_review
from bot.runtime.deps import Deps
from bot.services import dialogue, meetings, overleggen, proposals
from bot.services import review as review_service
from bot.services.errors import Refused
from storage.queries.rows import MeetingRow
from tests.conftest import AMS, OFFICIAL
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting

# Asked on Monday 30 November 2026 at 20:05, with the IVB on the next three Mondays at 10:00.
ASKED = datetime(2026, 11, 30, 20, 5, tzinfo=AMS)
DECEMBER = (7, 14, 21)


def _december(deps: Deps, **kwargs: object) -> list[MeetingRow]:
    with deps.sessions.begin() as s:
        return [
            MeetingRow.of(add_meeting(s, "ivb", datetime(2026, 12, day, 10, 0, tzinfo=AMS), **kwargs))  # type: ignore[arg-type]
            for day in DECEMBER
        ]


def _volgende(deps: Deps, now: datetime) -> str:
    with deps.sessions() as s:
        ivb = overleggen.read_overleg(session=s, text="ivb")
        info = meetings.read_next_meeting(session=s, overleg=ivb, now=now, tz=AMS)
    reply = build_next_meeting(info, tz=AMS, admins=(), now=now)
    assert_valid_message(reply.as_message())
    return str(reply.blocks)


def test_volgende_names_the_meeting_new_proposals_really_go_to(deps: Deps) -> None:
    """30 Nov 20:05: the next IVB is 7 Dec (deadline 23 Nov passed); 14 Dec's deadline passed this
    morning at 10:00, so new proposals go to 21 Dec, deadline 7 Dec 10:00 (not 14 Dec, deadline gone)."""
    first, _, third = _december(deps)
    text = _volgende(deps, ASKED)
    assert "maandag 7 december 2026, 10:00" in text
    assert "De agendadeadline was maandag 23 november 2026, 10:00." in text
    assert ("*Nieuwe voorstellen: IVB van ma 21 dec 10:00, uiterlijk ma 7 dec 10:00 (over 7 dagen)*") in text
    assert "14 december" not in text
    with deps.sessions() as s:
        target = meetings.read_target(session=s, overleg_id=first.overleg.id, now=ASKED, tz=AMS)
    assert target.meeting is not None
    assert target.meeting.id == third.id
    assert target.skipped is not None
    assert target.skipped.id == first.id


def test_proposal_and_its_confirmation_say_what_volgende_says(deps: Deps) -> None:
    """`/ivb voorstel` right after files for 21 Dec, the meeting `/ivb volgende` names, and the confirmation
    says it as the dialogue does; it never says "de vergadering daarna"."""
    _, _, third = _december(deps)
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Jaarwisseling", now=ASKED, tz=AMS
        )
        reply = build_created(created, tz=AMS)
    assert created.proposal.meeting_id == third.id
    assert_valid_message(reply.as_message())
    text = reply.blocks[0]["text"]["text"]
    assert created.deadline is not None
    phrase = target_phrase(third, created.deadline, AMS)
    assert f"Je voorstel gaat naar {phrase}." in text
    assert "Nieuwe voorstellen: IVB van ma 21 dec 10:00," in _volgende(deps, ASKED)
    assert "De agendadeadline van de vergadering van *maandag 7 december 2026, 10:00* was" in text
    assert "daarna" not in text


def test_dialogue_summary_names_the_same_meeting(deps: Deps) -> None:
    """The dialogue's "Klopt dit?" says where the proposal will go, in the same words."""
    _, _, third = _december(deps)

    def say(text: str) -> dialogue.DialogueOutcome:
        with deps.sessions.begin() as s:
            return dialogue.handle_message(
                session=s, user_id=OFFICIAL, channel_id="D1", thread_ts="", text=text, now=ASKED, tz=AMS
            )

    for line in ("ik wil iets agenderen", "Jaarwisseling", "geen"):
        say(line)
    outcome = say("ivb")
    assert outcome.kind == "confirm"
    reply = build_dialogue_reply(outcome, tz=AMS, today=ASKED.date())
    assert reply is not None
    assert_valid_message(reply.as_message())
    assert outcome.target is not None
    assert outcome.target.deadline is not None
    phrase = target_phrase(third, outcome.target.deadline, AMS)
    assert f"Het voorstel gaat naar {phrase}." in reply.blocks[0]["text"]["text"]


def test_review_post_agendeert_on_the_target_by_default(deps: Deps) -> None:
    """A proposal without a meeting gets "Agenderen (21 dec)" from the target rule, not the next meeting."""
    _, _, third = _december(deps)
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="t", now=ASKED, tz=AMS)
        created.proposal.meeting_id = None
        s.flush()
        found = review_service.read_review(session=s, proposal_id=created.proposal.id, now=ASKED, tz=AMS)
        assert found is not None
        reply = build_review(found.proposal, meetings=found.meetings, default_id=found.default_id, tz=AMS)
    assert found.default_id == third.id
    buttons = [e for b in reply.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["text"]["text"] == "Agenderen (ma 21 dec 2026)"
    assert buttons[0]["value"] == f"{created.proposal.id}:{third.id}~ingediend"


def test_all_day_meeting_whose_deadline_passed_is_named_not_hidden(deps: Deps) -> None:
    """With only an all-day IVB whose deadline passed, the confirmation names it and says none follows;
    it no longer claims that no meeting is planned, and shows no "00:00"."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2026, 12, 17, tzinfo=AMS), days=1)
    asked = datetime(2026, 12, 10, 9, 0, tzinfo=AMS)
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="t", now=asked, tz=AMS)
        text = build_created(created, tz=AMS).blocks[0]["text"]["text"]
    assert created.proposal.meeting_id is None
    assert "donderdag 17 december 2026 (hele dag)" in text
    assert "was donderdag 3 december 2026: die is voorbij" in text
    assert "Er is nog geen vergadering daarna gepland" in text
    assert "Er is nog geen vergadering gepland" not in text
    assert "00:00" not in text + _volgende(deps, asked)


def test_a_working_visit_or_weekly_call_never_takes_proposals(deps: Deps) -> None:
    """Only the plenary takes proposals: the target skips the werkbezoek, a form cannot choose it, and
    `/ivb volgende` tells the werkbezoek apart and says where proposals go."""
    with deps.sessions.begin() as s:
        visit = MeetingRow.of(
            add_meeting(
                s,
                "ivb",
                datetime(2026, 12, 14, 10, 0, tzinfo=AMS),
                title="IVB-werkbezoek Meldkamer Noord-Nederland",
                takes_proposals=False,
            )
        )
        plenary = MeetingRow.of(
            add_meeting(
                s, "ivb", datetime(2027, 1, 18, 10, 0, tzinfo=AMS), title="Integraal Veiligheidsberaad"
            )
        )
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="t", now=ASKED, tz=AMS)
        assert created.proposal.meeting_id == plenary.id
        with pytest.raises(Refused, match="geen agendapunten"):
            proposals.create_proposal(
                session=s, proposer_id=OFFICIAL, title="t", meeting_id=visit.id, now=ASKED, tz=AMS
            )
        assert [m.id for m in meetings.read_planned(session=s, now=ASKED, limit=10)] == [plenary.id]
    text = _volgende(deps, ASKED)
    assert "IVB-werkbezoek Meldkamer Noord-Nederland" in text
    assert "Op deze bijeenkomst worden geen agendapunten behandeld." in text
    assert "*Nieuwe voorstellen: IVB van ma 18 jan 2027 10:00," in text


def test_target_found_beyond_the_first_page_of_meetings(deps: Deps) -> None:
    """Daily meetings with a 10-working-day rule: the target lies two weeks out, past the first page read."""
    with deps.sessions.begin() as s:
        for day in range(1, 32):
            add_meeting(s, "ivb", datetime(2026, 12, day, 10, 0, tzinfo=AMS))
        ivb_id = overleggen.read_overleg(session=s, text="ivb").id
    with deps.sessions() as s:
        target = meetings.read_target(session=s, overleg_id=ivb_id, now=ASKED, tz=AMS)
    assert target.meeting is not None
    # 10 working days after Monday 30 November is Monday 14 December; its deadline is 30 Nov 10:00,
    # passed at 20:05, so the first with a deadline ahead is Tuesday 15 December.
    assert target.meeting.starts_at == datetime(2026, 12, 15, 10, 0, tzinfo=AMS)
    assert target.skipped is not None
    assert target.skipped.starts_at == datetime(2026, 12, 1, 10, 0, tzinfo=AMS)
    assert "*Nieuwe voorstellen: IVB van di 15 dec 10:00," in _volgende(deps, ASKED)
