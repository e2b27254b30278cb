"""`/ivb open [mijn] [overleg]` and its "Meer" buttons, which replace the list in place."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.action_points import Viewer
from bot.blocks.kit import Reply, build_refused
from bot.blocks.open_items import build_open_items, parse_more_value
from bot.runtime.answer_cache import Computed
from bot.runtime.deps import Deps
from bot.services.errors import Refused
from bot.services.open_items import OpenFilter, open_page
from bot.services.overleggen import read_overleg
from handlers.command import Command
from handlers.payload import action_value, in_place, user_of

MINE_WORDS = {"mijn", "mine", "my", "me", "ik"}


def _reply(
    session: Session,
    deps: Deps,
    *,
    user_id: str,
    scope: str,
    now: datetime,
    proposal_offset: int = 0,
    action_offset: int = 0,
) -> Reply:
    """One page of open items for `scope`: "" (all), "mijn", an overleg, or "mijn <overleg>"."""
    words = scope.split()
    mine = bool(words) and words[0].lower() in MINE_WORDS
    overleg_word = " ".join(words[1:] if mine else words)
    overleg = read_overleg(session=session, text=overleg_word) if overleg_word else None
    is_admin = deps.settings.is_admin(user_id)
    flt = OpenFilter(
        user_id=user_id if mine else None,
        overleg_id=overleg.id if overleg else None,
        viewer_id=None if is_admin else user_id,  # others' confidential items only for the secretariaat
    )
    label = ", ".join(part for part in ("van jou" if mine else "", overleg.name if overleg else "") if part)
    tz = deps.settings.tz
    viewer = Viewer(user_id=user_id, is_admin=is_admin)
    page = open_page(
        session=session,
        flt=flt,
        viewer_id=user_id,
        now=now,
        tz=tz,
        proposal_offset=proposal_offset,
        action_offset=action_offset,
    )
    today = now.astimezone(tz).date()
    return build_open_items(
        page, viewer=viewer, scope=scope, scope_label=label, mine=mine, today=today, tz=tz
    )


def open_items(deps: Deps, command: Command) -> Reply:
    """The first page, kept until a write or local midnight (ages and "te laat" count in days)."""
    now = deps.clock.now()
    tz = deps.settings.tz
    midnight = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)

    def compute(session: Session) -> Computed[Reply]:
        # Proposals move from "coming" to "geweest" when their meeting starts; midnight is close enough.
        reply = _reply(session, deps, user_id=command.user_id, scope=command.text, now=now)
        return Computed(reply, midnight)

    is_admin = deps.settings.is_admin(command.user_id)
    key = ("open", command.user_id, command.text, is_admin, deps.settings.bot_timezone)
    return deps.answers.read_through(deps.reads, key, now, compute)


def more(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """ "Meer voorstellen" / "Meer actiepunten": the list with that one moved on, in place of the old one."""
    ack()
    user_id = user_of(body)
    proposal_offset, action_offset, scope = parse_more_value(action_value(body))
    try:
        with deps.reads() as session:
            reply = _reply(
                session,
                deps,
                user_id=user_id,
                scope=scope,
                now=deps.clock.now(),
                proposal_offset=proposal_offset,
                action_offset=action_offset,
            )
    except Refused as exc:
        reply = build_refused(exc)
    deps.followups.now(in_place(body, user_id, reply))


def register(app: App, deps: Deps) -> None:
    app.action(ids.OPEN_MORE)(partial(more, deps))
    app.action(ids.OPEN_MORE_ACTIONS)(partial(more, deps))
