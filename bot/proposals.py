"""Agenda proposals (agendavoorstellen): create, edit, withdraw, decide. Plain values in and out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import calendar
from storage.models import AgendaProposal, AuditEvent, Meeting, MeetingStatus, Overleg, ProposalState

TITLE_LIMIT = 150
EXPLANATION_LIMIT = 2000
REASON_LIMIT = 2000

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
    ProposalState.GEAGENDEERD: frozenset({ProposalState.BEHANDELD, ProposalState.AANGEHOUDEN}),
    ProposalState.AFGEWEZEN: frozenset(),
    ProposalState.INGETROKKEN: frozenset(),
    ProposalState.BEHANDELD: frozenset(),
}

STATE_WORDS = {
    ProposalState.INGEDIEND: "ingediend",
    ProposalState.GEAGENDEERD: "geagendeerd",
    ProposalState.AANGEHOUDEN: "aangehouden",
    ProposalState.AFGEWEZEN: "afgewezen",
    ProposalState.INGETROKKEN: "ingetrokken",
    ProposalState.BEHANDELD: "behandeld",
}


class ValidationError(Exception):
    """Bad input: `message` is the Dutch answer, `field` the form field it belongs to."""

    def __init__(self, message: str, *, field: str = "titel") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Exception):
    """The user may not do this; `message` is the Dutch answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Created:
    """A stored proposal and what the confirmation needs to say about its meeting."""

    proposal: AgendaProposal
    meeting: Meeting | None
    deadline: datetime | None
    # Set when the next meeting's deadline had passed, so the proposal went to the one after it.
    skipped: Meeting | None
    skipped_deadline: datetime | None


@dataclass(frozen=True)
class Decision:
    proposal: AgendaProposal
    from_state: ProposalState
    to_state: ProposalState


def ref(proposal_id: int) -> str:
    return f"#{proposal_id}"


def check_title(title: str) -> str:
    cleaned = " ".join(title.replace("\x00", "").split())
    if not cleaned:
        raise ValidationError(
            "Je voorstel heeft nog geen titel. Schrijf bijvoorbeeld `agendapunt: Hennepconvenant`.",
            field="titel",
        )
    if len(cleaned) > TITLE_LIMIT:
        raise ValidationError(
            f"De titel is {len(cleaned)} tekens; het maximum is {TITLE_LIMIT}. "
            "Maak hem korter en zet de rest in de toelichting.",
            field="titel",
        )
    return cleaned


def check_explanation(explanation: str) -> str:
    cleaned = explanation.replace("\x00", "").strip()
    if len(cleaned) > EXPLANATION_LIMIT:
        raise ValidationError(
            f"De toelichting is {len(cleaned)} tekens; het maximum is {EXPLANATION_LIMIT}. "
            "Kort hem in, of verwijs naar een document.",
            field="toelichting",
        )
    return cleaned


def resolve_overleg(*, session: Session, text: str | None) -> Overleg:
    """The overleg named by `text` (key, name or alias); IVB when nothing is named."""
    wanted = (text or "").strip() or calendar.DEFAULT_OVERLEG
    overleg = calendar.find_overleg(session=session, text=wanted)
    if overleg is None:
        keys = ", ".join(f"`{o.key}`" for o in calendar.list_overleggen(session=session))
        # The word is shown back without the characters that make mrkdwn links or mentions.
        shown = re.sub(r"[<>&`*_~]", "", wanted[:60])
        raise ValidationError(f"Ik ken geen overleg `{shown}`. Kies uit: {keys}.", field="overleg")
    return overleg


def _check_meeting(*, session: Session, meeting_id: int, overleg: Overleg, now: datetime) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.overleg_id != overleg.id:
        raise ValidationError(
            f"Die vergadering hoort niet bij {overleg.name}. Kies een vergadering van dit overleg.",
            field="vergadering",
        )
    if meeting.starts_at <= now:
        raise ValidationError(
            "Die vergadering is al geweest. Kies een vergadering die nog komt.", field="vergadering"
        )
    if meeting.status == MeetingStatus.GEANNULEERD:
        raise ValidationError(
            "Die vergadering is geannuleerd. Kies een andere vergadering.", field="vergadering"
        )
    return meeting


def record(
    *,
    session: Session,
    proposal_id: int,
    actor_id: str,
    at: datetime,
    action: str,
    from_value: str,
    to_value: str,
) -> None:
    session.add(
        AuditEvent(
            entity="proposal",
            entity_id=proposal_id,
            actor_id=actor_id,
            at=at,
            action=action,
            from_value=from_value[:200],
            to_value=to_value[:200],
        )
    )


