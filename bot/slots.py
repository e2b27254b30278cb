"""Digest slots and the exactly-once mechanism for every scheduled post.

Slot arithmetic: slot k is DIGEST_START's date plus k * DIGEST_INTERVAL_DAYS, at DIGEST_START's
wall-clock time in BOT_TIMEZONE (so 09:00 stays 09:00 across the summer-time switch). A slot that
falls on a Dutch public holiday is posted anyway, skipped, or shifted to the next working day. A
slot keeps its key (its nominal date) when it is shifted, so the shift cannot make it post twice.

Exactly once: the database decides, not the scheduler. A post first claims a PostSlot row (unique
per kind, slot and channel) in its own committed transaction; only the process whose INSERT
succeeded posts. It then completes the row with the message ts and permalink. A failed post
deletes its claim so a later attempt can post; a claim older than the claim timeout (its process
crashed) is taken over with a conditional UPDATE that only one process can win.
"""

from __future__ import annotations

import logging
import os
import socket
import time as _time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.settings import Settings
from storage.db import SessionFactory
from storage.models import PostSlot

logger = logging.getLogger(__name__)

CLAIMED = "claimed"
POSTED = "posted"
SKIPPED = "skipped"

# How many nominal slots to look back for one whose (shifted) moment has come: a shift moves a slot
# by a few days at most (Christmas plus a weekend), so with a one-day interval 10 is plenty.
_LOOKBACK = 10


# --- slot arithmetic ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One digest slot: `key` is its nominal date; `at` when it posts (None when a holiday skips it)."""

    key: str
    index: int
    nominal: datetime
    at: datetime | None

    @property
    def shifted(self) -> bool:
        return self.at is not None and self.at != self.nominal


