"""`/ivb open [mijn] [overleg]` and its "Meer" button."""

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
from bot.runtime.followups import DirectMessage, Ephemeral
from bot.services.errors import Refused
from bot.services.open_items import OpenFilter, open_page
from bot.services.overleggen import read_overleg
from handlers.command import Command
from handlers.payload import user_of

MINE_WORDS = {"mijn", "mine", "my", "me", "ik"}


def _reply(session: Session, deps: Deps, *, user_id: str, scope: str, offset: int, now: datetime) -> Reply:
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
    label = ", ".join(
        part for part in ("mijn punten" if mine else "", overleg.name if overleg else "") if part
    )
    tz = deps.settings.tz
    viewer = Viewer(user_id=user_id, is_admin=is_admin)
    page = open_page(session=session, flt=flt, offset=offset)
    return build_open_items(
        page, viewer=viewer, scope=scope, scope_label=label, today=now.astimezone(tz).date(), tz=tz
    )


def open_items(deps: Deps, command: Command) -> Reply:
    """The first page, kept until a write or local midnight (ages and "te laat" count in days)."""
    now = deps.clock.now()
    tz = deps.settings.tz
    midnight = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)

    def compute(session: Session) -> Computed[Reply]:
        reply = _reply(session, deps, user_id=command.user_id, scope=command.text, offset=0, now=now)
        return Computed(reply, midnight)

    is_admin = deps.settings.is_admin(command.user_id)
    key = ("open", command.user_id, command.text, is_admin, deps.settings.bot_timezone)
    return deps.answers.read_through(deps.reads, key, now, compute)


def more(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """ "Meer": the next page, shown to the one who clicked."""
    ack()
    user_id = user_of(body)
    offset, scope = parse_more_value(str(((body.get("actions") or [{}])[0]).get("value", "")))
    try:
        with deps.reads() as session:
            reply = _reply(session, deps, user_id=user_id, scope=scope, offset=offset, now=deps.clock.now())
    except Refused as exc:
        reply = build_refused(exc)
    channel = str((body.get("channel") or {}).get("id", ""))
    deps.followups.now(Ephemeral(channel, user_id, reply) if channel else DirectMessage(user_id, reply))


def register(app: App, deps: Deps) -> None:
    app.action(ids.OPEN_MORE)(partial(more, deps))
