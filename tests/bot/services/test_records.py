"""The records read from the database: a meeting's besluitenlijst with trails and linked action points,
and the trail as the archive's besluitenlijst writes it."""

from __future__ import annotations

from datetime import timedelta

from bot.records.documents import decisions_html
from bot.runtime.deps import Deps
from bot.services import decisions, minutes_record
from bot.services.minutes_record import OutcomeEntry
from bot.services.records import archive_meetings
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.minutes_helpers import MORNING_AFTER_MARCH, ivb_with_items

OWNER = "U0OWNER0001"


def _record(deps: Deps, meeting_id: int, entry: OutcomeEntry, days_after_march: int = 0) -> None:
    with deps.sessions.begin() as s:
        minutes_record.record_outcomes(
            session=s,
            meeting_id=meeting_id,
            actor_id=ADMIN,
            admin_ids=(ADMIN,),
            entries=[entry],
            now=MORNING_AFTER_MARCH + timedelta(days=days_after_march),
            tz=AMS,
        )


def test_a_deferred_item_is_on_both_meetings_with_its_trail(deps: Deps) -> None:
    """Doorgeschoven on 20 March, behandeld on 26 June: both meetings list it, with the same trail in the
    besluitenlijst ("aangehouden 20 mrt → geagendeerd 26 jun → behandeld 26 jun: …"); the action point
    hangs under the item; the public version has no Slack ids."""
    meetings, (item,) = ivb_with_items(deps, ["Hennepconvenant"], proposer=OFFICIAL)
    _record(deps, meetings[0], OutcomeEntry(item, "doorgeschoven", "Wacht op het RIEC."))
    with deps.sessions.begin() as s:
        decisions.decide(
            session=s,
            proposal_id=item,
            actor_id=ADMIN,
            admin_ids=(ADMIN,),
            decision="agenderen",
            now=MORNING_AFTER_MARCH + timedelta(days=10),
        )
    _record(deps, meetings[1], OutcomeEntry(item, "behandeld", "Getekend.", OWNER, "Tekst rondsturen"), 98)
    with deps.sessions() as s:
        _, records = archive_meetings(session=s, overleg="ivb", year=2023, tz=AMS, public=False)
        _, public = archive_meetings(session=s, overleg="ivb", year=2023, tz=AMS, public=True)
    march, june, november = records
    assert [i.outcome for i in march.items] == ["doorgeschoven"]
    assert [i.outcome for i in june.items] == ["behandeld"]
    assert november.items == ()
    assert [(a.text, a.item_id, a.owner) for a in june.actions] == [("Tekst rondsturen", item, OWNER)]
    body = decisions_html(june, public=False, tz=AMS).body
    assert (
        "geagendeerd 20 mrt → aangehouden 20 mrt: Wacht op het RIEC. → geagendeerd 26 jun → "
        "behandeld 26 jun: Getekend." in body
    )
    assert OFFICIAL not in str(public)
    assert OWNER not in str(public)
