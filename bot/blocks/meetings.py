"""Block Kit for meetings: `/ivb volgende`, `/ivb kalender` (also the Home tab's calendar modal), and the
sentence that names where a proposal goes (the confirmation and the dialogue say it the same way)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import (
    BUTTON_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    actions,
    button,
    clip,
    context,
    header,
    modal,
    plain,
    section,
    sections_of,
    simple,
    truncate,
)
from bot.services.deadlines import agenda_deadline
from bot.services.meetings import CalendarPage, NextMeeting, has_own_title, shown_title
from bot.services.proposals import STATE_WORDS
from bot.text.dutch import dutch_month, list_date, number, plural
from bot.text.slack import escape_mrkdwn
from bot.text.when import (
    deadline_day,
    dutch_deadline,
    list_meeting,
    meeting_when,
    month_list_meeting,
    relative_deadline,
)
from storage.models import MeetingStatus
from storage.queries.rows import MeetingRow


def admin_mentions(admin_ids: tuple[str, ...]) -> str:
    if not admin_ids:
        return "het secretariaat van de VGG"
    return "het secretariaat (" + ", ".join(f"<@{uid}>" for uid in admin_ids[:5]) + ")"


def meeting_place(meeting: MeetingRow) -> str:
    return escape_mrkdwn(meeting.location) if meeting.location else "locatie volgt"


def meeting_name(meeting: MeetingRow) -> str:
    """Outlook's title where it tells the meeting apart, else the overleg's name; escaped."""
    return escape_mrkdwn(shown_title(meeting))


def status_mark(meeting: MeetingRow) -> str:
    if meeting.status == MeetingStatus.GEANNULEERD:
        return " ~geannuleerd~"
    if meeting.status == MeetingStatus.VERPLAATST:
        return " _(verplaatst)_"
    return ""


def meeting_phrase(meeting: MeetingRow, tz: ZoneInfo) -> str:
    """`de vergadering van *maandag 21 december 2026, 10:00*`, with Outlook's title when it has its own."""
    title = f" ({meeting_name(meeting)})" if has_own_title(meeting) else ""
    return f"de vergadering van *{meeting_when(meeting, tz)}*{title}"


def target_phrase(meeting: MeetingRow, deadline: datetime, tz: ZoneInfo) -> str:
    """Where a proposal made now goes, with its deadline: the same words in every answer."""
    return f"{meeting_phrase(meeting, tz)} (deadline {dutch_deadline(deadline, tz)})"


def join_button(meeting: MeetingRow) -> Block | None:
    """A link button to join the online meeting (Teams, Zoom, Webex), when Outlook gave one."""
    if not meeting.online_url.startswith("https://") or len(meeting.online_url) > 3000:
        return None
    return actions(
        {
            "type": "button",
            "text": plain(truncate("Online deelnemen", BUTTON_LIMIT)),
            "action_id": ids.JOIN_MEETING,
            "url": meeting.online_url,
        }
    )


def propose_button(overleg_key: str) -> dict[str, Any]:
    """ "Agendapunt voorstellen": opens the proposal form with this overleg chosen."""
    return button("Agendapunt voorstellen", ids.OPEN_PROPOSAL_FORM, overleg_key, style="primary")


def state_counts(info: NextMeeting) -> str:
    """`4 ingediend, 1 geagendeerd`: the words `/ivb agenda` and `/ivb open` use."""
    if not info.states:
        return "nog geen agendavoorstellen"
    return ", ".join(f"{number(count)} {STATE_WORDS[state]}" for state, count in info.states)


def _deadline_lines(info: NextMeeting, tz: ZoneInfo, now: datetime) -> tuple[list[str], str]:
    """The deadline lines under the meeting, and where new proposals go when that is another meeting
    (a bold line of its own: it is what the asker needs when the deadline has passed)."""
    if info.deadline is None:
        lines = [":information_source: Op deze bijeenkomst worden geen agendapunten behandeld."]
    elif not info.deadline_passed:
        soon = relative_deadline(info.deadline, now, tz)
        return [f":hourglass_flowing_sand: Agendapunten aanleveren: uiterlijk *{soon}*"], ""
    else:
        lines = [f":hourglass: De agendadeadline was {dutch_deadline(info.deadline, tz)}."]
    if info.following is not None and info.following_deadline is not None:
        name = escape_mrkdwn(info.following.overleg.label)
        when = list_meeting(info.following, now.astimezone(tz).date(), tz)
        soon = relative_deadline(info.following_deadline, now, tz)
        return lines, f":arrow_right: *Nieuwe voorstellen: {name} van {when}, uiterlijk {soon}*"
    return lines, "Nieuwe voorstellen worden ingepland zodra er een volgende vergadering gepland is."


