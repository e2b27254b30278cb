"""Dutch formatting of dates and times, and escaping of user text for mrkdwn."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

LOCALE = "nl_NL"

# Babel parses the locale and the pattern on every call (~60 µs); the same meetings are shown again and
# again, and these functions are pure (an instant and a zone in, text out), so their answers are kept.
_remember = lru_cache(maxsize=8192)


_SLACK_REF = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]+))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]+))?>")


def plain_text_from_slack(text: str) -> str:
    """What the user typed, from Slack's encoded message text.

    Slack sends `&`, `<`, `>` as entities and mentions as `<@U123|piet>`, channels as `<#C1|naam>`,
    links as `<https://…|tekst>`. Stored text is plain (escaped again only when shown), so entities
    must not be escaped twice and mentions read as `@piet`.
    """
    text = _SLACK_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _SLACK_REF.sub(
        lambda m: ("@" if m.group(1) == "!" else m.group(1)) + (m.group(3) or m.group(2)), text
    )
    return html.unescape(text)


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences, so user text pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@_remember
def dutch_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """`maandag 20 maart 2023, 09:30` in the bot's time zone."""
    return format_datetime(moment.astimezone(tz), "EEEE d MMMM y, HH:mm", locale=LOCALE)


@_remember
def dutch_date(day: date | datetime, tz: ZoneInfo | None = None) -> str:
    """`maandag 20 maart 2023`."""
    if isinstance(day, datetime):
        if tz is None:
            raise ValueError("a datetime needs the zone to show it in")
        day = day.astimezone(tz).date()
    return format_date(day, "EEEE d MMMM y", locale=LOCALE)


@_remember
def dutch_short_date(day: date | datetime, tz: ZoneInfo | None = None) -> str:
    """`ma 20 mrt` — for compact lists."""
    if isinstance(day, datetime):
        if tz is None:
            raise ValueError("a datetime needs the zone to show it in")
        day = day.astimezone(tz).date()
    return format_date(day, "EEE d MMM y", locale=LOCALE)


@_remember
def dutch_time(moment: datetime, tz: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(tz), "HH:mm", locale=LOCALE)


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


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@_remember
def dutch_month(moment: datetime, tz: ZoneInfo) -> str:
    """`maart 2023`."""
    return format_date(moment.astimezone(tz).date(), "MMMM y", locale=LOCALE)
