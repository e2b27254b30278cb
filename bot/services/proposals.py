"""Agenda proposals (agendavoorstellen): create, edit, withdraw, decide. Plain values in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import audit, history
from bot.services.deadlines import agenda_deadline
from bot.services.errors import NotAllowed, Refused
from bot.services.meetings import Target, meeting_after, read_target
from bot.services.overleggen import resolve_overleg
from bot.text.dutch import with_article
from storage.models import AgendaProposal, MeetingStatus, ProposalState
from storage.queries import meetings as meeting_queries
from storage.queries import proposals as queries
from storage.queries.rows import MeetingRow, OverlegRow

TITLE_LIMIT = 150
# The same title from the same person for the same overleg within this time is asked about first.
EXPLANATION_LIMIT = 2000
REASON_LIMIT = 2000

STATE_WORDS = {
    ProposalState.INGEDIEND: "ingediend",
    ProposalState.GEAGENDEERD: "geagendeerd",
    ProposalState.AANGEHOUDEN: "aangehouden",
    ProposalState.AFGEWEZEN: "afgewezen",
    ProposalState.INGETROKKEN: "ingetrokken",
    ProposalState.BEHANDELD: "behandeld",
    ProposalState.VERVALLEN: "vervallen",
}


@dataclass(frozen=True)
class Created:
    """A stored proposal and what the confirmation needs to say about its meeting."""

    proposal: AgendaProposal
    meeting: MeetingRow | None
    deadline: datetime | None
    # Set when the next meeting that takes proposals had its deadline pass (the target rule skipped it).
    skipped: MeetingRow | None
    skipped_deadline: datetime | None

    @property
    def target(self) -> Target:
        return Target(self.meeting, self.deadline, self.skipped, self.skipped_deadline)


def ref(proposal_id: int) -> str:
    return f"#{proposal_id}"


def check_title(title: str) -> str:
    cleaned = " ".join(title.replace("\x00", "").split())
    if not cleaned:
        raise Refused(
            "Je voorstel heeft nog geen titel. Schrijf bijvoorbeeld `agendapunt: Hennepconvenant`.",
            field="titel",
        )
    if len(cleaned) > TITLE_LIMIT:
        raise Refused(
            f"De titel is {len(cleaned)} tekens; het maximum is {TITLE_LIMIT}. "
            "Maak hem korter en zet de rest in de toelichting.",
            field="titel",
        )
    return cleaned


def check_explanation(explanation: str) -> str:
    cleaned = explanation.replace("\x00", "").strip()
    if len(cleaned) > EXPLANATION_LIMIT:
        raise Refused(
            f"De toelichting is {len(cleaned)} tekens; het maximum is {EXPLANATION_LIMIT}. "
            "Kort hem in, of verwijs naar een document.",
            field="toelichting",
        )
    return cleaned


def check_meeting(*, session: Session, meeting_id: int, overleg: OverlegRow, now: datetime) -> MeetingRow:
    meeting = meeting_queries.meeting(session=session, meeting_id=meeting_id)
    if meeting is None or meeting.overleg.id != overleg.id:
        raise Refused(
            f"Die vergadering hoort niet bij {with_article(overleg.name)}. "
            "Kies een vergadering van dit overleg.",
            field="vergadering",
        )
    if meeting.starts_at <= now:
        raise Refused(
            "Die vergadering is al geweest. Kies een vergadering die nog komt.", field="vergadering"
        )
    if meeting.status == MeetingStatus.GEANNULEERD:
        raise Refused("Die vergadering is geannuleerd. Kies een andere vergadering.", field="vergadering")
    if not meeting.takes_proposals:
        raise Refused(
            "Op die bijeenkomst worden geen agendapunten behandeld. Kies een andere vergadering.",
            field="vergadering",
        )
    return meeting


def record_change(
    session: Session, proposal_id: int, *, actor_id: str, at: datetime, action: str, old: str, new: str
) -> None:
    audit.record(
        session=session,
        entity=audit.PROPOSAL,
        entity_id=proposal_id,
        actor_id=actor_id,
        at=at,
        action=action,
        from_value=old,
        to_value=new,
    )


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
    confidential: bool = False,
) -> Created:
    """Validate and store a proposal for the right meeting: after the deadline it goes to the next one."""
    clean_title = check_title(title)
    clean_explanation = check_explanation(explanation)
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    if meeting_id is not None:
        chosen = check_meeting(session=session, meeting_id=meeting_id, overleg=body, now=now)
        target = Target(chosen, agenda_deadline(chosen, tz=tz), None, None)
    else:
        target = read_target(session=session, overleg_id=body.id, now=now, tz=tz)
    meeting = target.meeting
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
        confidential=confidential,
        created_at=now,
        updated_at=now,
    )
    session.add(proposal)
    session.flush()
    _record_submission(session, proposal, now=now)
    session.refresh(proposal)
    return Created(
        proposal=proposal,
        meeting=meeting,
        deadline=target.deadline,
        skipped=target.skipped,
        skipped_deadline=target.skipped_deadline,
    )


def _record_submission(session: Session, proposal: AgendaProposal, *, now: datetime) -> None:
    """The audit event and the first history step of a new proposal (and its confidentiality)."""
    actor = proposal.proposer_id
    record_change(session, proposal.id, actor_id=actor, at=now, action="ingediend", old="", new="ingediend")
    history.record_step(
        session=session,
        proposal_id=proposal.id,
        state=history.SUBMITTED,
        at=now,
        actor_id=actor,
        meeting_id=proposal.meeting_id,
    )
    if proposal.confidential:
        record_confidential_flag(session, proposal, actor_id=actor, now=now, old=False)
    session.flush()


def get_proposal(*, session: Session, proposal_id: int, lock: bool = False) -> AgendaProposal:
    """The proposal; with `lock`, its row stays locked until the transaction ends, so two decisions at
    once are taken one after the other and the second sees the first's state."""
    proposal = queries.for_update(session=session, proposal_id=proposal_id) if lock else None
    if not lock:
        proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None:
        raise NotAllowed(f"Voorstel {ref(proposal_id)} bestaat niet (meer).")
    return proposal


