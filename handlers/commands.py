"""`/ivb`: parse the text, call the service for the verb, answer in the acknowledgement."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import calendar, calendar_read, proposals
from bot.answer_cache import Computed, read_through
from bot.blocks import (
    Reply,
    build_calendar,
    build_error,
    build_help,
    build_next_meeting,
    build_unavailable,
    build_unknown_overleg,
)
from bot.blocks_proposals import build_agenda, build_created, build_proposal_error
from bot.commands import parse_command
from bot.deps import Deps
from bot.formatting import escape_mrkdwn, plain_text_from_slack
from bot.proposals import ValidationError
from handlers import followups
from handlers.actions import new_proposal_view

logger = logging.getLogger(__name__)

KALENDER_LIMIT = 25
# Verbs whose handlers add no follow-ups (only `voorstel` does); "" is help, "?" an unknown word.
QUICK_VERBS = frozenset({"volgende", "kalender", "open", "help", "", "?"})


@dataclass(frozen=True)
class CommandContext:
    """Plain values from a `/ivb` request, for the verb handlers."""

    deps: Deps
    user_id: str
    channel_id: str
    text: str  # what follows the verb
    trigger_id: str
    client: WebClient
    # Web API work for after the acknowledgement (handlers.followups), run by a lazy listener.
    followups: list[dict[str, Any]] = field(default_factory=list)


VerbHandler = Callable[[CommandContext], Reply | None]


def volgende(ctx: CommandContext) -> Reply:
    # The most asked question: the kept answer until a write or the clock changes it, else read-only
    # snapshots in two round trips (bot/answer_cache.py, bot/calendar_read.py).
    deps = ctx.deps
    settings = deps.settings
    now = deps.clock.now()

    def compute(session: Session) -> Computed[Reply]:
        overleggen = calendar_read.read_overleggen(session=session)
        overleg = calendar_read.match_overleg(overleggen, ctx.text or calendar.DEFAULT_OVERLEG)
        if overleg is None:
            return Computed(build_unknown_overleg(ctx.text, overleggen), keep=False)
        info = calendar_read.read_next_meeting(session=session, overleg=overleg, now=now, tz=settings.tz)
        reply = build_next_meeting(info, tz=settings.tz, admins=settings.admin_user_ids)
        return Computed(reply, calendar_read.next_meeting_valid_until(info, now=now))

    key = ("volgende", calendar.normalise(ctx.text), settings.bot_timezone, settings.admin_user_ids)
    return read_through(deps, key, now, compute)


def kalender(ctx: CommandContext) -> Reply:
    from handlers.feed import feed_subcommand  # noqa: PLC0415 - handlers.feed imports this module's types

    feed_reply = feed_subcommand(ctx)
    if feed_reply is not None:
        return feed_reply
    deps = ctx.deps
    now = deps.clock.now()

    def compute(session: Session) -> Computed[Reply]:
        meetings, total = calendar_read.read_upcoming(session=session, now=now, limit=KALENDER_LIMIT)
        reply = build_calendar(meetings, tz=deps.settings.tz, total=total)
        # Right until the first meeting shown starts (then the list and the count move on).
        return Computed(reply, meetings[0].starts_at if meetings else None)

    return read_through(deps, ("kalender", deps.settings.bot_timezone), now, compute)


def calendar_verbs() -> dict[str, VerbHandler]:
    return {"volgende": volgende, "kalender": kalender}


def help_reply(deps: Deps, unknown: str = "") -> Reply:
    with deps.sessions.begin() as session:
        return build_help(calendar.list_overleggen(session=session), unknown=unknown)


def answer(ctx: CommandContext, verb: str, word: str, verbs: dict[str, VerbHandler]) -> Reply | None:
    """Run one verb, turning failures into a Dutch answer; the log gets the traceback."""
    handler = verbs.get(verb)
    try:
        if handler is None:
            return help_reply(ctx.deps, unknown="" if verb in {"", "help"} else word)
        return handler(ctx)
    except SQLAlchemyError:
        logger.exception("database error in /ivb %s", verb)
        return build_unavailable()
    except Exception:
        logger.exception("error in /ivb %s", verb)
        return build_error()


def register(app: App, deps: Deps, verbs: dict[str, VerbHandler]) -> None:
    def ivb(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        parsed = parse_command(str(command.get("text", "")))
        ctx = CommandContext(
            deps=deps,
            user_id=str(command.get("user_id", "")),
            channel_id=str(command.get("channel_id", "")),
            text=parsed.rest,
            trigger_id=str(command.get("trigger_id", "")),
            client=client,
        )
        reply = answer(ctx, parsed.verb, parsed.word, verbs)
        followups.add(context, *ctx.followups)
        if reply is None:
            ack()
        else:
            ack(response_type="ephemeral", **reply.as_message())

    # Verbs that never leave Web API work for later get a listener without the lazy follow-up runner:
    # Bolt deep-copies every request a lazy listener gets and hands it to a thread even when there is
    # nothing to do, ~0.35 ms CPU per command and a fifth of the throughput (README "Performance").
    def quick(body: dict[str, Any]) -> bool:
        return parse_command(str(body.get("text", ""))).verb in QUICK_VERBS

    app.command("/ivb", matchers=[quick])(ivb)
    app.command("/ivb")(ack=ivb, lazy=[followups.runner(deps)])


def voorstel(ctx: CommandContext) -> Reply | None:
    """`/ivb voorstel [overleg:] <titel>` proposes at once; without text the form opens."""
    deps = ctx.deps
    if not ctx.text:
        ctx.followups.append(followups.open_view(ctx.trigger_id, new_proposal_view(deps)))
        return None
    overleg, title = split_overleg(ctx.text)
    title = plain_text_from_slack(title)  # /ivb has should_escape: Slack sends entities and <@U…|naam>
    tz = deps.settings.tz
    try:
        with deps.sessions.begin() as session:
            created = proposals.create_proposal(
                session=session,
                proposer_id=ctx.user_id,
                title=title,
                overleg=overleg,
                now=deps.clock.now(),
                tz=tz,
            )
            reply = build_created(created, tz=tz)
    except ValidationError as exc:
        message = exc.message
        if exc.field == "overleg":
            typed = escape_mrkdwn(ctx.text[:160]).replace("`", "'")
            message += f" Hoort de dubbele punt bij de titel? Schrijf dan `/ivb voorstel ivb: {typed}`."
        return build_proposal_error(message)
    ctx.followups.append(followups.review(created.proposal.id))
    return reply


def split_overleg(text: str) -> tuple[str | None, str]:
    """`kob: Titel` -> ("kob", "Titel"); a colon further on (`Titel: ondertitel`) is part of the title."""
    head, colon, rest = text.partition(":")
    if colon and head.strip() and len(head.split()) <= 4 and "\n" not in head:
        return head.strip(), rest.strip()
    return None, text.strip()


def agenda(ctx: CommandContext) -> Reply:
    deps = ctx.deps
    tz = deps.settings.tz
    with deps.sessions.begin() as session:
        overleggen = calendar.list_overleggen(session=session)
        overleg = calendar.find_overleg(session=session, text=ctx.text or calendar.DEFAULT_OVERLEG)
        if overleg is None:
            return build_unknown_overleg(ctx.text, overleggen)
        meetings = calendar.next_meetings(
            session=session, overleg_id=overleg.id, now=deps.clock.now(), limit=1
        )
        meeting = meetings[0] if meetings else None
        items = proposals.agenda_for_meeting(session=session, meeting_id=meeting.id) if meeting else []
        return build_agenda(overleg, meeting, items, tz=tz)


def proposal_verbs() -> dict[str, VerbHandler]:
    return {"voorstel": voorstel, "agenda": agenda}
