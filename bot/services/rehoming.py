"""Nothing stranded: proposals of a meeting that is cancelled (or turns out to take no proposals) move to
the overleg's next meeting that takes proposals, and who must hear about a moved meeting.

What happens to each open proposal of such a meeting:
- ingediend and aangehouden stay as they are, on the next meeting;
- geagendeerd becomes aangehouden on the next meeting: the agenda it was placed on no longer exists,
  so the secretariaat agendeert it again (its review post shows the buttons again);
- with no next meeting planned it waits without a meeting and is placed once one is imported.
Every move is in the audit trail (actor `VGGBOT`). The caller tells the people (plain data out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services import audit
from bot.services.decisions import transition
from bot.services.meetings import meeting_after
from storage.models import AgendaProposal, Meeting, ProposalState
from storage.queries import calendar as queries
from storage.queries.rows import MeetingRow

SYSTEM_ACTOR = "VGGBOT"


@dataclass(frozen=True)
class Rehomed:
    """One proposal that moved to another meeting because its own fell away (or it had none)."""

    proposal_id: int
    title: str
    proposer_id: str
    overleg_name: str
    from_meeting: MeetingRow | None  # None: it waited without a meeting
    to_meeting: MeetingRow | None  # None: no meeting that takes proposals is planned yet
    from_state: ProposalState
    to_state: ProposalState


@dataclass(frozen=True)
class Rescheduled:
    """A meeting that moved, and who has open items on it: they get a DM with the new date."""

    before: MeetingRow
    after: MeetingRow
    proposals: tuple[tuple[int, str, str], ...]  # (id, title, proposer)
    actions: tuple[tuple[int, str, str], ...]  # (id, text, owner)

    @property
    def people(self) -> list[str]:
        """Everyone to tell, once each, in the order they appear."""
        found = [proposer for _, _, proposer in self.proposals] + [owner for _, _, owner in self.actions]
        return list(dict.fromkeys(found))


def _record(session: Session, proposal: AgendaProposal, *, now: datetime, old: str, new: str) -> None:
    audit.record(
        session=session,
        entity=audit.PROPOSAL,
        entity_id=proposal.id,
        actor_id=SYSTEM_ACTOR,
        at=now,
        action="vergadering_gewijzigd",
        from_value=old,
        to_value=new,
    )


def _move(session: Session, proposal: AgendaProposal, origin: MeetingRow | None, *, now: datetime) -> Rehomed:
    after = max(now, origin.starts_at) if origin is not None else now
    target = meeting_after(session=session, overleg_id=proposal.overleg_id, after=after)
    from_state = proposal.state
    if from_state == ProposalState.GEAGENDEERD:
        state = ProposalState.AANGEHOUDEN
        transition(proposal, state, session=session, actor_id=SYSTEM_ACTOR, at=now, action="aanhouden")
    proposal.meeting_id = target.id if target is not None else None
    proposal.position = None
    proposal.updated_at = now
    old = origin.starts_at.isoformat() if origin is not None else ""
    _record(session, proposal, now=now, old=old, new=target.starts_at.isoformat() if target else "")
    return Rehomed(
        proposal_id=proposal.id,
        title=proposal.title,
        proposer_id=proposal.proposer_id,
        overleg_name=proposal.overleg.name,
        from_meeting=origin,
        to_meeting=target,
        from_state=from_state,
        to_state=proposal.state,
    )


def rehome_stranded(*, session: Session, meetings: Iterable[Meeting], now: datetime) -> list[Rehomed]:
    """Move the open proposals of these meetings (cancelled, or taking no proposals) to the next one."""
    moved: list[Rehomed] = []
    for meeting in meetings:
        origin = MeetingRow.of(meeting)
        for proposal in queries.open_proposals_of(session=session, meeting_id=meeting.id):
            moved.append(_move(session, proposal, origin, now=now))
    session.flush()
    return moved


def place_unplanned(*, session: Session, overleg_ids: Iterable[int], now: datetime) -> list[Rehomed]:
    """Open proposals that waited without a meeting go to the overleg's next one that takes proposals."""
    placed: list[Rehomed] = []
    for overleg_id in sorted(set(overleg_ids)):
        if meeting_after(session=session, overleg_id=overleg_id, after=now) is None:
            continue
        for proposal in queries.unplanned_proposals(session=session, overleg_id=overleg_id):
            placed.append(_move(session, proposal, None, now=now))
    session.flush()
    return placed


def rescheduled(
    *, session: Session, meeting: Meeting, before: MeetingRow, told: frozenset[int] = frozenset()
) -> Rescheduled | None:
    """Who has open items on a meeting that moved; None when nobody does. Proposals in `told` just
    moved onto it and their proposers hear that already (with the new date)."""
    open_proposals = [
        p for p in queries.open_proposals_of(session=session, meeting_id=meeting.id) if p.id not in told
    ]
    open_actions = queries.open_actions_of(session=session, meeting_id=meeting.id)
    proposals = tuple((p.id, p.title, p.proposer_id) for p in open_proposals)
    actions = tuple((a.id, a.text, a.owner_id) for a in open_actions)
    if not proposals and not actions:
        return None
    return Rescheduled(before=before, after=MeetingRow.of(meeting), proposals=proposals, actions=actions)
