"""Scheduled jobs: plain functions of (deps, client, now), wired to triggers by bot/schedule/scheduler.py.

Every post goes through `slots.post_once`, so the database decides who posts a slot, however many
processes run these jobs and however often they restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.action_points import build_action_due_dm
from bot.blocks.digest import build_deadline_reminder, build_digest_message, build_meeting_reminder
from bot.blocks.kit import Reply
from bot.blocks.minutes import build_minutes_dm
from bot.runtime.deps import Deps
from bot.runtime.outbox import forget_done
from bot.schedule.claims import PostOutcome, post_once, skip_once
from bot.schedule.slots import Schedule, Slot, schedule_from
from bot.services.action_reminders import ACTION_OVERDUE, due_action_dms
from bot.services.deliveries import forget_old_deliveries
from bot.services.digest import Digest, build_digest, wall_shift
from bot.services.minutes import due_minutes
from bot.services.reminders import DEADLINE_REMINDER, DueReminder, due_reminders

logger = logging.getLogger(__name__)

DIGEST = "digest"
MINUTES_DM = "besluitenlijst"


def stale_after(deps: Deps) -> timedelta:
    return timedelta(minutes=deps.settings.slot_claim_timeout_minutes)


def post_slot(
    deps: Deps,
    client: WebClient,
    now: datetime,
    *,
    kind: str,
    slot_key: str,
    channel: str,
    build: Callable[[], Reply],
    direct: bool = False,
) -> PostOutcome:
    """`post_once` with this process's database, claim timeout and client."""
    return post_once(
        sessions=deps.sessions,
        kind=kind,
        slot_key=slot_key,
        channel=channel,
        now=now,
        stale_after=stale_after(deps),
        client=client,
        build=build,
        direct=direct,
    )


def grace(deps: Deps) -> timedelta:
    return timedelta(hours=deps.settings.digest_grace_hours)


def digest_of(deps: Deps, slot: Slot) -> Digest:
    """The digest of one slot: the coming weeks, and the proposals since the previous slot."""
    schedule = schedule_from(deps.settings)
    with deps.reads() as session:
        return digest_for_slot(session, schedule, slot, weeks_ahead=deps.settings.digest_weeks_ahead)


def digest_for_slot(session: Session, schedule: Schedule, slot: Slot, *, weeks_ahead: int) -> Digest:
    at = slot.at or slot.nominal
    previous = schedule.previous_slot(slot)
    since = (
        (previous.at or previous.nominal)
        if previous
        else wall_shift(at, -schedule.interval_days, schedule.tz)
    )
    return build_digest(
        session=session,
        at=at,
        since=since,
        tz=schedule.tz,
        weeks_ahead=weeks_ahead,
    )


def digest_reply(deps: Deps, slot: Slot) -> Reply:
    return build_digest_message(digest_of(deps, slot), tz=deps.settings.tz)


def post_digest(deps: Deps, client: WebClient, slot: Slot, now: datetime) -> PostOutcome:
    """Post the digest of `slot` once (claim, post, complete); the content is built after the claim."""
    channel = deps.settings.digest_channel
    if not channel:
        raise ValueError("DIGEST_CHANNEL is not set")
    return post_slot(
        deps,
        client,
        now,
        kind=DIGEST,
        slot_key=slot.key,
        channel=channel,
        build=lambda: digest_reply(deps, slot),
    )


def digest_job(deps: Deps, client: WebClient, now: datetime) -> PostOutcome | None:
    """Post the latest due digest slot if it is younger than the grace; an older missed one is skipped.

    Runs at every slot (CalendarIntervalTrigger), at start-up (catch-up) and every poll (retries a
    failed or crashed post, and picks up a slot shifted past a holiday).
    """
    channel = deps.settings.digest_channel
    if not channel:
        return None
    slot = schedule_from(deps.settings).due_slot(now)
    if slot is None or slot.at is None:
        return None
    age = now - slot.at
    if age > grace(deps):
        if skip_once(
            sessions=deps.sessions,
            kind=DIGEST,
            slot_key=slot.key,
            channel=channel,
            now=now,
            stale_after=stale_after(deps),
        ):
            logger.warning(
                "digest slot %s was missed (%.1f hours ago, grace %s hours): skipped, not posted late",
                slot.key,
                age.total_seconds() / 3600,
                deps.settings.digest_grace_hours,
            )
        return None
    return post_digest(deps, client, slot, now)


