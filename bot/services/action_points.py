"""Action points (actiepunten): create, close, reopen, move the due date. Every change is audited.

Who may do what is decided here, on the server, from plain values: the secretariaat (admins)
creates and assigns; the owner or an admin closes, reopens and moves the due date.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.services import audit
from bot.services.errors import NotAllowed, Refused
from bot.services.open_items import ActionItem, action_item
from bot.services.overleggen import resolve_overleg
from bot.text.slack import is_user_id
from storage.models import ActionPoint, ActionStatus
from storage.queries import action_points as queries
from storage.queries import meetings as meeting_queries
from storage.queries.rows import MeetingRow

MAX_TEXT = 1000
EXAMPLE = "`/ivb actie @Piet Notitie rondsturen voor 15 maart`"


def _record(
    session: Session,
    point: ActionPoint,
    *,
    actor_id: str,
    now: datetime,
    action: str,
    old: str = "",
    new: str = "",
) -> None:
    audit.record(
        session=session,
        entity=audit.ACTION_POINT,
        entity_id=point.id,
        actor_id=actor_id,
        at=now,
        action=action,
        from_value=old,
        to_value=new,
    )


def _check_text(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\x00", "")).strip()
    if not text:
        raise Refused(f"Wat moet er gebeuren? Schrijf de actie achter de naam: {EXAMPLE}.", field="tekst")
    if len(text) > MAX_TEXT:
        raise Refused(
            f"Dat is wat lang voor een actiepunt (meer dan {MAX_TEXT} tekens). Maak het korter.",
            field="tekst",
        )
    return text


def _meeting_for(
    session: Session, *, overleg_word: str, meeting_id: int | None, now: datetime
) -> tuple[int, MeetingRow | None]:
    """(overleg id, meeting): the chosen meeting, else the overleg's latest one that took place."""
    if meeting_id is not None:
        chosen = meeting_queries.meeting(session=session, meeting_id=meeting_id)
        if chosen is None:
            raise Refused("Die vergadering bestaat niet meer. Kies een andere.", field="vergadering")
        return chosen.overleg.id, chosen
    try:
        overleg = resolve_overleg(meeting_queries.overleggen(session=session), overleg_word)
    except Refused as exc:
        raise Refused(
            exc.message + " Zet de sleutel (bijvoorbeeld `ivb` of `kob`) vóór de @naam.", field="overleg"
        ) from None
    return overleg.id, meeting_queries.latest_held(session=session, overleg_id=overleg.id, now=now)


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
    proposal_id: int | None = None,
) -> ActionItem:
    """Record an action point; the meeting defaults to the overleg's latest one that took place.

    `proposal_id` links it to the agenda item it stems from (the besluitenlijst).
    """
    if not is_admin:
        raise NotAllowed("Alleen het secretariaat kan actiepunten vastleggen en toewijzen.")
    clean_text = _check_text(text)
    if not is_user_id(owner_id):
        raise Refused("Die persoon ken ik niet. Kies iemand uit Slack met @naam.", field="eigenaar")
    overleg_id, meeting = _meeting_for(session, overleg_word=overleg_word, meeting_id=meeting_id, now=now)
    point = ActionPoint(
        overleg_id=overleg_id,
        meeting_id=meeting.id if meeting is not None else None,
        text=clean_text,
        owner_id=owner_id,
        due_date=due_date,
        status=ActionStatus.OPEN,
        created_by=actor_id,
        created_at=now,
        proposal_id=proposal_id,
    )
    session.add(point)
    session.flush()
    _record(session, point, actor_id=actor_id, now=now, action="aangemaakt", new=f"eigenaar {owner_id}")
    session.flush()
    return action_item(point)


def _load_for_change(*, session: Session, action_id: int, actor_id: str, is_admin: bool) -> ActionPoint:
    point = queries.for_update(session=session, action_id=action_id)
    if point is None:
        raise NotAllowed("Dat actiepunt bestaat niet (meer). Kijk met `/ivb open` wat er openstaat.")
    if not (is_admin or point.owner_id == actor_id):
        raise NotAllowed("Alleen de eigenaar van dit actiepunt of het secretariaat kan het aanpassen.")
    return point


def complete_action_point(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, now: datetime
) -> ActionItem:
    return _set_done(session, action_id, actor_id=actor_id, is_admin=is_admin, now=now, done=True)


def reopen_action_point(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, now: datetime
) -> ActionItem:
    return _set_done(session, action_id, actor_id=actor_id, is_admin=is_admin, now=now, done=False)


def _set_done(
    session: Session, action_id: int, *, actor_id: str, is_admin: bool, now: datetime, done: bool
) -> ActionItem:
    """Afgerond (done) or heropend; a click that changes nothing says so."""
    point = _load_for_change(session=session, action_id=action_id, actor_id=actor_id, is_admin=is_admin)
    wanted = ActionStatus.AFGEROND if done else ActionStatus.OPEN
    if point.status == wanted:
        already = "was al afgerond" if done else "staat al open"
        raise NotAllowed(f"Dit actiepunt {already}; er is niets veranderd.")
    old = point.status
    point.status = wanted
    point.completed_at = now if done else None
    point.completed_by = actor_id if done else None
    action = "afgerond" if done else "heropend"
    _record(session, point, actor_id=actor_id, now=now, action=action, old=old.value, new=wanted.value)
    session.flush()
    return action_item(point)


def change_due_date(
    *, session: Session, action_id: int, actor_id: str, is_admin: bool, due_date: date | None, now: datetime
) -> ActionItem:
    point = _load_for_change(session=session, action_id=action_id, actor_id=actor_id, is_admin=is_admin)
    old = point.due_date.isoformat() if point.due_date else ""
    new = due_date.isoformat() if due_date else ""
    if old != new:
        point.due_date = due_date
        _record(session, point, actor_id=actor_id, now=now, action="deadline", old=old, new=new)
        session.flush()
    return action_item(point)


def meeting_choices(*, session: Session, now: datetime) -> list[MeetingRow]:
    """Meetings to pin an action point to: the latest 15 held (newest first), then the next 10."""
    return meeting_queries.around(session=session, now=now, past=15, coming=10)