def check_transition(proposal: AgendaProposal, to_state: ProposalState) -> None:
    if to_state not in TRANSITIONS[proposal.state]:
        raise NotAllowed(
            f"Voorstel {ref(proposal.id)} is al {STATE_WORDS[proposal.state]}; "
            f"{STATE_WORDS[to_state]} kan nu niet meer."
        )


def transition(
    proposal: AgendaProposal,
    to_state: ProposalState,
    *,
    session: Session,
    actor_id: str,
    at: datetime,
    action: str,
) -> ProposalState:
    """Move `proposal` to `to_state` if the state machine allows it; record who, when, from and to."""
    from_state = proposal.state
    check_transition(proposal, to_state)
    proposal.state = to_state
    proposal.updated_at = at
    record(
        session=session,
        proposal_id=proposal.id,
        actor_id=actor_id,
        at=at,
        action=action,
        from_value=from_state.value,
        to_value=to_state.value,
    )
    return from_state


def create_proposal(
    *,
    session: Session,
    proposer_id: str,
    title: str,
    explanation: str = "",
    overleg: str | None = None,
    meeting_id: int | None = None,
    now: datetime,
    tz: ZoneInfo,
    source_channel: str | None = None,
    source_ts: str | None = None,
    source_permalink: str | None = None,
) -> Created:
    """Validate and store a proposal for the right meeting: after the deadline it goes to the next one."""
    clean_title = check_title(title)
    clean_explanation = check_explanation(explanation)
    body = resolve_overleg(session=session, text=overleg)
    skipped: Meeting | None = None
    if meeting_id is not None:
        meeting: Meeting | None = _check_meeting(
            session=session, meeting_id=meeting_id, overleg=body, now=now
        )
    else:
        meeting = calendar.target_meeting(session=session, overleg=body, now=now, tz=tz)
        upcoming = calendar.next_meetings(session=session, overleg_id=body.id, now=now, limit=1)
        if upcoming and (meeting is None or upcoming[0].id != meeting.id):
            skipped = upcoming[0]
    proposal = AgendaProposal(
        overleg_id=body.id,
        meeting_id=meeting.id if meeting else None,
        title=clean_title,
        explanation=clean_explanation,
        proposer_id=proposer_id,
        state=ProposalState.INGEDIEND,
        source_channel=source_channel,
        source_ts=source_ts,
        source_permalink=(source_permalink or None) and source_permalink[:500],
        created_at=now,
        updated_at=now,
    )
    session.add(proposal)
    session.flush()
    record(
        session=session,
        proposal_id=proposal.id,
        actor_id=proposer_id,
        at=now,
        action="ingediend",
        from_value="",
        to_value=ProposalState.INGEDIEND.value,
    )
    session.flush()
    session.refresh(proposal)
    return Created(
        proposal=proposal,
        meeting=meeting,
        deadline=calendar.agenda_deadline(meeting, tz=tz) if meeting else None,
        skipped=skipped,
        skipped_deadline=calendar.agenda_deadline(skipped, tz=tz) if skipped else None,
    )


def get_proposal(*, session: Session, proposal_id: int) -> AgendaProposal:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None:
        raise NotAllowed(f"Voorstel {ref(proposal_id)} bestaat niet (meer).")
    return proposal


def _own(proposal: AgendaProposal, user_id: str, what: str) -> None:
    if proposal.proposer_id != user_id:
        raise NotAllowed(f"Alleen wie voorstel {ref(proposal.id)} indiende, kan het {what}.")
    if proposal.state != ProposalState.INGEDIEND:
        raise NotAllowed(
            f"Voorstel {ref(proposal.id)} is al {STATE_WORDS[proposal.state]}; {what} kan alleen "
            "zolang het nog ingediend is. Vraag het secretariaat als er iets moet veranderen."
        )


def editable(*, session: Session, proposal_id: int, user_id: str) -> AgendaProposal:
    """The proposal, if `user_id` may still edit it (their own, still ingediend)."""
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    _own(proposal, user_id, "bewerken")
    return proposal


def withdraw(*, session: Session, proposal_id: int, user_id: str, now: datetime) -> Decision:
    """The proposer takes their proposal back while it is still ingediend."""
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    _own(proposal, user_id, "intrekken")
    from_state = transition(
        proposal, ProposalState.INGETROKKEN, session=session, actor_id=user_id, at=now, action="ingetrokken"
    )
    session.flush()
    return Decision(proposal, from_state, proposal.state)


