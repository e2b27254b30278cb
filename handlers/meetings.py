"""`/ivb volgende` and `/ivb kalender`: the most asked answers, kept until a write or the clock moves;
the calendar's "Meer" button, which replaces the list in place."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.kit import Reply, build_refused
from bot.blocks.meetings import build_calendar, build_next_meeting, parse_calendar_more
from bot.runtime.answer_cache import Computed
from bot.runtime.deps import Deps
from bot.services import meetings, overleggen
from bot.services.deadlines import agenda_deadline
from bot.services.errors import Refused
from bot.text.dutch import normalise
from handlers.command import Command
from handlers.payload import action_value, in_place, user_of


def next_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    return datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)


def next_meeting(deps: Deps, command: Command) -> Reply:
    """`/ivb volgende [overleg]`: date, place, agenda deadline and proposals so far."""
    settings = deps.settings
    now = deps.clock.now()

    def compute(session: Session) -> Computed[Reply]:
        overleg = overleggen.read_overleg(session=session, text=command.text)
        info = meetings.read_next_meeting(session=session, overleg=overleg, now=now, tz=settings.tz)
        reply = build_next_meeting(info, tz=settings.tz, admins=settings.admin_user_ids, now=now)
        # "uiterlijk morgen 13:30" counts in days: right until local midnight at the latest.
        moments = [next_midnight(now, settings.tz), meetings.next_meeting_valid_until(info, now=now)]
        return Computed(reply, min(m for m in moments if m is not None))

    key = ("volgende", normalise(command.text), settings.bot_timezone, settings.admin_user_ids)
    return deps.answers.read_through(deps.reads, key, now, compute)


def calendar_page(
    session: Session, deps: Deps, *, scope: str, now: datetime, start: datetime | None = None, offset: int = 0
) -> tuple[Reply, datetime | None]:
    """One page of the calendar of `scope` (an overleg, or "" for all) and until when it is right:
    the first shown meeting starts, or a shown deadline passes."""
    overleg = overleggen.read_overleg(session=session, text=scope) if scope.strip() else None
    tz = deps.settings.tz
    page = meetings.read_calendar_page(
        session=session, now=now, tz=tz, overleg=overleg, start=start, offset=offset
    )
    # The eight weeks start today: right until local midnight at the latest.
    moments = [next_midnight(now, tz), *[m.starts_at for m in page.meetings[:1]]]
    # Deadline rules differ per overleg: the first deadline to pass need not be the first meeting's.
    moments += [
        deadline for m in page.meetings if m.takes_proposals and (deadline := agenda_deadline(m, tz=tz)) > now
    ]
    return build_calendar(page, tz=tz, now=now), min(moments)


def calendar(deps: Deps, command: Command) -> Reply:
    """`/ivb kalender [overleg]`: the meetings of the next eight weeks."""
    now = deps.clock.now()

    def compute(session: Session) -> Computed[Reply]:
        reply, valid_until = calendar_page(session, deps, scope=command.text, now=now)
        return Computed(reply, valid_until)

    key = ("kalender", normalise(command.text), deps.settings.bot_timezone)
    return deps.answers.read_through(deps.reads, key, now, compute)


def calendar_more(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """The calendar's "Meer": the next meetings, in place of the list that was shown."""
    ack()
    user_id = user_of(body)
    scope, start, offset = parse_calendar_more(action_value(body))
    try:
        with deps.reads() as session:
            reply, _ = calendar_page(
                session, deps, scope=scope, now=deps.clock.now(), start=start, offset=offset
            )
    except Refused as exc:
        reply = build_refused(exc)
    deps.followups.now(in_place(body, user_id, reply))


def register(app: App, deps: Deps) -> None:
    app.action(ids.CALENDAR_MORE)(partial(calendar_more, deps))
