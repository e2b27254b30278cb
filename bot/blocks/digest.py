"""Block Kit for the digest and the reminders: pure functions, Dutch, always within Slack's limits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.blocks import ids
from bot.blocks.help import propose_hint
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    actions,
    button,
    context,
    header,
    section,
    sections_of,
    truncate,
)
from bot.blocks.meetings import meeting_name, meeting_place, status_mark
from bot.services.digest import SOON, Digest, DigestMeeting
from bot.services.meetings import has_own_title
from bot.services.meetings import shown_title as shown_title_plain
from bot.text.dutch import (
    LOCALE,
    day_range,
    days_phrase,
    dutch_short_date,
    dutch_time,
    list_date,
    plural,
)
from bot.text.slack import escape_mrkdwn
from bot.text.when import (
    deadline_day,
    has_clock_time,
    list_deadline,
    list_meeting,
    meeting_when,
)
from storage.models import MeetingStatus
from storage.queries.rows import MeetingRow


def _more(shown: int, total: int, one: str, many: str, where: str = "") -> str:
    rest = total - shown
    if rest <= 0:
        return ""
    return f"… en {rest} {'andere ' if shown else ''}{one if rest == 1 else many}{where}."


def _name(meeting: MeetingRow) -> str:
    """`*IVB*`, with Outlook's title after it where that tells the meeting apart; escaped."""
    title = f" ({escape_mrkdwn(truncate(shown_title_plain(meeting), 80))})" if has_own_title(meeting) else ""
    return f"*{escape_mrkdwn(meeting.overleg.label)}*{title}"


def _meeting_line(item: DigestMeeting, *, at: datetime, tz: ZoneInfo) -> str:
    """`ma 7 dec 09:30 · *IVB* · agendapunten uiterlijk do 3 dec 14:00`; a deadline in the coming days
    stands out (⏳, bold, `over 3 dagen`), a passed one says so, a cancelled meeting is struck through."""
    meeting = item.meeting
    today = at.astimezone(tz).date()
    if item.cancelled:
        day = list_date(meeting.starts_at, today, tz)
        return f"~{day} {escape_mrkdwn(meeting.overleg.label)}~ geannuleerd"
    moved = " _(verplaatst)_" if meeting.status == MeetingStatus.VERPLAATST else ""
    parts = [f"{list_meeting(meeting, today, tz)} · {_name(meeting)}{moved}"]
    if item.deadline is not None:
        parts.append(_deadline_words(item.deadline, at=at, tz=tz))
    return " · ".join(parts)


def _deadline_words(deadline: datetime, *, at: datetime, tz: ZoneInfo) -> str:
    today = at.astimezone(tz).date()
    if deadline <= at:
        return "_agendadeadline verstreken_"
    words = f"agendapunten uiterlijk {list_deadline(deadline, today, tz)}"
    if deadline - at < SOON:
        soon = days_phrase((deadline_day(deadline, tz) - today).days)
        return f":hourglass_flowing_sand: *{words} ({soon})*"
    return words