def edit(
    *, session: Session, proposal_id: int, user_id: str, title: str, explanation: str, now: datetime
) -> AgendaProposal:
    """The proposer changes title and explanation while the proposal is still ingediend."""
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    _own(proposal, user_id, "bewerken")
    clean_title = check_title(title)
    clean_explanation = check_explanation(explanation)
    old_title = proposal.title
    proposal.title = clean_title
    proposal.explanation = clean_explanation
    proposal.updated_at = now
    record(
        session=session,
        proposal_id=proposal.id,
        actor_id=user_id,
        at=now,
        action="bewerkt",
        from_value=old_title,
        to_value=clean_title,
    )
    session.flush()
    return proposal


def _next_position(*, session: Session, meeting_id: int) -> int:
    stmt = select(func.max(AgendaProposal.position)).where(
        AgendaProposal.meeting_id == meeting_id, AgendaProposal.state == ProposalState.GEAGENDEERD
    )
    return int(session.scalar(stmt) or 0) + 1


def _meeting_after(*, session: Session, proposal: AgendaProposal, now: datetime) -> Meeting | None:
    after = proposal.meeting.starts_at if proposal.meeting and proposal.meeting.starts_at > now else now
    meetings = calendar.next_meetings(session=session, overleg_id=proposal.overleg_id, now=after, limit=1)
    return meetings[0] if meetings else None


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
) -> Decision:
    """The secretariaat's decision: agenderen (on a meeting, at a position), aanhouden, afwijzen (reason)."""
    if actor_id not in admin_ids:
        raise NotAllowed(
            "Alleen het secretariaat kan over agendavoorstellen beslissen. Er is niets veranderd."
        )
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    if decision == "agenderen":
        target_id = meeting_id if meeting_id is not None else proposal.meeting_id
        if target_id is None:
            raise ValidationError(
                "Er is nog geen vergadering om dit voorstel op te agenderen. Plan eerst een vergadering.",
                field="vergadering",
            )
        meeting = _check_meeting(session=session, meeting_id=target_id, overleg=proposal.overleg, now=now)
        from_state = transition(
            proposal,
            ProposalState.GEAGENDEERD,
            session=session,
            actor_id=actor_id,
            at=now,
            action="agenderen",
        )
        proposal.meeting_id = meeting.id
        proposal.position = (
            position if position is not None else _next_position(session=session, meeting_id=meeting.id)
        )
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
        clean_reason = reason.replace("\x00", "").strip()
        if not clean_reason:
            raise ValidationError("Geef een reden op; de indiener krijgt die te lezen.", field="reden")
        if len(clean_reason) > REASON_LIMIT:
            raise ValidationError(
                f"De reden is {len(clean_reason)} tekens; het maximum is {REASON_LIMIT}.", field="reden"
            )
        from_state = transition(
            proposal, ProposalState.AFGEWEZEN, session=session, actor_id=actor_id, at=now, action="afwijzen"
        )
        proposal.reason = clean_reason
        proposal.position = None
    else:
        raise ValidationError(f"Onbekend besluit `{decision[:30]}`.", field="besluit")
    session.flush()
    session.refresh(proposal)
    return Decision(proposal, from_state, proposal.state)


def agenda_for_meeting(*, session: Session, meeting_id: int) -> list[AgendaProposal]:
    """The geagendeerde items of a meeting, in agenda order."""
    stmt = (
        select(AgendaProposal)
        .where(AgendaProposal.meeting_id == meeting_id, AgendaProposal.state == ProposalState.GEAGENDEERD)
        .order_by(AgendaProposal.position.nulls_last(), AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def proposals_from_source(*, session: Session, channel: str, ts: str) -> list[AgendaProposal]:
    """Live proposals made from one Slack message (message shortcut), oldest first."""
    stmt = (
        select(AgendaProposal)
        .where(
            AgendaProposal.source_channel == channel,
            AgendaProposal.source_ts == ts,
            AgendaProposal.state.not_in((ProposalState.INGETROKKEN, ProposalState.AFGEWEZEN)),
        )
        .order_by(AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def audit_trail(*, session: Session, proposal_id: int) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == "proposal", AuditEvent.entity_id == proposal_id)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(stmt))


def set_review_message(*, session: Session, proposal_id: int, channel: str, ts: str) -> None:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is not None:
        proposal.review_channel = channel
        proposal.review_ts = ts
        session.flush()
