"""Agenda proposals (agendavoorstellen): create, edit, withdraw, decide. Plain values in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import audit
from bot.services.errors import NotAllowed, Refused
from bot.services.meetings import agenda_deadline, meeting_after, read_target
from bot.services.overleggen import resolve_overleg
from bot.text.dutch import with_article
from storage.models import AgendaProposal, MeetingStatus, ProposalState
from storage.queries import meetings as meeting_queries
from storage.queries import proposals as queries
from storage.queries.rows import MeetingRow, OverlegRow

TITLE_LIMIT = 150
# The same title from the same person for the same overleg within this time is asked about first.
DUPLICATE_WINDOW = timedelta(hours=24)
EXPLANATION_LIMIT = 2000
REASON_LIMIT = 2000

STATE_WORDS = {
    ProposalState.INGEDIEND: "ingediend",
    ProposalState.GEAGENDEERD: "geagendeerd",
    ProposalState.AANGEHOUDEN: "aangehouden",
    ProposalState.AFGEWEZEN: "afgewezen",
    ProposalState.INGETROKKEN: "ingetrokken",
    ProposalState.BEHANDELD: "behandeld",
}


@dataclass(frozen=True)
class Created:
    """A stored proposal and what the confirmation needs to say about its meeting."""

    proposal: AgendaProposal
    meeting: MeetingRow | None
    deadline: datetime | None
    # Set when the next meeting's deadline had passed, so the proposal went to the one after it.
    skipped: MeetingRow | None
    skipped_deadline: datetime | None


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
) -> Created:
    """Validate and store a proposal for the right meeting: after the deadline it goes to the next one."""
    clean_title = check_title(title)
    clean_explanation = check_explanation(explanation)
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    skipped: MeetingRow | None = None
    if meeting_id is not None:
        meeting: MeetingRow | None = check_meeting(
            session=session, meeting_id=meeting_id, overleg=body, now=now
        )
    else:
        target = read_target(session=session, overleg_id=body.id, now=now, tz=tz)
        meeting, skipped = target.meeting, target.skipped
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
    record_change(
        session, proposal.id, actor_id=proposer_id, at=now, action="ingediend", old="", new="ingediend"
    )
    session.flush()
    session.refresh(proposal)
    return Created(
        proposal=proposal,
        meeting=meeting,
        deadline=agenda_deadline(meeting, tz=tz) if meeting else None,
        skipped=skipped,
        skipped_deadline=agenda_deadline(skipped, tz=tz) if skipped else None,
    )


def same_title(first: str, second: str) -> bool:
    """Titles that differ only in capitals and spacing are the same title."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def find_duplicate(
    *, session: Session, proposer_id: str, title: str, overleg: str | None, now: datetime
) -> AgendaProposal | None:
    """The proposal `proposer_id` made with this title for this overleg in the last 24 hours, if any."""
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    recent = queries.recent_of_proposer(
        session=session, proposer_id=proposer_id, overleg_id=body.id, since=now - DUPLICATE_WINDOW
    )
    return next((p for p in recent if same_title(p.title, title)), None)


def get_proposal(*, session: Session, proposal_id: int) -> AgendaProposal:
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
    *, session: Session, proposal_id: int, user_id: str, title: str, explanation: str, now: datetime
) -> AgendaProposal:
    """The proposer changes title and explanation while the proposal is still ingediend."""
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
    session.flush()
    return proposal


@dataclass(frozen=True)
class Agenda:
    """`/ivb agenda`: an overleg's next meeting and what is geagendeerd on it, in order."""

    overleg: OverlegRow
    meeting: MeetingRow | None
    items: list[AgendaProposal]


def read_agenda(*, session: Session, overleg: str | None, now: datetime) -> Agenda:
    """The agenda of the next meeting of the overleg `overleg` names (IVB when empty); Refused if unknown."""
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    meeting = meeting_after(session=session, overleg_id=body.id, after=now)
    items = queries.agenda(session=session, meeting_id=meeting.id) if meeting else []
    return Agenda(body, meeting, items)


def earlier_from_message(*, session: Session, channel: str, ts: str) -> list[AgendaProposal]:
    """Live proposals already made from one Slack message (the message shortcut asks before another)."""
    return queries.from_source(session=session, channel=channel, ts=ts)