def build_next_meeting(info: NextMeeting, *, tz: ZoneInfo, admins: tuple[str, ...], now: datetime) -> Reply:
    name = escape_mrkdwn(info.overleg.name)
    if info.meeting is None:
        text = (
            f"Er staat nog geen {name} gepland. Vraag {admin_mentions(admins)} naar de volgende datum, "
            "of kijk met `/ivb kalender` wat er wel gepland is."
        )
        return Reply(text=f"Er staat nog geen {info.overleg.name} gepland.", blocks=[section(text)])
    meeting = info.meeting
    when = meeting_when(meeting, tz, with_end=True)
    lines = [f":calendar: *{when}*{status_mark(meeting)}"]
    if has_own_title(meeting):
        lines.append(f":label: {meeting_name(meeting)}")
    lines.append(f":round_pushpin: {meeting_place(meeting)}")
    deadline_lines, onward = _deadline_lines(info, tz, now)
    lines.extend(deadline_lines)
    if info.deadline is not None:
        lines.append(f":memo: Voorstellen: {state_counts(info)}")
    blocks = [header(f"{info.overleg.name}: volgende vergadering"), section("\n".join(lines))]
    if onward:
        blocks.append(section(onward))
    buttons = []
    if info.deadline is not None or info.following is not None:
        buttons.append(propose_button(info.overleg.key))
    join = join_button(meeting)
    if join is not None:
        buttons += join["elements"]
    if buttons:
        blocks.append(actions(*buttons))
    fallback = f"{info.overleg.name}, volgende vergadering: {when}, {meeting.location or 'locatie volgt'}"
    if info.deadline is not None and not info.deadline_passed:
        fallback += f"; agendapunten uiterlijk {relative_deadline(info.deadline, now, tz)}"
    elif info.following_deadline is not None:
        fallback += f"; nieuwe voorstellen uiterlijk {relative_deadline(info.following_deadline, now, tz)}"
    return Reply(text=fallback, blocks=blocks)


def calendar_name(meeting: MeetingRow) -> str:
    """The overleg's short name; Outlook's own title after it when that tells the meeting apart."""
    label = escape_mrkdwn(meeting.overleg.label)
    return f"{label}: {clip(shown_title(meeting), 80)}" if has_own_title(meeting) else label


def calendar_line(meeting: MeetingRow, *, tz: ZoneInfo, now: datetime) -> str:
    """`• *di 8 dec 09:00* IVB · VGG, Groningen · _deadline vr 4 dec_`; a cancelled one struck."""
    when = month_list_meeting(meeting, tz)
    if meeting.status == MeetingStatus.GEANNULEERD:
        return f"• ~{when} {calendar_name(meeting)}~ · geannuleerd"
    line = f"• *{when}* {calendar_name(meeting)} · {meeting_place(meeting)}"
    if meeting.status == MeetingStatus.VERPLAATST:
        line += " · _verplaatst_"
    if meeting.takes_proposals:
        deadline = agenda_deadline(meeting, tz=tz)
        if deadline <= now:
            line += " · _deadline voorbij_"
        else:
            day = deadline_day(deadline, tz)
            line += f" · _deadline {list_date(day, meeting.starts_at.astimezone(tz).date())}_"
    return line


def calendar_more_value(page: CalendarPage) -> str:
    """Where "Meer" goes on: the overleg, the window's start and the offset in it."""
    assert page.next_start is not None
    key = page.overleg.key if page.overleg is not None else ""
    return json.dumps(
        {"s": key, "f": page.next_start.isoformat(), "o": page.next_offset}, separators=(",", ":")
    )


def parse_calendar_more(value: str) -> tuple[str, datetime | None, int]:
    """The overleg, start and offset of a "Meer" button; a forged or broken value starts from now."""
    try:
        data = json.loads(value)
        start = datetime.fromisoformat(str(data["f"]))
        offset = int(data.get("o", 0))
        key = str(data.get("s", ""))
    except (ValueError, TypeError, KeyError, AttributeError):
        return "", None, 0
    if start.tzinfo is None:
        return key[:60], None, 0
    return key[:60], start, max(0, min(offset, 100_000))


def _calendar_title(page: CalendarPage) -> str:
    return "Kalender" + (f" {page.overleg.label}" if page.overleg is not None else "")


def build_calendar(page: CalendarPage, *, tz: ZoneInfo, now: datetime, with_more: bool = True) -> Reply:
    """`/ivb kalender [overleg]`: eight weeks by month, the year only in the month headings; "Meer"
    replaces the message with the rest of the weeks or the next weeks."""
    title = _calendar_title(page)
    today = now.astimezone(tz).date()
    if not page.meetings:
        where = f" van {escape_mrkdwn(page.overleg.name)}" if page.overleg is not None else ""
        return simple(
            f"Er zijn nog geen vergaderingen{where} gepland. "
            "Het secretariaat kan de agenda importeren uit Outlook."
        )
    last = (page.end - timedelta(seconds=1)).astimezone(tz).date()
    span = f"{list_date(page.start, today, tz)} t/m {list_date(last, today)}"
    counted = plural(page.total, "vergadering", "vergaderingen")
    if page.offset or len(page.meetings) < page.total:
        counted = f"{page.offset + 1}–{page.offset + len(page.meetings)} van {page.total} vergaderingen"
    blocks: list[Block] = [header(title), context(f"{span} · {counted}")]
    for month, group in groupby(page.meetings, key=lambda m: dutch_month(m.starts_at, tz)):
        lines = [calendar_line(m, tz=tz, now=now) for m in group]
        blocks += sections_of(lines, title=f"*{month}*")
    blocks = blocks[: MESSAGE_BLOCK_LIMIT - 2]
    if page.next_start is not None:
        if with_more:
            if page.next_offset:
                label = f"Meer ({page.total - page.next_offset})"
            else:
                label = f"Meer: vanaf {list_date(page.next_start, today, tz)}"
            blocks.append(actions(button(label, ids.CALENDAR_MORE, calendar_more_value(page))))
        else:
            blocks.append(context("Verder vooruit: `/ivb kalender`."))
    text = f"{title}: {counted}, {span}"
    return Reply(text=text, blocks=blocks)


def build_calendar_modal(reply: Reply) -> dict[str, Any]:
    """The Home tab's "Kalender" button: the same list in a modal, whose title says "Kalender" once."""
    return modal("Kalender", [b for b in reply.blocks if b["type"] != "header"], close="Sluiten")
