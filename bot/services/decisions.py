"""Decisions on proposals: the state machine, the secretariaat's agenderen / aanhouden / afwijzen, and
the proposer withdrawing. Every change is checked here, audited, and added to the item's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services import history
from bot.services.errors import NotAllowed, Refused
from bot.services.meetings import meeting_after
from bot.services.proposals import (
    REASON_LIMIT,
    STATE_WORDS,
    check_meeting,
    check_own,
    get_proposal,
    record_change,
    ref,
)
from storage.models import AgendaProposal, ProposalState
from storage.queries import proposals as queries
from storage.queries.rows import MeetingRow, OverlegRow

# The state machine: which state may follow which. Afgewezen, ingetrokken and behandeld are final.
TRANSITIONS: dict[ProposalState, frozenset[ProposalState]] = {
    ProposalState.INGEDIEND: frozenset(
        {
            ProposalState.GEAGENDEERD,
            ProposalState.AANGEHOUDEN,
            ProposalState.AFGEWEZEN,
            ProposalState.INGETROKKEN,
        }
    ),
    ProposalState.AANGEHOUDEN: frozenset(
        {ProposalState.GEAGENDEERD, ProposalState.AANGEHOUDEN, ProposalState.AFGEWEZEN}
    ),
    # After the meeting (the besluitenlijst): behandeld, doorgeschoven (aangehouden) or vervallen.
    ProposalState.GEAGENDEERD: frozenset(
        {ProposalState.BEHANDELD, ProposalState.AANGEHOUDEN, ProposalState.VERVALLEN}
    ),
    ProposalState.AFGEWEZEN: frozenset(),
    ProposalState.INGETROKKEN: frozenset(),
    ProposalState.BEHANDELD: frozenset(),
    ProposalState.VERVALLEN: frozenset(),
}


# The states the secretariaat decides on (the review post's and `/ivb open`'s buttons).
DECIDABLE = frozenset({ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN})
_DECIDES = {
    "agenderen": ProposalState.GEAGENDEERD,
    "aanhouden": ProposalState.AANGEHOUDEN,
    "afwijzen": ProposalState.AFGEWEZEN,
}


@dataclass(frozen=True)
class Decision:
    """A proposal's change of state, and who made it when (the proposer's DM names them)."""

    proposal: AgendaProposal
    from_state: ProposalState
    to_state: ProposalState
    actor_id: str = ""
    at: datetime | None = None


# What a decision is called when it can no longer be taken: "…; agenderen kan niet meer".
DECISION_WORDS = {
    ProposalState.GEAGENDEERD: "agenderen",
    ProposalState.AANGEHOUDEN: "aanhouden",
    ProposalState.AFGEWEZEN: "afwijzen",
    ProposalState.INGETROKKEN: "intrekken",
    ProposalState.BEHANDELD: "afhandelen",
}


def check_transition(proposal: AgendaProposal, to_state: ProposalState) -> None:
    if to_state in TRANSITIONS[proposal.state]:
        return
    already = f"Voorstel {ref(proposal.id)} is al {STATE_WORDS[proposal.state]}"
    if proposal.state == to_state:
        raise NotAllowed(f"{already}. Er is niets veranderd.")
    raise NotAllowed(f"{already}; {DECISION_WORDS[to_state]} kan dan niet meer. Er is niets veranderd.")


def transition(
    proposal: AgendaProposal,
    to_state: ProposalState,
    *,
    session: Session,
    actor_id: str,
    at: datetime,
    action: str,
    meeting_id: int | None = None,
    note: str = "",
) -> ProposalState:
    """Move `proposal` to `to_state` if the state machine allows it; record who, when, from and to.

    The history step refers to `meeting_id`, by default the meeting the proposal is on now (call this
    before moving it: "aangehouden" refers to the meeting it is held over from).
    """
    from_state = proposal.state
    check_transition(proposal, to_state)
    proposal.state = to_state
    proposal.updated_at = at
    history.record_step(
        session=session,
        proposal_id=proposal.id,
        state=to_state.value,
        at=at,
        actor_id=actor_id,
        meeting_id=meeting_id if meeting_id is not None else proposal.meeting_id,
        note=note,
    )
    record_change(
        session,
        proposal.id,
        actor_id=actor_id,
        at=at,
        action=action,
        old=from_state.value,
        new=to_state.value,
    )
    return from_state


def withdraw(*, session: Session, proposal_id: int, user_id: str, now: datetime) -> Decision:
    """The proposer takes their proposal back while it is still ingediend."""
    proposal = get_proposal(session=session, proposal_id=proposal_id, lock=True)
    check_own(proposal, user_id, "intrekken")
    from_state = transition(
        proposal, ProposalState.INGETROKKEN, session=session, actor_id=user_id, at=now, action="ingetrokken"
    )
    session.flush()
    return Decision(proposal, from_state, proposal.state, actor_id=user_id, at=now)


def _meeting_after(*, session: Session, proposal: AgendaProposal, now: datetime) -> MeetingRow | None:
    start = proposal.meeting.starts_at if proposal.meeting and proposal.meeting.starts_at > now else now
    return meeting_after(session=session, overleg_id=proposal.overleg_id, after=start)


def _check_decidable(proposal: AgendaProposal, decision: str, shown_state: str) -> None:
    already = f"Voorstel {ref(proposal.id)} is al {STATE_WORDS[proposal.state]}"
    if shown_state and shown_state != proposal.state.value:
        # Two admins clicking at once: the second sees the first's decision (the row is locked) and
        # is told, instead of overruling it with a decision made on what the button showed before.
        raise NotAllowed(f"{already}. Er is niets veranderd.")
    if proposal.state not in DECIDABLE:
        check_transition(proposal, _DECIDES[decision])
        raise NotAllowed(f"{already}. Er is niets veranderd.")


def decide(
    *,
    session: Session,
    proposal_id: int,
    actor_id: str,
    admin_ids: tuple[str, ...],
    decision: str,
    now: datetime,
    meeting_id: int | None = None,
    position: int | None = None,
    reason: str = "",
    shown_state: str = "",
) -> Decision:
    """The secretariaat's decision: agenderen (on a meeting, at a position), aanhouden, afwijzen (reason).

    `shown_state`: the state the clicked button showed; a proposal no longer in it is not decided on."""
    if actor_id not in admin_ids:
        raise NotAllowed(
            "Alleen het secretariaat kan over agendavoorstellen beslissen. Er is niets veranderd."
        )
    proposal = get_proposal(session=session, proposal_id=proposal_id, lock=True)
    _check_decidable(proposal, decision, shown_state)
    if decision == "agenderen":
        from_state = _schedule(session, proposal, actor_id, now=now, meeting_id=meeting_id, position=position)
    elif decision == "aanhouden":
        later = _meeting_after(session=session, proposal=proposal, now=now)
        from_state = transition(
            proposal,
            ProposalState.AANGEHOUDEN,
            session=session,
            actor_id=actor_id,
            at=now,
            action="aanhouden",
        )
        proposal.meeting_id = later.id if later else None
        proposal.position = None
    elif decision == "afwijzen":
        clean_reason = _check_reason(reason)
        from_state = transition(
            proposal,
            ProposalState.AFGEWEZEN,
            session=session,
            actor_id=actor_id,
            at=now,
            action="afwijzen",
            note=clean_reason,
        )
        proposal.reason = clean_reason
        proposal.position = None
    else:
        raise Refused(f"Onbekend besluit `{decision[:30]}`.", field="besluit")
    session.flush()
    session.refresh(proposal)
    return Decision(proposal, from_state, proposal.state, actor_id=actor_id, at=now)


def _schedule(
    session: Session,
    proposal: AgendaProposal,
    actor_id: str,
    *,
    now: datetime,
    meeting_id: int | None,
    position: int | None,
) -> ProposalState:
    """Agenderen: on `meeting_id` (default the proposal's meeting), last on its agenda unless placed."""
    target_id = meeting_id if meeting_id is not None else proposal.meeting_id
    if target_id is None:
        raise Refused(
            "Er is nog geen vergadering om dit voorstel op te agenderen. Plan eerst een vergadering.",
            field="vergadering",
        )
    overleg = OverlegRow.of(proposal.overleg)
    meeting = check_meeting(session=session, meeting_id=target_id, overleg=overleg, now=now)
    # The meeting's row first, before anything that refers to it (a foreign key check share-locks it,
    # and two transactions upgrading that share lock deadlock): agenda places go one at a time.
    queries.lock_meeting(session=session, meeting_id=meeting.id)
    from_state = transition(
        proposal,
        ProposalState.GEAGENDEERD,
        session=session,
        actor_id=actor_id,
        at=now,
        action="agenderen",
        meeting_id=meeting.id,
    )
    proposal.meeting_id = meeting.id
    if position is None:
        position = queries.last_position(session=session, meeting_id=meeting.id) + 1
    proposal.position = position
    return from_state


def _check_reason(reason: str) -> str:
    clean_reason = reason.replace("\x00", "").strip()
    if not clean_reason:
        raise Refused("Geef een reden op; de indiener krijgt die te lezen.", field="reden")
    if len(clean_reason) > REASON_LIMIT:
        raise Refused(
            f"De reden is {len(clean_reason)} tekens; het maximum is {REASON_LIMIT}.", field="reden"
        )
    return clean_reason
