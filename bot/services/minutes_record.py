"""The besluitenlijst, recorded: per agenda item behandeld (with a decision), doorgeschoven or vervallen,
with action points linked to the item. Only the secretariaat; every change audited.

How the outcomes map onto the proposal states:
- behandeld: the proposal becomes `behandeld` (final);
- doorgeschoven: it becomes `aangehouden` and moves to the overleg's next meeting (none planned: it
  waits, as after Aanhouden on the review post); the secretariaat agendas it there again, so its trail
  reads "aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: …";
- vervallen: it becomes `vervallen` (final).
Each gets an `agenda_outcome` row for this meeting, so the same item can be doorgeschoven on one
meeting's besluitenlijst and behandeld on the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import action_points, audit
from bot.services.decisions import transition
from bot.services.errors import NotAllowed, Refused
from bot.services.meetings import meeting_after
from bot.services.minutes import NOT_ADMIN, held_meeting
from bot.services.open_items import ActionItem
from bot.text.slack import is_user_id
from storage.models import AgendaOutcome, AgendaProposal, Outcome, ProposalState
from storage.queries import minutes as queries
from storage.queries.rows import MeetingRow

DECISION_LIMIT = 1000
ACTION_LIMIT = 1000
# The form fields an error belongs to: Refused.field is "<field>:<proposal id>".
OUTCOME_FIELD = "uitkomst"
DECISION_FIELD = "besluit"
OWNER_FIELD = "actie_eigenaar"
ACTION_FIELD = "actie_tekst"
DUE_FIELD = "actie_datum"

STATES = {
    Outcome.BEHANDELD: ProposalState.BEHANDELD,
    Outcome.DOORGESCHOVEN: ProposalState.AANGEHOUDEN,
    Outcome.VERVALLEN: ProposalState.VERVALLEN,
}


@dataclass(frozen=True)
class OutcomeEntry:
    """What the form says about one item; `outcome` "" leaves it for later. Each line of
    `action_text` is one action point for `action_owner`."""

    proposal_id: int
    outcome: str
    decision: str = ""
    action_owner: str = ""
    action_text: str = ""
    action_due: date | None = None

    def action_lines(self) -> list[str]:
        return [" ".join(line.split()) for line in self.action_text.splitlines() if line.strip()]


@dataclass(frozen=True)
class RecordedItem:
    """One item whose outcome was recorded now: what its proposer and the action owners are told."""

    proposal_id: int
    title: str
    proposer_id: str
    confidential: bool
    outcome: Outcome
    decision: str
    next_meeting: MeetingRow | None
    actions: tuple[ActionItem, ...]


@dataclass(frozen=True)
class Recorded:
    meeting: MeetingRow
    items: tuple[RecordedItem, ...]
    skipped: tuple[int, ...]  # already recorded (by someone else, or moved off this meeting meanwhile)


def _field(name: str, entry: OutcomeEntry) -> str:
    return f"{name}:{entry.proposal_id}"


def check_entry(entry: OutcomeEntry, *, today: date) -> None:
    """Refused (on the right field) when an entry cannot be recorded as it is."""
    if entry.outcome and entry.outcome not in {o.value for o in Outcome}:
        raise Refused("Kies behandeld, doorgeschoven of vervallen.", field=_field(OUTCOME_FIELD, entry))
    decision = entry.decision.strip()
    if entry.outcome == Outcome.BEHANDELD and not decision:
        raise Refused(
            "Schrijf kort op wat er is besloten of afgesproken.", field=_field(DECISION_FIELD, entry)
        )
    if len(decision) > DECISION_LIMIT:
        raise Refused(
            f"Het besluit is {len(decision)} tekens; het maximum is {DECISION_LIMIT}.",
            field=_field(DECISION_FIELD, entry),
        )
    lines = entry.action_lines()
    if (entry.action_owner or entry.action_due) and not lines:
        raise Refused("Wat moet er gebeuren? Eén actiepunt per regel.", field=_field(ACTION_FIELD, entry))
    if lines and not entry.outcome:
        raise Refused("Kies eerst de uitkomst van dit punt.", field=_field(OUTCOME_FIELD, entry))
    if lines and not is_user_id(entry.action_owner):
        raise Refused("Kies wie de actie uitvoert.", field=_field(OWNER_FIELD, entry))
    if any(len(line) > ACTION_LIMIT for line in lines):
        raise Refused(f"Een actiepunt is hooguit {ACTION_LIMIT} tekens.", field=_field(ACTION_FIELD, entry))
    if entry.action_due is not None and entry.action_due < today:
        raise Refused(
            "Die datum ligt in het verleden. Kies vandaag of later.", field=_field(DUE_FIELD, entry)
        )


def record_outcomes(
    *,
    session: Session,
    meeting_id: int,
    actor_id: str,
    admin_ids: tuple[str, ...],
    entries: list[OutcomeEntry],
    now: datetime,
    tz: ZoneInfo,
) -> Recorded:
    """Record what the meeting did with its items; all entries are checked before anything changes."""
    if actor_id not in admin_ids:
        raise NotAllowed(NOT_ADMIN)
    meeting = held_meeting(session=session, meeting_id=meeting_id, now=now)
    today = now.astimezone(tz).date()
    for entry in entries:
        check_entry(entry, today=today)
    done, skipped = [], []
    for entry in (e for e in entries if e.outcome):
        proposal = queries.proposal_for_update(session=session, proposal_id=entry.proposal_id)
        if (
            proposal is None
            or proposal.meeting_id != meeting.id
            or proposal.state != ProposalState.GEAGENDEERD
        ):
            skipped.append(entry.proposal_id)
            continue
        done.append(_record(session, meeting, proposal, entry, actor_id=actor_id, now=now))
    session.flush()
    return Recorded(meeting=meeting, items=tuple(done), skipped=tuple(skipped))


def _record(
    session: Session,
    meeting: MeetingRow,
    proposal: AgendaProposal,
    entry: OutcomeEntry,
    *,
    actor_id: str,
    now: datetime,
) -> RecordedItem:
    outcome = Outcome(entry.outcome)
    decision = entry.decision.strip()
    session.add(
        AgendaOutcome(
            meeting_id=meeting.id,
            proposal_id=proposal.id,
            outcome=outcome,
            decision=decision,
            position=proposal.position,
            recorded_by=actor_id,
            recorded_at=now,
        )
    )
    transition(
        proposal,
        STATES[outcome],
        session=session,
        actor_id=actor_id,
        at=now,
        action=outcome.value,
        meeting_id=meeting.id,
        note=decision,
    )
    if decision:
        audit.record(
            session=session,
            entity=audit.PROPOSAL,
            entity_id=proposal.id,
            actor_id=actor_id,
            at=now,
            action="besluit",
            to_value=decision,
        )
    later = None
    if outcome == Outcome.DOORGESCHOVEN:
        later = meeting_after(
            session=session, overleg_id=proposal.overleg_id, after=max(now, meeting.starts_at)
        )
        proposal.meeting_id = later.id if later else None
        proposal.position = None
    return RecordedItem(
        proposal_id=proposal.id,
        title=proposal.title,
        proposer_id=proposal.proposer_id,
        confidential=proposal.confidential,
        outcome=outcome,
        decision=decision,
        next_meeting=later,
        actions=_actions(session, meeting, proposal, entry, actor_id=actor_id, now=now),
    )


def _actions(
    session: Session,
    meeting: MeetingRow,
    proposal: AgendaProposal,
    entry: OutcomeEntry,
    *,
    actor_id: str,
    now: datetime,
) -> tuple[ActionItem, ...]:
    """One action point per line of the entry's action text, on this meeting, linked to the item."""
    return tuple(
        action_points.create_action_point(
            session=session,
            actor_id=actor_id,
            is_admin=True,
            owner_id=entry.action_owner,
            text=line,
            due_date=entry.action_due,
            now=now,
            meeting_id=meeting.id,
            proposal_id=proposal.id,
        )
        for line in entry.action_lines()
    )
