"""Wiring only: APScheduler 3 triggers for the jobs in bot/schedule/jobs.py.

The job store is in memory and per process: APScheduler's own FAQ warns that sharing one between
processes breaks, and it does not need to be shared, because the database (PostSlot) decides who
posts. Each replica runs the same triggers; the claim makes every slot post once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.runtime.deps import Deps
from bot.schedule.calendar_sync import scheduled_calendar_sync
from bot.schedule.jobs import due_posts_job, scheduled_digest_job
from bot.schedule.slots import schedule_from

logger = logging.getLogger(__name__)


def digest_trigger(deps: Deps) -> CalendarIntervalTrigger:
    """Every DIGEST_INTERVAL_DAYS days from DIGEST_START at its wall-clock time in BOT_TIMEZONE.

    CalendarIntervalTrigger keeps the wall-clock time across DST (IntervalTrigger does not), and
    counts from the start date (cron's week='*/2' follows ISO week numbers instead).
    """
    settings = deps.settings
    schedule = schedule_from(settings)
    # Start at the next slot (same alignment): APScheduler then neither walks years of past slots nor
    # warns about a missed run at every start. A slot just missed is the catch-up's business.
    now = deps.clock.now()
    index = max(schedule.index_at_or_before(now), 0)
    if schedule.nominal(index) < now:
        index += 1
    wall = schedule.wall_time
    return CalendarIntervalTrigger(
        days=settings.digest_interval_days,
        hour=wall.hour,
        minute=wall.minute,
        second=wall.second,
        start_date=schedule.nominal(index).date(),
        timezone=settings.tz,
    )


def build_scheduler(deps: Deps, client: WebClient) -> BackgroundScheduler:
    """A scheduler with the digest trigger and the periodic due-posts job (not started)."""
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone=deps.settings.tz,
    )
    scheduler.add_job(
        lambda: scheduled_digest_job(deps, client, deps.clock.now()),
        digest_trigger(deps),
        id="digest",
        name="digest",
    )
    poll = timedelta(seconds=deps.settings.scheduler_poll_seconds)
    scheduler.add_job(
        lambda: due_posts_job(deps, client, deps.clock.now()),
        IntervalTrigger(seconds=poll.total_seconds(), timezone=deps.settings.tz),
        id="due_posts",
        name="reminders, retries and shifted slots",
    )
    if deps.settings.calendar_sources:
        # Every replica runs it; the claim per interval and source makes one of them sync.
        scheduler.add_job(
            lambda: scheduled_calendar_sync(deps, deps.clock.now()),
            IntervalTrigger(minutes=deps.settings.calendar_sync_minutes, timezone=deps.settings.tz),
            id="calendar_sync",
            name="calendar sync",
            next_run_time=deps.clock.now(),
        )
    # Start-up catch-up: a slot missed while the bot was down, if it is within the grace.
    scheduler.add_job(
        lambda: catch_up(deps, client),
        DateTrigger(run_date=deps.clock.now(), timezone=deps.settings.tz),
        id="catch_up",
        name="start-up catch-up",
        misfire_grace_time=None,
    )
    return scheduler


def add_outbox_poll(scheduler: BackgroundScheduler, deps: Deps) -> None:
    """Every few seconds: messages left by a process that died, and retries whose time has come."""
    scheduler.add_job(
        deps.followups.deliver_due,
        IntervalTrigger(seconds=deps.settings.outbox_poll_seconds, timezone=deps.settings.tz),
        id="outbox",
        name="outbox retries and takeovers",
    )


def catch_up(deps: Deps, client: WebClient) -> None:
    due_posts_job(deps, client, deps.clock.now())
    logger.info("start-up catch-up done")


def start_scheduler(deps: Deps, client: WebClient) -> BackgroundScheduler:
    # APScheduler logs every run at INFO ("Running job …" each poll): noise; its warnings stay.
    logging.getLogger("apscheduler.executors").setLevel(max(logging.WARNING, logging.getLogger().level))
    logging.getLogger("apscheduler.scheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
    scheduler = build_scheduler(deps, client)
    scheduler.start()
    logger.info(
        "scheduler started: digest every %s days at %s to %s; reminders every %ss",
        deps.settings.digest_interval_days,
        deps.settings.digest_start.strftime("%H:%M"),
        deps.settings.digest_channel or "(no DIGEST_CHANNEL)",
        int(deps.settings.scheduler_poll_seconds),
    )
    return scheduler


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Wait for a running job to finish, so no claim is left behind."""
    if scheduler.running:
        scheduler.shutdown(wait=True)
    logger.info("scheduler stopped")
