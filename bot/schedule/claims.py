"""Exactly once for every scheduled post: the database decides, not the scheduler.

A post first claims a PostSlot row (unique per kind, slot and channel) in its own committed
transaction; only the process whose INSERT succeeded posts. It then completes the row with the
message ts and permalink. A failed post deletes its claim so a later attempt can post; a claim
older than the claim timeout (its process crashed) is taken over with a conditional UPDATE that
only one process can win.
"""

from __future__ import annotations

import logging
import os
import socket
import time as _time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.blocks.kit import Reply
from bot.runtime.followups import open_dm
from bot.runtime.metrics import metrics  # issue 13: one-line counters below, marked "metrics:"
from bot.runtime.posting import Posted, Poster, outcome_unknown
from storage.db import SessionFactory
from storage.models import PostSlot

logger = logging.getLogger(__name__)

CLAIMED = "claimed"
POSTED = "posted"
SKIPPED = "skipped"

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
    # When an earlier attempt on this slot started; set means it may have posted: look before posting.
    attempted_at: datetime | None = None


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
    settled = _settled(_row(sessions, kind, slot_key, channel))
    if settled is not None:
        return settled
    values = {"kind": kind, "slot_key": slot_key, "channel": channel, "status": CLAIMED}
    try:
        with sessions.begin() as session:
            session.execute(insert(PostSlot).values(**values, claimed_by=owner, claimed_at=now))
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
        metrics().claim_taken_over(kind)  # metrics: vggbot_claims_taken_over_total
        return Claim(
            status=CLAIMED, slot_id=row.id, owner=owner, taken_over=True, attempted_at=row.attempted_at
        )
    if row is None:  # released between our INSERT and our look: try once more next time
        return Claim(status="busy")
    return _settled(row) or Claim(status="busy", slot_id=row.id)


def _settled(row: PostSlot | None) -> Claim | None:
    """The claim for a slot that is done (posted or deliberately skipped); None when it is not."""
    if row is not None and row.status == POSTED:
        return Claim(status=POSTED, slot_id=row.id, permalink=row.permalink, message_ts=row.message_ts)
    if row is not None and row.status == SKIPPED:
        return Claim(status=SKIPPED, slot_id=row.id)
    return None


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
class PostOutcome:
    """What `post_once` did: "posted" (by us now), "already" (earlier / elsewhere), "busy", "failed" (Slack
    refused: a later attempt posts it), "unknown" (Slack's answer was lost: a later attempt looks first)."""

    status: str
    permalink: str | None = None
    message_ts: str | None = None


def post_once(
    *,
    sessions: SessionFactory,
    client: WebClient,
    kind: str,
    slot_key: str,
    channel: str,
    now: datetime,
    stale_after: timedelta,
    build: Callable[[], Reply],
    direct: bool = False,
) -> PostOutcome:
    """Claim, record the attempt, post (looking first if an earlier attempt may have posted), complete.

    `direct`: `channel` is a user id and the post is a DM to them (the claim keeps the user id).
    Never raises for Slack. A post Slack refused releases the claim; a post whose outcome is unknown (a
    timeout, a dropped connection, a 5xx) keeps it, so the next attempt looks in the channel first."""
    got = claim(
        sessions=sessions, kind=kind, slot_key=slot_key, channel=channel, now=now, stale_after=stale_after
    )
    if got.status == POSTED:
        return PostOutcome("already", permalink=got.permalink, message_ts=got.message_ts)
    if got.status != CLAIMED:
        return PostOutcome("busy" if got.status == "busy" else "already")
    _set_attempted(sessions, got, now)
    poster = Poster(client, key=f"{kind}:{slot_key}:{channel}", look_since=got.attempted_at)
    try:
        posted = poster.post(open_dm(client, channel) if direct else channel, build())
    except Exception as exc:
        if outcome_unknown(exc):
            logger.warning(
                "posting %s %s to %s: Slack's answer was lost (%s); the next attempt looks first",
                kind,
                slot_key,
                channel,
                type(exc).__name__,
            )
            _retry_soon(sessions, got, now=now, stale_after=stale_after)
            metrics().scheduled_post(kind, "unknown")  # metrics: vggbot_scheduled_posts_total
            return PostOutcome("unknown")
        logger.exception(
            "posting %s %s to %s failed; the slot stays open for a later attempt", kind, slot_key, channel
        )
        release(sessions=sessions, claim=got)
        metrics().scheduled_post(kind, "failed")  # metrics: vggbot_scheduled_posts_total
        return PostOutcome("failed")
    permalink = _permalink(client, posted)
    _record_posted(sessions=sessions, claim=got, now=now, ts=posted.ts, permalink=permalink)
    logger.info("posted %s %s to %s", kind, slot_key, channel)
    metrics().scheduled_post(kind, "posted")  # metrics: vggbot_scheduled_posts_total
    return PostOutcome("posted", permalink=permalink, message_ts=posted.ts)


def _set_attempted(sessions: SessionFactory, got: Claim, now: datetime) -> None:
    """Committed before Slack is called: whoever finds the claim later knows a post may exist."""
    with sessions.begin() as session:
        session.execute(
            update(PostSlot)
            .where(PostSlot.id == got.slot_id, PostSlot.claimed_by == got.owner)
            .values(attempted_at=now)
        )


def _retry_soon(sessions: SessionFactory, got: Claim, *, now: datetime, stale_after: timedelta) -> None:
    """Leave the claim for the next attempt at once (not after the claim timeout); it will look first."""
    with sessions.begin() as session:
        session.execute(
            update(PostSlot)
            .where(PostSlot.id == got.slot_id, PostSlot.claimed_by == got.owner)
            .values(claimed_at=now - stale_after - timedelta(seconds=1))
        )


def _permalink(client: WebClient, posted: Posted) -> str | None:
    """The post's link, if Slack gives it: optional; a failure here never releases the claim."""
    try:
        link = client.chat_getPermalink(channel=posted.channel, message_ts=posted.ts).get("permalink")
    except Exception:
        logger.warning("posted %s but could not fetch its permalink", posted.ts, exc_info=True)
        return None
    return str(link) if link else None


def _record_posted(
    *, sessions: SessionFactory, claim: Claim, now: datetime, ts: str, permalink: str | None
) -> None:
    """Complete the claim; a database hiccup right after the post gets a few quick retries. If they all
    fail, the claim stays open and its next owner finds the post in the channel instead of posting."""
    for attempt in range(3):
        try:
            complete(sessions=sessions, claim=claim, now=now, message_ts=ts, permalink=permalink)
        except SQLAlchemyError:
            if attempt == 2:
                logger.exception("posted (ts %s) but could not record it; the next attempt will find it", ts)
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