def _week_title(day: date) -> str:
    """`Week 50 · 7-13 december` (Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return f"*Week {day.isocalendar().week} · {day_range(monday, sunday, with_year=False)}*"


def _week_sections(digest: Digest, tz: ZoneInfo) -> list[Block]:
    """One section per week, one line per meeting, each with its deadline inline."""
    weeks: dict[tuple[int, int], list[DigestMeeting]] = {}
    for item in digest.meetings:
        iso = item.meeting.starts_at.astimezone(tz).date().isocalendar()
        weeks.setdefault((iso.year, iso.week), []).append(item)
    blocks: list[Block] = []
    for items in weeks.values():
        first = items[0].meeting.starts_at.astimezone(tz).date()
        lines = [_meeting_line(item, at=digest.at, tz=tz) for item in items]
        blocks += sections_of(lines, title=_week_title(first))
    in_window = sum(1 for item in digest.meetings if item.meeting.starts_at < digest.until)
    more = _more(in_window, digest.meetings_total, "vergadering", "vergaderingen", ": `/ivb kalender`")
    if more:
        blocks.append(context(more))
    return blocks


def _next_line(digest: Digest, tz: ZoneInfo) -> str:
    """No meetings in the window: which one comes next."""
    until = dutch_short_date(digest.until, tz)
    if digest.next_meeting is None:
        return f":calendar: Geen vergaderingen tot {until}, en daarna ook nog niets gepland."
    meeting = digest.next_meeting
    when = list_meeting(meeting, digest.at.astimezone(tz).date(), tz)
    return f":calendar: Geen vergaderingen tot {until}. De volgende: {when} · {_name(meeting)}."


def _proposal_lines(digest: Digest) -> list[str]:
    """`*IVB*: 3 nieuwe voorstellen`, with the titles of the geagendeerde (escaped)."""
    lines = []
    for count in digest.proposals:
        line = f"*{escape_mrkdwn(count.overleg_label)}*: " + plural(
            count.count, "nieuw voorstel", "nieuwe voorstellen"
        )
        if count.agendered:
            titles = ", ".join(f"«{escape_mrkdwn(truncate(t, 80))}»" for t in count.agendered)
            line += f" · geagendeerd: {titles}"
        lines.append(line)
    return lines


def digest_summary(digest: Digest, tz: ZoneInfo) -> str:
    """The notification: `Overzicht tot 14 dec: 5 vergaderingen, 2 deadlines deze week`."""
    until = format_date(digest.until.astimezone(tz).date(), "d MMM", locale=LOCALE)
    if not digest.meetings:
        parts = ["geen vergaderingen"]
        if digest.next_meeting is not None:
            parts.append(f"de volgende {dutch_short_date(digest.next_meeting.starts_at, tz)}")
    else:
        parts = [plural(digest.meetings_total, "vergadering", "vergaderingen")]
        if digest.deadlines_soon:
            parts.append(plural(digest.deadlines_soon, "deadline", "deadlines") + " deze week")
    if digest.proposals_total:
        parts.append(plural(digest.proposals_total, "nieuw voorstel", "nieuwe voorstellen"))
    return f"Overzicht tot {until}: " + ", ".join(parts)


def build_digest_message(digest: Digest, *, tz: ZoneInfo) -> Reply:
    """The digest post, a glance: week by week one line per meeting with its deadline inline, then the
    new proposals counted per overleg. Nothing personal: no names, no rejected items, no action points."""
    title = f"Overzicht {format_date(digest.at.astimezone(tz).date(), 'd MMMM y', locale=LOCALE)}"
    blocks: list[Block] = [header(title)]
    if digest.meetings:
        blocks += _week_sections(digest, tz)
    else:
        blocks.append(section(_next_line(digest, tz)))
    if digest.proposals_total:
        blocks += sections_of(
            _proposal_lines(digest),
            title=f"*:memo: Nieuwe agendavoorstellen sinds {dutch_short_date(digest.since, tz)}*",
        )
    blocks.append(context("De hele kalender: `/ivb kalender` · alles wat openstaat: `/ivb open`"))
    assert len(blocks) <= MESSAGE_BLOCK_LIMIT
    return Reply(text=digest_summary(digest, tz), blocks=blocks)


def _days_left(days: int) -> str:
    """`Vandaag nog`, `Nog 1 dag`, `Nog 2 dagen`."""
    return "Vandaag nog" if days <= 0 else f"Nog {plural(days, 'dag', 'dagen')}"


def build_deadline_reminder(meeting: MeetingRow, *, deadline: datetime, tz: ZoneInfo, now: datetime) -> Reply:
    """`⏳ Nog 2 dagen: agendapunten KOB-tafel uiterlijk do 3 dec 14:00`: the fact first, then the
    meeting, and a button that opens the proposal form with this overleg chosen."""
    today = now.astimezone(tz).date()
    label = meeting.overleg.label
    fact = (
        f"{_days_left((deadline_day(deadline, tz) - today).days)}: agendapunten {label} "
        f"uiterlijk {list_deadline(deadline, today, tz)}"
    )
    line = (
        f":hourglass_flowing_sand: *{escape_mrkdwn(fact)}*\n"
        f"Voor de vergadering van {list_meeting(meeting, today, tz)}."
    )
    blocks = [
        section(line),
        actions(
            button("Agendapunt voorstellen", ids.OPEN_PROPOSAL_FORM, meeting.overleg.key, style="primary")
        ),
        context(propose_hint(meeting.overleg.key)),
    ]
    return Reply(text=fact, blocks=blocks)


def build_meeting_reminder(meeting: MeetingRow, *, tz: ZoneInfo) -> Reply:
    """The morning of a meeting: time (or that it lasts all day) and place."""
    name = meeting_name(meeting)
    if has_clock_time(meeting, tz):
        moment = f"Vandaag om *{dutch_time(meeting.starts_at, tz)}*"
        short = f"Vandaag {dutch_time(meeting.starts_at, tz)}"
    else:
        moment = f"Vandaag (*{meeting_when(meeting, tz)}*)"
        short = f"Vandaag ({meeting_when(meeting, tz)})"
    line = f":calendar: {moment}: {name}{status_mark(meeting)} — {meeting_place(meeting)}."
    blocks = [section(line), context(f"De agenda: `/ivb agenda {meeting.overleg.key}`")]
    return Reply(text=f"{short}: {shown_title_plain(meeting)}", blocks=blocks)
