"""Dutch due dates typed by people: `15 maart`, `15-3-2027`, `volgende week vrijdag`, `morgen`.

dateparser does the work (Dutch only, dates preferred from the future, relative to the injected
clock in the bot's time zone). One rule sits on top: dateparser (1.2) does not read
"volgende week <weekdag>" (nor "<weekdag> volgende week"), so that phrase is taken to mean that
weekday in the next calendar week (Monday to Sunday), the way people in the Netherlands use it:
on Wednesday 1 March 2023, "volgende week vrijdag" is Friday 10 March.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.services.errors import Refused

logger = logging.getLogger(__name__)

DATE_EXAMPLE = "`15 maart`, `15-3-2027`, `morgen`, `over 2 weken` of `volgende week vrijdag`"

# A due date further ahead than this is almost certainly a misreading ("32 maart" → 2032).
MAX_YEARS_AHEAD = 5
MAX_INPUT = 60  # nobody types a date longer than this; dateparser is slow on long text

WEEKDAYS = {
    "maandag": 0,
    "dinsdag": 1,
    "woensdag": 2,
    "donderdag": 3,
    "vrijdag": 4,
    "zaterdag": 5,
    "zondag": 6,
}
_NEXT_WEEK = re.compile(
    r"^(?:volgende week (?P<a>\w+)|(?P<b>\w+) volgende week|(?P<c>\w+) van volgende week)$"
)
# Words that make the tail of "<tekst> voor <…>" look like an attempt at a date.
DATE_HINTS = re.compile(
    r"\d|morgen|overmorgen|vandaag|week|weken|maand|dag|jan|feb|maart|mrt|apr|mei|jun|jul|aug|sep|okt|"
    r"nov|dec|volgende|over "
)


def _next_week_weekday(text: str, today: date) -> date | None:
    match = _NEXT_WEEK.match(text)
    if match is None:
        return None
    word = match.group("a") or match.group("b") or match.group("c")
    weekday = WEEKDAYS.get(word)
    if weekday is None:
        return None
    next_monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return next_monday + timedelta(days=weekday)


def _dateparser(text: str, base: datetime) -> date | None:
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=["nl"], settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError, IndexError, KeyError):
        # dateparser has raised on odd input in past releases; an unreadable date is just that.
        logger.exception("dateparser failed on a due date")
        return None
    return parsed.date() if parsed is not None else None


def looks_like_date(text: str) -> bool:
    """True when `text` seems meant as a date (used to split "<tekst> voor <datum>")."""
    return bool(DATE_HINTS.search(text.lower()))


def parse_date(text: str, *, now: datetime, tz: ZoneInfo) -> date | None:
    """The date `text` means, seen from `now` in `tz`; None when it cannot be read. Never raises."""
    cleaned = re.sub(r"\s+", " ", text.replace("\x00", "")).strip().lower()
    if not cleaned or len(cleaned) > MAX_INPUT:
        return None
    local_now = now.astimezone(tz)
    rule = _next_week_weekday(cleaned, local_now.date())
    if rule is not None:
        return rule
    return _dateparser(cleaned, local_now.replace(tzinfo=None))


def parse_due_date(text: str, *, now: datetime, tz: ZoneInfo) -> date:
    """A due date from today up to a few years ahead, or Refused (field "deadline") with an example."""
    parsed = parse_date(text, now=now, tz=tz)
    if parsed is None:
        raise Refused(
            f"Die datum kan ik niet lezen. Schrijf hem bijvoorbeeld als {DATE_EXAMPLE}.", field="deadline"
        )
    today = now.astimezone(tz).date()
    if parsed < today:
        raise Refused(
            "Die datum ligt in het verleden. Kies vandaag of later, bijvoorbeeld `over 2 weken`.",
            field="deadline",
        )
    if parsed > today.replace(year=today.year + MAX_YEARS_AHEAD, day=min(today.day, 28)):
        raise Refused(
            f"Die datum ligt meer dan {MAX_YEARS_AHEAD} jaar vooruit; klopt hij? "
            f"Schrijf hem bijvoorbeeld als {DATE_EXAMPLE}.",
            field="deadline",
        )
    return parsed