@dataclass(frozen=True)
class Schedule:
    """The digest schedule as plain values (built from Settings by `schedule_from`)."""

    start: datetime  # naive wall-clock time of the first slot, in tz
    interval_days: int
    tz: ZoneInfo
    holiday_mode: str = "shift"  # post | skip | shift

    @property
    def wall_time(self) -> time:
        return self.start.time()

    def nominal(self, index: int) -> datetime:
        day = self.start.date() + timedelta(days=index * self.interval_days)
        # Wall-clock time in tz, whatever the offset that day: 09:00 in January and in July.
        return datetime.combine(day, self.wall_time, tzinfo=self.tz)

    def slot(self, index: int) -> Slot:
        nominal = self.nominal(index)
        return Slot(key=nominal.date().isoformat(), index=index, nominal=nominal, at=self._effective(nominal))

    def _effective(self, nominal: datetime) -> datetime | None:
        day = nominal.date()
        if self.holiday_mode == "post" or not is_holiday(day):
            return nominal
        if self.holiday_mode == "skip":
            return None
        while not is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.wall_time, tzinfo=self.tz)

    def index_at_or_before(self, moment: datetime) -> int:
        """The index of the last nominal slot at or before `moment` (-1 before the first)."""
        local = moment.astimezone(self.tz)
        days = (local.date() - self.start.date()).days
        index = days // self.interval_days
        if index >= 0 and self.nominal(index) > moment:
            index -= 1
        return max(index, -1)

    def due_slot(self, moment: datetime) -> Slot | None:
        """The latest slot whose moment has come at `moment` (skipped slots are not due)."""
        last = self.index_at_or_before(moment)
        best: Slot | None = None
        best_at: datetime | None = None
        for index in range(last, max(last - _LOOKBACK, -1), -1):
            slot = self.slot(index)
            if slot.at is not None and slot.at <= moment and (best_at is None or slot.at > best_at):
                best, best_at = slot, slot.at
        return best

    def next_slot(self, moment: datetime) -> Slot | None:
        """The first slot that posts after `moment`."""
        index = max(self.index_at_or_before(moment) - _LOOKBACK, 0)
        for candidate in range(index, index + 3 * _LOOKBACK + 400):
            slot = self.slot(candidate)
            if slot.at is not None and slot.at > moment:
                return slot
        return None

    def previous_slot(self, slot: Slot) -> Slot | None:
        """The slot posted before `slot` (holiday-skipped ones passed over)."""
        for index in range(slot.index - 1, max(slot.index - 1 - _LOOKBACK, -1), -1):
            earlier = self.slot(index)
            if earlier.at is not None:
                return earlier
        return None

    def slot_for_key(self, key: str) -> Slot | None:
        try:
            day = date.fromisoformat(key)
        except ValueError:
            return None
        days = (day - self.start.date()).days
        if days < 0 or days % self.interval_days:
            return None
        return self.slot(days // self.interval_days)


def schedule_from(settings: Settings) -> Schedule:
    return Schedule(
        start=settings.digest_start.replace(tzinfo=None, microsecond=0),
        interval_days=settings.digest_interval_days,
        tz=settings.tz,
        holiday_mode=settings.digest_holidays,
    )


@lru_cache(maxsize=64)
def _nl_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_holiday(day: date) -> bool:
    """A Dutch public holiday (Koningsdag, Tweede Kerstdag, …), from the maintained `holidays` package."""
    return day in _nl_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


# --- exactly once ------------------------------------------------------------------------------


def new_owner() -> str:
    """Who holds a claim: host, process and a fresh id per attempt (so a takeover is distinguishable)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim a slot."""

    status: str  # "claimed" (ours to post), "posted", "busy" (someone else is posting), "skipped"
    slot_id: int | None = None
    owner: str = ""
    permalink: str | None = None
    message_ts: str | None = None
    taken_over: bool = False


def claim(
    *,
    sessions: SessionFactory,
    kind: str,
    slot_key: str,
    channel: str,
    now: datetime,
    stale_after: timedelta,
    owner: str | None = None,
) -> Claim:
    """Claim (kind, slot_key, channel); each step is its own committed transaction.

    The INSERT is the first statement of its transaction, so on SQLite it waits for the write
    lock instead of failing a read-to-write upgrade, and on PostgreSQL a concurrent INSERT of the
    same key waits for the other transaction and then fails on the unique key.
    """
    owner = owner or new_owner()
    # A cheap read first: a slot that is done needs no INSERT (and no unique-violation in the server log).
    existing = _row(sessions, kind, slot_key, channel)
    if existing is not None and existing.status == POSTED:
        return Claim(
            status=POSTED, slot_id=existing.id, permalink=existing.permalink, message_ts=existing.message_ts
        )
    if existing is not None and existing.status == SKIPPED:
        return Claim(status=SKIPPED, slot_id=existing.id)
    values = {
        "kind": kind,
        "slot_key": slot_key,
        "channel": channel,
        "status": CLAIMED,
        "claimed_by": owner,
        "claimed_at": now,
    }
    try:
        with sessions.begin() as session:
            session.execute(insert(PostSlot).values(**values))
    except IntegrityError:
        pass
    else:
        return Claim(status=CLAIMED, slot_id=_slot_id(sessions, kind, slot_key, channel), owner=owner)
    # Someone has the row. Take it over only if their claim is stale; the WHERE makes it atomic.
    with sessions.begin() as session:
        result = session.execute(
            update(PostSlot)
            .where(
                PostSlot.kind == kind,
                PostSlot.slot_key == slot_key,
                PostSlot.channel == channel,
                PostSlot.status == CLAIMED,
                PostSlot.claimed_at < now - stale_after,
            )
            .values(claimed_by=owner, claimed_at=now)
        )
        taken = int(getattr(result, "rowcount", 0) or 0) == 1
    row = _row(sessions, kind, slot_key, channel)
    if taken and row is not None:
        logger.warning("took over a stale claim on %s %s (%s)", kind, slot_key, channel)
        return Claim(status=CLAIMED, slot_id=row.id, owner=owner, taken_over=True)
    if row is None:  # released between our INSERT and our look: try once more next time
        return Claim(status="busy")
    if row.status == POSTED:
        return Claim(status=POSTED, slot_id=row.id, permalink=row.permalink, message_ts=row.message_ts)
    if row.status == SKIPPED:
        return Claim(status=SKIPPED, slot_id=row.id)
    return Claim(status="busy", slot_id=row.id)


def _row(sessions: SessionFactory, kind: str, slot_key: str, channel: str) -> PostSlot | None:
    with sessions.begin() as session:
        return session.scalar(
            select(PostSlot).where(
                PostSlot.kind == kind, PostSlot.slot_key == slot_key, PostSlot.channel == channel
            )
        )


def _slot_id(sessions: SessionFactory, kind: str, slot_key: str, channel: str) -> int | None:
    row = _row(sessions, kind, slot_key, channel)
    return row.id if row else None


def complete(
    *, sessions: SessionFactory, claim: Claim, now: datetime, message_ts: str, permalink: str | None
) -> bool:
    """Mark our claim posted; False (and a warning) if another process took it over meanwhile."""
    with sessions.begin() as session:
        result = session.execute(
            update(PostSlot)
            .where(
                PostSlot.id == claim.slot_id, PostSlot.claimed_by == claim.owner, PostSlot.status == CLAIMED
            )
            .values(status=POSTED, posted_at=now, message_ts=message_ts, permalink=permalink)
        )
        done = int(getattr(result, "rowcount", 0) or 0) == 1
    if not done:
        logger.warning("slot %s was taken over while we posted it (ts %s)", claim.slot_id, message_ts)
    return done


def release(*, sessions: SessionFactory, claim: Claim) -> None:
    """Give the slot back after a failed post, so a later attempt can post it."""
    with sessions.begin() as session:
        session.execute(
            delete(PostSlot).where(
                PostSlot.id == claim.slot_id, PostSlot.claimed_by == claim.owner, PostSlot.status == CLAIMED
            )
        )


def mark_skipped(*, sessions: SessionFactory, claim: Claim, now: datetime) -> None:
    """Record that a claimed slot is deliberately not posted (missed beyond the grace)."""
    with sessions.begin() as session:
        session.execute(
            update(PostSlot)
            .where(PostSlot.id == claim.slot_id, PostSlot.claimed_by == claim.owner)
            .values(status=SKIPPED, posted_at=now)
        )


@dataclass(frozen=True)
class Posted:
    """What a post returned: the message ts and, when Slack gave one, its permalink."""

    ts: str
    permalink: str | None


@dataclass(frozen=True)
class Outcome:
    """What `post_once` did: "posted" (by us now), "already" (earlier / elsewhere), "busy", "failed"."""

    status: str
    permalink: str | None = None
    message_ts: str | None = None


def post_once(
    *,
    sessions: SessionFactory,
    kind: str,
    slot_key: str,
    channel: str,
    now: datetime,
    stale_after: timedelta,
    post: Callable[[], Posted],
) -> Outcome:
    """Claim, post, complete; a failed post is logged and releases the claim. Never raises for Slack."""
    got = claim(
        sessions=sessions, kind=kind, slot_key=slot_key, channel=channel, now=now, stale_after=stale_after
    )
    if got.status == POSTED:
        return Outcome("already", permalink=got.permalink, message_ts=got.message_ts)
    if got.status != CLAIMED:
        return Outcome("busy" if got.status == "busy" else "already")
    try:
        posted = post()
    except Exception:
        # Slack kept failing after slack_sdk's retries (429 / 5xx / connection), or building failed.
        logger.exception(
            "posting %s %s to %s failed; the slot stays open for a later attempt", kind, slot_key, channel
        )
        release(sessions=sessions, claim=got)
        return Outcome("failed")
    _record_posted(sessions=sessions, claim=got, now=now, posted=posted)
    logger.info("posted %s %s to %s", kind, slot_key, channel)
    return Outcome("posted", permalink=posted.permalink, message_ts=posted.ts)


def _record_posted(*, sessions: SessionFactory, claim: Claim, now: datetime, posted: Posted) -> None:
    """Complete the claim; a database hiccup right after the post gets a few quick retries, because a
    claim left open would be taken over after the timeout and the slot posted again."""
    for attempt in range(3):
        try:
            complete(
                sessions=sessions, claim=claim, now=now, message_ts=posted.ts, permalink=posted.permalink
            )
        except SQLAlchemyError:
            if attempt == 2:
                logger.exception("posted (ts %s) but could not record it; it may be posted again", posted.ts)
                return
            _time.sleep(0.5 * 2**attempt)
        else:
            return


def skip_once(
    *, sessions: SessionFactory, kind: str, slot_key: str, channel: str, now: datetime, stale_after: timedelta
) -> bool:
    """Record a missed slot as skipped (once); True when this call recorded it."""
    got = claim(
        sessions=sessions, kind=kind, slot_key=slot_key, channel=channel, now=now, stale_after=stale_after
    )
    if got.status != CLAIMED:
        return False
    mark_skipped(sessions=sessions, claim=got, now=now)
    return True
