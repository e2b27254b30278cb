"""Personal follow-up of action points: which owners get a DM now.

An owner gets a DM the day before an action point's due date and once when it is overdue, at
REMINDER_TIME. The digest in the channel names nobody; this is where the owner hears. Sending each
exactly once, however many replicas run, is the job's work (a `post_slot` claim per action point, kind
and due date: bot/schedule/jobs.py); a moved due date is a new key, so the new date gets its own DM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.open_items import ActionItem, action_item
from storage.queries import action_points as queries

ACTION_DUE_TOMORROW = "actiepunt_morgen"
ACTION_OVERDUE = "actiepunt_te_laat"
# An overdue DM that could not go on its first morning (the bot was down) still goes within this many days.
OVERDUE_CATCH_UP_DAYS = 7
# At most this many DMs a run: the rest follow on the next poll (those sent are passed over first).
BATCH = 200


@dataclass(frozen=True)
class ActionDm:
    kind: str  # ACTION_DUE_TOMORROW or ACTION_OVERDUE
    slot_key: str  # action point id and due date: a moved due date gets a DM of its own
    owner_id: str
    item: ActionItem


def due_action_dms(*, session: Session, now: datetime, tz: ZoneInfo, at_time: time) -> list[ActionDm]:
    """The DMs whose moment has come: from `at_time` on the day before the due date (that day only), and
    from `at_time` on the first day after it (for a few days, should the bot have been down)."""
    local = now.astimezone(tz)
    today = local.date()
    # The last morning whose `at_time` has passed.
    morning = today if local.time() >= at_time else today - timedelta(days=1)
    first = morning - timedelta(days=OVERDUE_CATCH_UP_DAYS)
    last = morning + timedelta(days=1) if morning == today else morning - timedelta(days=1)
    found: list[ActionDm] = []
    for point in queries.open_due_between(session=session, first=first, last=last):
        due: date | None = point.due_date
        assert due is not None
        kind = ACTION_DUE_TOMORROW if due > morning else ACTION_OVERDUE
        if kind == ACTION_OVERDUE and due >= morning:
            continue  # due today: it is not late yet
        found.append(ActionDm(kind, f"{point.id}:{due.isoformat()}", point.owner_id, action_item(point)))
    sent = queries.settled_posts(
        session=session, kinds=(ACTION_DUE_TOMORROW, ACTION_OVERDUE), slot_keys=[dm.slot_key for dm in found]
    )
    return [dm for dm in found if (dm.kind, dm.slot_key) not in sent][:BATCH]
