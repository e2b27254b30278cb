"""Dutch for officials: dates as `maandag 20 maart 2023, 09:30`, plurals, articles, word comparison."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "nl_NL"

# Babel parses the locale and the pattern on every call (~60 µs); the same meetings are shown again and
# again, and these functions are pure (an instant and a zone in, text out), so their answers are kept.
_remember = lru_cache(maxsize=8192)


def _local_day(day: date | datetime, tz: ZoneInfo | None) -> date:
    if isinstance(day, datetime):
        if tz is None:
            raise ValueError("a datetime needs the zone to show it in")
        return day.astimezone(tz).date()
    return day


@_remember
def dutch_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """`maandag 20 maart 2023, 09:30` in the bot's time zone."""
    return format_datetime(moment.astimezone(tz), "EEEE d MMMM y, HH:mm", locale=LOCALE)


@_remember
def dutch_date(day: date | datetime, tz: ZoneInfo | None = None) -> str:
    """`maandag 20 maart 2023`."""
    return format_date(_local_day(day, tz), "EEEE d MMMM y", locale=LOCALE)


@_remember
def dutch_short_date(day: date | datetime, tz: ZoneInfo | None = None) -> str:
    """`ma 20 mrt 2023` — for compact lists."""
    return format_date(_local_day(day, tz), "EEE d MMM y", locale=LOCALE)


@_remember
def dutch_day(moment: datetime, tz: ZoneInfo) -> str:
    """`20 maart`: a day in a sentence or a notification."""
    return format_date(moment.astimezone(tz).date(), "d MMMM", locale=LOCALE)


@_remember
def dutch_time(moment: datetime, tz: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(tz), "HH:mm", locale=LOCALE)


@_remember
def dutch_month(moment: datetime, tz: ZoneInfo) -> str:
    """`maart 2023`."""
    return format_date(moment.astimezone(tz).date(), "MMMM y", locale=LOCALE)


@_remember
def list_date(day: date | datetime, today: date, tz: ZoneInfo | None = None) -> str:
    """`do 3 dec` in a list; the year only when it is not `today`'s year: `ma 22 mrt 2027`."""
    local = _local_day(day, tz)
    pattern = "EEE d MMM" if local.year == today.year else "EEE d MMM y"
    return format_date(local, pattern, locale=LOCALE)


def list_datetime(moment: datetime, today: date, tz: ZoneInfo) -> str:
    """`do 3 dec 14:00` in a list (the year only when it is not this year)."""
    return f"{list_date(moment, today, tz)} {dutch_time(moment, tz)}"


def relative_day(day: date | datetime, today: date, tz: ZoneInfo | None = None) -> str:
    """`vandaag`, `morgen`, `over 3 dagen`, `gisteren` for the next and last two weeks; else ""."""
    days = (_local_day(day, tz) - today).days
    return days_phrase(days) if -14 <= days <= 14 else ""


def number(count: int) -> str:
    """`4.892`: Dutch thousands separators."""
    return str(format_decimal(count, locale=LOCALE))


def plural(count: int, one: str, many: str) -> str:
    """`1 voorstel`, `4.892 voorstellen`."""
    return f"{number(count)} {one if count == 1 else many}"


def days_phrase(days: int) -> str:
    """`vandaag`, `morgen`, `over 3 dagen`, `2 dagen geleden`."""
    if days == 0:
        return "vandaag"
    if days == 1:
        return "morgen"
    if days == -1:
        return "gisteren"
    if days > 1:
        return f"over {days} dagen"
    return f"{-days} dagen geleden"


def age_phrase(days: int) -> str:
    """How long something has been open: `sinds vandaag`, `3 dagen open`."""
    if days == 0:
        return "sinds vandaag"
    return plural(days, "dag", "dagen") + " open"


def with_article(name: str) -> str:
    """`het Integraal Veiligheidsberaad`, `de 3-Noord tafel`: Dutch needs the right article."""
    het_words = ("overleg", "beraad")
    words = [w.lower().strip("*_~") for w in name.split()]  # mrkdwn around the name is not a word
    article = "het" if any(w.endswith(het_words) for w in words) else "de"
    return f"{article} {name}"


# Only for names and short words (overleg names, aliases, one typed word): bounded inputs, so the
# cache cannot grow with message texts.
@lru_cache(maxsize=1024)
def _normalise_short(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", plain).strip(" .:;,!?")


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how overleg names and typed words are compared."""
    if len(text) <= 120:
        return _normalise_short(text)
    return _normalise_short.__wrapped__(text)
