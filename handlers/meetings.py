"""`/ivb volgende` and `/ivb kalender`: the most asked answers, kept until a write or the clock moves."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.blocks.kit import Reply
from bot.blocks.meetings import build_calendar, build_next_meeting
from bot.runtime.answer_cache import Computed
from bot.runtime.deps import Deps
from bot.services import meetings, overleggen
from bot.text.dutch import normalise
from handlers.command import Command

CALENDAR_LIMIT = 25


def next_meeting(deps: Deps, command: Command) -> Reply:
    """`/ivb volgende [overleg]`: date, place, agenda deadline and proposals so far."""
    settings = deps.settings
    now = deps.clock.now()

    def compute(session: Session) -> Computed[Reply]:
        overleg = overleggen.read_overleg(session=session, text=command.text)
        info = meetings.read_next_meeting(session=session, overleg=overleg, now=now, tz=settings.tz)
        reply = build_next_meeting(info, tz=settings.tz, admins=settings.admin_user_ids)
        return Computed(reply, meetings.next_meeting_valid_until(info, now=now))

    key = ("volgende", normalise(command.text), settings.bot_timezone, settings.admin_user_ids)
    return deps.answers.read_through(deps.reads, key, now, compute)


def calendar(deps: Deps, _command: Command) -> Reply:
    """`/ivb kalender`: the coming meetings of all overleggen."""
    now = deps.clock.now()
    limit = CALENDAR_LIMIT

    def compute(session: Session) -> Computed[Reply]:
        upcoming = meetings.read_upcoming(session=session, now=now, limit=limit)
        reply = build_calendar(upcoming.meetings, tz=deps.settings.tz, total=upcoming.total)
        # Right until the first meeting shown starts (then the list and the count move on).
        return Computed(reply, upcoming.meetings[0].starts_at if upcoming.meetings else None)

    return deps.answers.read_through(
        deps.reads, ("kalender", limit, deps.settings.bot_timezone), now, compute
    )
