"""Calendar sync as a job, and telling people what an import changed.

Every CALENDAR_SYNC_MINUTES each replica runs `calendar_sync_job`; per source, the one that claims the
interval (`claims.claim`, kind "calendar_sync", slot key = the interval's start) fetches and imports.
Imports also take a lock in the database (`storage.queries.calendar.lock_imports`), so a manual sync
at the same moment finds nothing new afterwards. What changed is told once, in the import's own
transaction (`deps.followups.after_commit`): each proposer whose proposals moved, each person with
open items on a moved meeting, and one summary for the secretariaat.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.calendar_changes import (
    build_meeting_moved_dm,
    build_proposals_moved_dm,
    build_secretariaat_summary,
)
from bot.calendar_io.report import ImportReport
from bot.calendar_io.sync import SyncFailed, fetch, import_fetched, record_failure, record_success, validators
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, Followup, Followups, PostMessage, UpdateReview
from bot.schedule.claims import CLAIMED, claim, complete
from bot.services.rehoming import Rehomed
from storage.queries import calendar as queries

logger = logging.getLogger(__name__)

KIND = "calendar_sync"
KEEP_CLAIMS = timedelta(days=2)


def calendar_changes(deps: Deps, report: ImportReport) -> list[Followup]:
    """The messages an import's changes call for: proposers, people on moved meetings, the secretariaat."""
    tz = deps.settings.tz
    items: list[Followup] = []
    by_proposer: dict[str, list[Rehomed]] = defaultdict(list)
    for moved in report.rehomed:
        by_proposer[moved.proposer_id].append(moved)
    for proposer, moved_items in by_proposer.items():
        items.append(DirectMessage(proposer, build_proposals_moved_dm(moved_items, tz=tz)))
    for change in report.rescheduled:
        items.extend(DirectMessage(p, build_meeting_moved_dm(change, p, tz=tz)) for p in change.people)
    if report.rehomed or report.rescheduled:
        summary = build_secretariaat_summary(report.rehomed, report.rescheduled, tz=tz)
        settings = deps.settings
        if settings.review_channel:
            items.append(PostMessage(settings.review_channel, summary))
        else:
            items.extend(DirectMessage(admin, summary) for admin in settings.admin_user_ids)
    # Each moved proposal's review post shows its new meeting (and Agenderen again, if it was aangehouden).
    items.extend(UpdateReview(moved.proposal_id) for moved in report.rehomed)
    return items


def announce(followups: Followups | None, deps: Deps, session: Session, report: ImportReport) -> int:
    """Hand the messages to `followups`, to go out once this transaction commits; how many."""
    items = calendar_changes(deps, report)
    if followups is not None and items:
        followups.after_commit(session, *items)
    return len(items)


@dataclass(frozen=True)
class SyncOutcome:
    key: str
    status: str  # "imported", "unchanged" (304), "failed", "busy" (another replica has this interval)
    report: ImportReport | None = None
    error: str = ""
    last_success: datetime | None = None


def sync_source(
    deps: Deps, key: str, url: str, now: datetime, *, followups: Followups | None, force: bool = False
) -> SyncOutcome:
    """Fetch and import one source; a failure changes nothing and is logged once and recorded."""
    with deps.sessions() as session:
        etag, last_modified = validators(session=session, key=key)
    try:
        fetched = fetch(url, etag=etag, last_modified=last_modified)
        with deps.sessions.begin() as session:
            if fetched.body is None:
                record_success(session=session, key=key, fetched=fetched, now=now)
                return SyncOutcome(key, "unchanged", last_success=now)
            report = import_fetched(
                session=session, key=key, data=fetched.body, now=now, tz=deps.settings.tz, force=force
            )
            record_success(session=session, key=key, fetched=fetched, now=now)
            announce(followups, deps, session, report)
    except SyncFailed as exc:
        with deps.sessions.begin() as session:
            last = record_failure(session=session, key=key, message=exc.message, now=now)
        logger.warning(
            "calendar source %s: %s; nothing changed (last good sync: %s)",
            key,
            exc.message,
            last.isoformat() if last else "never",
        )
        return SyncOutcome(key, "failed", error=exc.message, last_success=last)
    return SyncOutcome(key, "imported", report=report, last_success=now)


def interval_start(now: datetime, minutes: int) -> datetime:
    """The start of the sync interval `now` is in (aligned to the epoch, the same on every replica)."""
    step = minutes * 60
    seconds = int(now.timestamp()) // step * step
    return datetime.fromtimestamp(seconds, tz=UTC)


def calendar_sync_job(deps: Deps, now: datetime) -> list[SyncOutcome]:
    """One sync per source and interval, however many replicas run this job."""
    settings = deps.settings
    slot = interval_start(now, settings.calendar_sync_minutes).isoformat()
    stale = timedelta(minutes=settings.slot_claim_timeout_minutes)
    outcomes = []
    for key, url in settings.calendar_sources.items():
        got = claim(sessions=deps.sessions, kind=KIND, slot_key=slot, channel=key, now=now, stale_after=stale)
        if got.status != CLAIMED:
            outcomes.append(SyncOutcome(key, "busy"))
            continue
        try:
            outcomes.append(sync_source(deps, key, url, now, followups=getattr(deps, "followups", None)))
        finally:
            complete(sessions=deps.sessions, claim=got, now=now, message_ts="", permalink=None)
    with deps.sessions.begin() as session:
        queries.forget_sync_claims(session=session, kind=KIND, before=now - KEEP_CLAIMS)
    return outcomes


def scheduled_calendar_sync(deps: Deps, now: datetime) -> None:
    """The scheduler's job: like `calendar_sync_job`, but a failure (database away) is logged, not raised."""
    try:
        calendar_sync_job(deps, now)
    except Exception:
        logger.exception("calendar sync failed; the next interval tries again")


def calendar_health(deps: Deps) -> dict[str, Any]:
    """/health's detail: per configured source, whether its last attempt worked and the last good sync."""
    sources = deps.settings.calendar_sources
    if not sources:
        return {}
    states = {state[0]: state for state in queries.source_states(engine=deps.engine)}
    found: dict[str, Any] = {}
    for key in sources:
        _, success, error_at, error = states.get(key, (key, None, None, ""))
        failing = error_at is not None and (success is None or error_at > success)
        found[key] = {
            "ok": not failing,
            "last_good_sync": success.isoformat() if success else None,
            "error": error if failing else "",
        }
    return {"calendar": found}
