"""Dutch for officials: dates as `maandag 20 maart 2023, 09:30`, plurals, articles, word comparison.

Also the records' dates (the archive and the year report use these too): day ranges such as
"7 to 8 december 2027" (written with an en dash, as Dutch typography has it), a meeting's span,
an item's trail "aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: …",
word lists and decimal commas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
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


# --- the records' dates: day ranges, a meeting's span, an item's trail -----------------------------


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


@_remember
def dutch_day_month(day: date) -> str:
    """`22 maart`."""
    return format_date(day, "d MMMM", locale=LOCALE)


@_remember
def dutch_day_month_short(day: date, *, with_year: bool = False) -> str:
    """`22 mrt` (or `22 mrt 2027`)."""
    return format_date(day, "d MMM y" if with_year else "d MMM", locale=LOCALE)


def last_local_day(starts_at: datetime, ends_at: datetime | None, all_day: bool, tz: ZoneInfo) -> date:
    """The local date a meeting ends on; an all-day end is exclusive (iCalendar's DTEND)."""
    first = local_date(starts_at, tz)
    if ends_at is None:
        return first
    end = local_date(ends_at, tz)
    if all_day:
        end -= timedelta(days=1)
    return max(first, end)


def day_range(first: date, last: date, *, with_year: bool = True) -> str:
    """`7-8 december 2027`, `30 november - 1 december 2027`, `30 december 2027 - 2 januari 2028`."""
    year = f" {last.year}" if with_year else ""
    if first == last:
        return dutch_day_month(first) + year
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{dutch_day_month(last)}{year}"
    if first.year == last.year:
        return f"{dutch_day_month(first)} – {dutch_day_month(last)}{year}"
    return f"{dutch_day_month(first)} {first.year} – {dutch_day_month(last)} {last.year}"


def meeting_span(starts_at: datetime, ends_at: datetime | None, all_day: bool, tz: ZoneInfo) -> str:
    """`maandag 22 maart 2027, 09:30-12:00`; all-day meetings without a clock time."""
    first, last = local_date(starts_at, tz), last_local_day(starts_at, ends_at, all_day, tz)
    if all_day:
        return f"{dutch_date(first)} (hele dag)" if first == last else day_range(first, last)
    start = f"{dutch_date(first)}, {dutch_time(starts_at, tz)}"
    if ends_at is None:
        return start
    if first == last:
        return f"{start}–{dutch_time(ends_at, tz)}"
    return f"{start} – {dutch_date(last)}, {dutch_time(ends_at, tz)}"


def join_words(words: Sequence[str]) -> str:
    """`a`, `a en b`, `a, b en c`."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


def decimal_text(value: float) -> str:
    """`12`, `2,5`: one decimal at most, a decimal comma."""
    return f"{round(value, 1):.1f}".replace(".", ",").removesuffix(",0")


class TrailStep(Protocol):
    """One step of an agenda item's life, as a trail shows it (bot.records.model.HistoryStep is one)."""

    @property
    def state(self) -> str: ...

    @property
    def shown_at(self) -> datetime: ...

    @property
    def note(self) -> str: ...


def trail(steps: Sequence[TrailStep], tz: ZoneInfo) -> str:
    """`aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: <besluit>`.

    A step's date is that of the meeting it refers to (else when it was recorded); the year is
    written only when the steps do not all fall in one year.
    """
    days = [local_date(step.shown_at, tz) for step in steps]
    with_year = len({day.year for day in days}) > 1
    parts = []
    for step, day in zip(steps, days, strict=True):
        part = f"{step.state} {dutch_day_month_short(day, with_year=with_year)}"
        parts.append(f"{part}: {step.note}" if step.note else part)
    return " → ".join(parts)
