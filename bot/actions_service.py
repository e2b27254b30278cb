"""Action points (actiepunten): create, close, reopen, move the due date. Every change is audited.

Who may do what is decided here, on the server, from plain values: the secretariaat (admins)
creates and assigns; the owner or an admin closes, reopens and moves the due date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendar import DEFAULT_OVERLEG, find_overleg, get_overleg
from bot.dates import DateError, looks_like_date, parse_due_date
from bot.formatting import plain_text_from_slack
from storage.models import ActionPoint, ActionStatus, AuditEvent, Meeting, MeetingStatus, Overleg

ENTITY = "action_point"
MAX_TEXT = 1000
MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")


class ActionPointError(Exception):
    """A refused change; the message is Dutch, tells the user what to do, and nothing was changed."""


@dataclass(frozen=True)
class ActionRequest:
    """`/ivb actie [overleg] @persoon <tekst> [voor <datum>]`, parsed into plain values."""

    owner_id: str
    text: str
    due_date: date | None
    overleg_word: str


def parse_action_command(text: str, *, now: datetime, tz: ZoneInfo) -> ActionRequest:
    """Read the command text; raises ActionPointError (unknown person, empty text, unreadable date).

    The due date is what follows the last " voor " when that tail looks like a date (digits, a
    month, "morgen", "week" …); otherwise "voor" belongs to the text ("brief voor de burgemeester").
    """
    cleaned = text.replace("\x00", "").strip()
    match = MENTION.search(cleaned)
    if match is None:
        raise ActionPointError(
            "Wie moet het doen? Noem de eigenaar met @, bijvoorbeeld "
            "`/ivb actie @Piet Notitie rondsturen voor 15 maart`, of open het formulier met `/ivb actie`."
        )
    overleg_word = cleaned[: match.start()].strip()
    rest = cleaned[match.end() :].strip()
    due: date | None = None
    head, sep, tail = rest.rpartition(" voor ")
    if not sep and rest.lower().startswith("voor "):
        head, sep, tail = "", "voor ", rest[5:]
    if sep and looks_like_date(tail):
        try:
            due = parse_due_date(tail, now=now, tz=tz)
        except DateError as exc:
            raise ActionPointError(str(exc)) from None
        rest = head.strip()
    # Slack sends the command text encoded (entities, <@U…|naam>); the action point stores it as typed.
    text = plain_text_from_slack(rest)
    return ActionRequest(owner_id=match.group(1), text=text, due_date=due, overleg_word=overleg_word)


def _audit(
    session: Session,
    point: ActionPoint,
    *,
    actor_id: str,
    now: datetime,
    action: str,
    old: str = "",
    new: str = "",
) -> None:
    session.add(
        AuditEvent(
            entity=ENTITY,
            entity_id=point.id,
            actor_id=actor_id,
            at=now,
            action=action,
            from_value=old[:200],
            to_value=new[:200],
        )
    )


def latest_meeting(*, session: Session, overleg_id: int, now: datetime) -> Meeting | None:
    """The meeting that most recently took place: the one that hands out the action points."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.overleg_id == overleg_id,
            Meeting.starts_at <= now,
            Meeting.status != MeetingStatus.GEANNULEERD,
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def resolve_overleg(*, session: Session, word: str) -> Overleg:
    if not word:
        overleg = get_overleg(session=session, key=DEFAULT_OVERLEG)
    else:
        overleg = find_overleg(session=session, text=word)
    if overleg is None:
        raise ActionPointError(
            f"Ik ken geen overleg `{word[:40]}`. Zet de sleutel (bijvoorbeeld `ivb` of `kob`) vóór de @naam."
        )
    return overleg


