"""What the secretariaat sets by hand (`vggbot overleg …`, `vggbot calendar proposals …`): an overleg's
deadline rule and the title words of events that take no proposals, and per meeting whether it takes
proposals. A meeting that stops taking proposals hands its open proposals on (`rehoming`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.orm import Session

from bot.services.deadlines import MAX_WORKING_DAYS
from bot.services.errors import Refused
from bot.services.overleggen import resolve_overleg
from bot.services.rehoming import Rehomed, rehome_stranded
from bot.text.dutch import normalise
from storage.models import Meeting, Overleg
from storage.queries import calendar as queries
from storage.queries import meetings as meeting_queries
from storage.queries.rows import MeetingRow, OverlegRow


def takes_proposals_by_title(title: str, words: tuple[str, ...] | str) -> bool:
    """False when the title holds one of the words (`IVB-werkbezoek Meldkamer` holds `werkbezoek`)."""
    listed = words.split(",") if isinstance(words, str) else words
    text = normalise(title)
    return not any(normalise(word) and normalise(word) in text for word in listed)


def refresh_takes_proposals(meeting: Meeting, words: tuple[str, ...] | str) -> bool:
    """Apply the title rule unless the secretariaat set it by hand; True when it changed."""
    if meeting.proposals_set_by_hand:
        return False
    wanted = takes_proposals_by_title(meeting.title, words)
    if meeting.takes_proposals == wanted:
        return False
    meeting.takes_proposals = wanted
    meeting.feed_sequence += 1
    return True


def parse_time(text: str) -> time | None:
    """`12:00` -> 12:00; `start` (or empty) -> None: the meeting's own start time. Refused otherwise."""
    cleaned = text.strip().lower()
    if cleaned in {"", "start", "begintijd", "begin"}:
        return None
    try:
        found = time.fromisoformat(cleaned if len(cleaned) > 2 else f"{int(cleaned):02d}:00")
    except ValueError:
        raise Refused(f"`{text[:20]}` is geen tijd; schrijf bijvoorbeeld 12:00, of `start`.") from None
    if found == time():
        raise Refused("Een deadline om 00:00 leest als de dag ervoor; kies bijvoorbeeld 17:00 of `start`.")
    return found


def set_deadline_rule(*, session: Session, key: str, working_days: int, at: time | None) -> OverlegRow:
    """`vggbot overleg deadline ivb 10 12:00`: the overleg's new rule (the feed's deadlines update)."""
    if not 0 <= working_days <= MAX_WORKING_DAYS:
        raise Refused(f"Kies 0 tot {MAX_WORKING_DAYS} werkdagen.")
    overleg = _overleg(session, key)
    overleg.deadline_working_days = working_days
    overleg.deadline_time = at
    overleg.deadline_version += 1
    session.flush()
    return OverlegRow.of(overleg)


def _overleg(session: Session, key: str) -> Overleg:
    body = resolve_overleg(meeting_queries.overleggen(session=session), key)
    overleg = meeting_queries.overleg_for_update(session=session, key=body.key)
    assert overleg is not None
    return overleg


@dataclass(frozen=True)
class Switched:
    """What changed when the secretariaat said which meetings take proposals."""

    meetings: list[MeetingRow]  # the meetings whose setting changed
    rehomed: list[Rehomed]


def set_no_proposal_words(*, session: Session, key: str, words: str, now: datetime) -> Switched:
    """`vggbot overleg no-proposals ivb "werkbezoek,…"`: coming meetings follow the new words."""
    overleg = _overleg(session, key)
    cleaned = ",".join(w.strip() for w in words.split(",") if w.strip())
    if len(cleaned) > 500:
        raise Refused("Die woordenlijst is te lang (meer dan 500 tekens).")
    overleg.no_proposal_words = cleaned
    changed = [
        m
        for m in queries.meetings_of_overleg(session=session, overleg_id=overleg.id, after=now)
        if refresh_takes_proposals(m, cleaned)
    ]
    session.flush()
    stranded = [m for m in changed if not m.takes_proposals]
    rehomed = rehome_stranded(session=session, meetings=stranded, now=now)
    return Switched([MeetingRow.of(m) for m in changed], rehomed)


def set_takes_proposals(*, session: Session, ref: str, value: bool | None, now: datetime) -> Switched:
    """`vggbot calendar proposals 12|UID on|off|auto`: one meeting by hand (auto: the title rule again)."""
    meeting = (
        queries.meeting_for_update(session=session, meeting_id=int(ref.lstrip("#")))
        if ref.lstrip("#").isdigit()
        else queries.meeting_for_update(session=session, uid=ref)
    )
    if meeting is None:
        raise Refused(f"Ik ken geen vergadering `{ref[:60]}`; `vggbot calendar list` toont de nummers.")
    before = meeting.takes_proposals
    if value is None:
        meeting.proposals_set_by_hand = False
        refresh_takes_proposals(meeting, meeting.overleg.no_proposal_words)
    else:
        meeting.proposals_set_by_hand = True
        if meeting.takes_proposals != value:
            meeting.takes_proposals = value
            meeting.feed_sequence += 1
    session.flush()
    rehomed = [] if meeting.takes_proposals else rehome_stranded(session=session, meetings=[meeting], now=now)
    changed = [MeetingRow.of(meeting)] if before != meeting.takes_proposals else []
    return Switched(changed, rehomed)
