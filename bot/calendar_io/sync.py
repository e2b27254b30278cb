"""Calendar sync: fetch a published calendar (Outlook's "publish calendar" ICS link, or any ICS URL) with
If-None-Match / If-Modified-Since, and import it as a file import does, with guards.

A fetch that fails, a calendar without any event, or one that would cancel more than a few coming
meetings at once (more than 3, or from 2 on more than a quarter of the coming meetings it covers)
changes nothing: the sync raises `SyncFailed`, the caller rolls back and records the reason, which
`/health` shows with the time of the last good sync. A half-published calendar never wipes out the
IVB's year. `vggbot calendar sync --force` lets a deliberate mass cancellation through.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.calendar_io.importer import import_calendar
from bot.calendar_io.parse import parse_calendars
from bot.calendar_io.report import ImportReport
from bot.services.errors import Refused
from storage.queries import calendar as queries

MAX_BYTES = 20_000_000
TIMEOUT_SECONDS = 30
MAX_CANCELLATIONS = 3
MAX_CANCEL_SHARE = 0.25
MATCH_BY_TITLE = "*"
USER_AGENT = "VGG-bot calendar sync (+https://www.vgg.nl)"


class SyncFailed(Exception):
    """The sync changed nothing; `message` (Dutch, one line) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    body: bytes | None  # None: not modified since the last fetch (304)
    etag: str
    last_modified: str


def fetch(url: str, *, etag: str, last_modified: str, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """GET the calendar, conditional on what the last fetch returned; SyncFailed when it cannot."""
    if url.startswith("webcal://"):
        url = "https://" + url.removeprefix("webcal://")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*"})  # noqa: S310 - http(s) only, checked in settings
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            headers = response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, etag, last_modified)
        raise SyncFailed(f"de server antwoordde {exc.code} {exc.reason}"[:200]) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SyncFailed(
            f"de agenda is niet bereikbaar ({str(reason)[:120] or type(exc).__name__})"
        ) from None
    if len(body) > MAX_BYTES:
        raise SyncFailed(f"de agenda is groter dan {MAX_BYTES // 1_000_000} MB")
    return Fetched(body, str(headers.get("ETag") or "")[:300], str(headers.get("Last-Modified") or "")[:100])


def _check_not_empty(data: bytes) -> None:
    try:
        calendars = parse_calendars(data)
    except Refused as exc:
        raise SyncFailed(exc.message) from None
    if not any(calendar.walk("VEVENT") for calendar in calendars):
        raise SyncFailed("de agenda bevat geen enkele afspraak (half gepubliceerd?)")


def _check_cancellations(report: ImportReport) -> None:
    cancelled, coming = report.coming_cancelled, report.coming_before
    if cancelled > MAX_CANCELLATIONS or (cancelled >= 2 and cancelled > coming * MAX_CANCEL_SHARE):
        raise SyncFailed(
            f"deze versie zou {cancelled} van de {coming} komende vergaderingen annuleren; dat lijkt een "
            "half gepubliceerde agenda. Klopt het, draai dan `vggbot calendar sync --force`"
        )


def import_fetched(
    *, session: Session, key: str, data: bytes, now: datetime, tz: ZoneInfo, force: bool = False
) -> ImportReport:
    """Import one source's calendar in the caller's transaction; SyncFailed (roll back) when refused."""
    _check_not_empty(data)
    try:
        report = import_calendar(
            session=session,
            data=data,
            overleg_key=None if key == MATCH_BY_TITLE else key,
            now=now,
            tz=tz,
            source=key,
        )
    except Refused as exc:
        raise SyncFailed(exc.message) from None
    if not force:
        _check_cancellations(report)
    return report


def record_success(*, session: Session, key: str, fetched: Fetched, now: datetime) -> None:
    state = queries.source_for_update(session=session, key=key)
    state.etag, state.last_modified = fetched.etag, fetched.last_modified
    state.last_attempt_at = state.last_success_at = now
    state.last_error, state.last_error_at = "", None
    session.flush()


def record_failure(*, session: Session, key: str, message: str, now: datetime) -> datetime | None:
    """Remember why the last attempt failed; returns the last good sync (None: never)."""
    state = queries.source_for_update(session=session, key=key)
    state.last_attempt_at = state.last_error_at = now
    state.last_error = message[:500]
    session.flush()
    return state.last_success_at


def validators(*, session: Session, key: str) -> tuple[str, str]:
    """The ETag and Last-Modified of the last good fetch ("" before the first)."""
    state = queries.source_state(session=session, key=key)
    return (state.etag, state.last_modified) if state is not None else ("", "")