def create_action_point(
    *,
    session: Session,
    actor_id: str,
    is_admin: bool,
    owner_id: str,
    text: str,
    due_date: date | None,
    now: datetime,
    overleg_word: str = "",
    meeting_id: int | None = None,
) -> ActionPoint:
    """Record an action point; the meeting defaults to the overleg's latest one that took place."""
    if not is_admin:
        raise ActionPointError("Alleen het secretariaat kan actiepunten vastleggen en toewijzen.")
    text = re.sub(r"\s+", " ", text.replace("\x00", "")).strip()
    if not text:
        raise ActionPointError(
            "Wat moet er gebeuren? Schrijf de actie achter de naam: "
            "`/ivb actie @Piet Notitie rondsturen voor 15 maart`."
        )
    if len(text) > MAX_TEXT:
        raise ActionPointError(
            f"Dat is wat lang voor een actiepunt (meer dan {MAX_TEXT} tekens). Maak het korter."
        )
    if not MENTION.fullmatch(f"<@{owner_id}>"):
        raise ActionPointError("Die persoon ken ik niet. Kies iemand uit Slack met @naam.")
    meeting: Meeting | None = None
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise ActionPointError("Die vergadering bestaat niet meer. Kies een andere.")
        overleg_id = meeting.overleg_id
    else:
        overleg_id = resolve_overleg(session=session, word=overleg_word).id
    if meeting is None:
        meeting = latest_meeting(session=session, overleg_id=overleg_id, now=now)
    point = ActionPoint(
        overleg_id=overleg_id,
        meeting_id=meeting.id if meeting is not None else None,
        text=text,
        owner_id=owner_id,
        due_date=due_date,
        status=ActionStatus.OPEN,
        created_by=actor_id,
        created_at=now,
    )
    session.add(point)
    session.flush()
    _audit(session, point, actor_id=actor_id, now=now, action="aangemaakt", new=f"eigenaar {owner_id}")
    session.flush()
    return point


def _load_for_change(*, session: Session, action_id: int, actor_id: str, is_admin: bool) -> ActionPoint:
    # Row lock (PostgreSQL): two clicks at once serialise, and the second sees "al afgerond".
    stmt = select(ActionPoint).where(ActionPoint.id == action_id).with_for_update(of=ActionPoint)
    point = session.scalar(stmt)
    if point is None:
        raise ActionPointError("Dat actiepunt bestaat niet (meer). Kijk met `/ivb open` wat er openstaat.")
    if not (is_admin or point.owner_id == actor_id):
        raise ActionPointError("Alleen de eigenaar van dit actiepunt of het secretariaat kan het aanpassen.")
    return point


def complete_action_point(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, now: datetime
) -> ActionPoint:
    point = _load_for_change(session=session, action_id=action_id, actor_id=actor_id, is_admin=is_admin)
    if point.status == ActionStatus.AFGEROND:
        raise ActionPointError("Dit actiepunt was al afgerond; er is niets veranderd.")
    point.status = ActionStatus.AFGEROND
    point.completed_at = now
    point.completed_by = actor_id
    _audit(session, point, actor_id=actor_id, now=now, action="afgerond", old="open", new="afgerond")
    session.flush()
    return point


def reopen_action_point(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, now: datetime
) -> ActionPoint:
    point = _load_for_change(session=session, action_id=action_id, actor_id=actor_id, is_admin=is_admin)
    if point.status == ActionStatus.OPEN:
        raise ActionPointError("Dit actiepunt staat al open; er is niets veranderd.")
    point.status = ActionStatus.OPEN
    point.completed_at = None
    point.completed_by = None
    _audit(session, point, actor_id=actor_id, now=now, action="heropend", old="afgerond", new="open")
    session.flush()
    return point


def change_due_date(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, due_date: date | None, now: datetime
) -> ActionPoint:
    point = _load_for_change(session=session, action_id=action_id, actor_id=actor_id, is_admin=is_admin)
    old = point.due_date.isoformat() if point.due_date else ""
    new = due_date.isoformat() if due_date else ""
    if old == new:
        return point
    point.due_date = due_date
    _audit(session, point, actor_id=actor_id, now=now, action="deadline", old=old, new=new)
    session.flush()
    return point


def audit_trail(*, session: Session, action_id: int, limit: int = 50) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == action_id)
        .order_by(AuditEvent.at, AuditEvent.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def meeting_choices(*, session: Session, now: datetime, past: int = 15, coming: int = 10) -> list[Meeting]:
    """Meetings to pin an action point to: the latest ones held (newest first), then the coming ones."""
    held = select(Meeting).where(Meeting.starts_at <= now).order_by(Meeting.starts_at.desc()).limit(past)
    ahead = select(Meeting).where(Meeting.starts_at > now).order_by(Meeting.starts_at).limit(coming)
    return [*session.scalars(held), *session.scalars(ahead)]