def check_own(proposal: AgendaProposal, user_id: str, what: str) -> None:
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
    check_own(proposal, user_id, "bewerken")
    return proposal


def edit(
    *,
    session: Session,
    proposal_id: int,
    user_id: str,
    title: str,
    explanation: str,
    now: datetime,
    confidential: bool | None = None,
) -> AgendaProposal:
    """The proposer changes title, explanation (and confidentiality) while the proposal is ingediend."""
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    check_own(proposal, user_id, "bewerken")
    clean_title = check_title(title)
    clean_explanation = check_explanation(explanation)
    old_title = proposal.title
    proposal.title = clean_title
    proposal.explanation = clean_explanation
    proposal.updated_at = now
    record_change(
        session, proposal.id, actor_id=user_id, at=now, action="bewerkt", old=old_title, new=clean_title
    )
    if confidential is not None and confidential != proposal.confidential:
        proposal.confidential = confidential
        record_confidential_flag(session, proposal, actor_id=user_id, now=now, old=not confidential)
    session.flush()
    return proposal


def record_confidential_flag(
    session: Session, proposal: AgendaProposal, *, actor_id: str, now: datetime, old: bool
) -> None:
    """Audit a change of `confidential` (from `old` to what the proposal has now)."""
    record_change(
        session,
        proposal.id,
        actor_id=actor_id,
        at=now,
        action="vertrouwelijk",
        old="ja" if old else "nee",
        new="ja" if proposal.confidential else "nee",
    )


@dataclass(frozen=True)
class Agenda:
    """`/ivb agenda`: an overleg's next meeting and what is geagendeerd on it, in order."""

    overleg: OverlegRow
    meeting: MeetingRow | None
    items: list[AgendaProposal]
    # Geagendeerde confidential items left out for this viewer: counted, so `/ivb volgende`'s
    # "2 geagendeerd" never contradicts the list.
    hidden: int = 0


def read_agenda(
    *, session: Session, overleg: str | None, now: datetime, viewer_id: str = "", is_admin: bool = True
) -> Agenda:
    """The agenda of the next meeting of the overleg `overleg` names (IVB when empty); Refused if unknown.

    Confidential items are left out (no gap in the numbering) unless the viewer is the secretariaat
    or proposed them.
    """
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    meeting = meeting_after(session=session, overleg_id=body.id, after=now)
    items = queries.agenda(session=session, meeting_id=meeting.id) if meeting else []
    visible = [item for item in items if not item.confidential or is_admin or item.proposer_id == viewer_id]
    return Agenda(body, meeting, visible, hidden=len(items) - len(visible))


def earlier_from_message(*, session: Session, channel: str, ts: str) -> list[AgendaProposal]:
    """Live proposals already made from one Slack message (the message shortcut asks before another)."""
    return queries.from_source(session=session, channel=channel, ts=ts)