def _reminder_reply(deps: Deps, reminder: DueReminder, now: datetime) -> Reply:
    tz = deps.settings.tz
    if reminder.kind == DEADLINE_REMINDER:
        assert reminder.deadline is not None
        return build_deadline_reminder(reminder.meeting, deadline=reminder.deadline, tz=tz, now=now)
    return build_meeting_reminder(reminder.meeting, tz=tz)


def reminders_job(deps: Deps, client: WebClient, now: datetime) -> list[PostOutcome]:
    """Post every due reminder once, to its overleg's channel."""
    settings = deps.settings
    with deps.sessions.begin() as session:
        due = due_reminders(
            session=session,
            now=now,
            tz=settings.tz,
            days_before=settings.reminder_days_before_deadline,
            at_time=settings.reminder_time,
            grace=grace(deps),
        )
        replies = [(reminder, _reminder_reply(deps, reminder, now)) for reminder in due]
    outcomes = []
    for reminder, reply in replies:
        outcomes.append(
            post_slot(
                deps,
                client,
                now,
                kind=reminder.kind,
                slot_key=reminder.slot_key,
                channel=reminder.channel,
                build=_given(reply),
            )
        )
    return outcomes


def _given(reply: Reply) -> Callable[[], Reply]:
    return lambda: reply


def minutes_job(deps: Deps, client: WebClient, now: datetime) -> list[PostOutcome]:
    """The morning after a meeting, each admin gets "Besluitenlijst invullen": once per meeting and
    admin however many replicas run (a claim per meeting and admin, as the digest's)."""
    settings = deps.settings
    with deps.reads() as session:
        due = due_minutes(
            session=session,
            now=now,
            tz=settings.tz,
            at_time=settings.minutes_dm_time,
            days=settings.minutes_dm_days,
        )
    outcomes = []
    for item in due:
        reply = build_minutes_dm(item.meeting, pending=item.pending, tz=settings.tz)
        for admin in settings.admin_user_ids:
            outcomes.append(
                post_slot(
                    deps,
                    client,
                    now,
                    kind=MINUTES_DM,
                    slot_key=str(item.meeting.id),
                    channel=admin,
                    build=_given(reply),
                    direct=True,
                )
            )
    return outcomes


def action_dms_job(deps: Deps, client: WebClient, now: datetime) -> list[PostOutcome]:
    """Each action point's owner gets a DM the day before its due date and once when it is overdue:
    once per action point, kind and due date however many replicas run (a claim each, as the digest's)."""
    settings = deps.settings
    with deps.reads() as session:
        due = due_action_dms(session=session, now=now, tz=settings.tz, at_time=settings.reminder_time)
    today = now.astimezone(settings.tz).date()
    outcomes = []
    for dm in due:
        reply = build_action_due_dm(dm.item, today=today, overdue=dm.kind == ACTION_OVERDUE)
        outcomes.append(
            post_slot(
                deps,
                client,
                now,
                kind=dm.kind,
                slot_key=dm.slot_key,
                channel=dm.owner_id,
                build=_given(reply),
                direct=True,
            )
        )
    return outcomes


def scheduled_digest_job(deps: Deps, client: WebClient, now: datetime) -> None:
    """The digest trigger's job: like `digest_job`, but a failure (database down) is logged, not raised."""
    try:
        digest_job(deps, client, now)
    except Exception:
        logger.exception("digest job failed; the next poll tries again")


def due_posts_job(deps: Deps, client: WebClient, now: datetime) -> None:
    """The periodic job and the start-up catch-up: the due digest, the due reminders, the morning-after
    besluitenlijst DMs, the action points' DMs to their owners, then the ids of Slack deliveries too old
    to be retried are forgotten.

    A failure is logged and the job returns, so the scheduler (and the bot) keep running.
    """
    try:
        digest_job(deps, client, now)
    except Exception:
        logger.exception("digest job failed")
    try:
        reminders_job(deps, client, now)
    except Exception:
        logger.exception("reminders job failed")
    try:
        minutes_job(deps, client, now)
    except Exception:
        logger.exception("besluitenlijst job failed")
    try:
        action_dms_job(deps, client, now)
    except Exception:
        logger.exception("action point DM job failed")
    try:
        with deps.sessions.begin() as session:
            forget_old_deliveries(session=session, now=now)
        forget_done(deps, now=now)
    except Exception:
        logger.exception("pruning handled deliveries and the outbox failed")
