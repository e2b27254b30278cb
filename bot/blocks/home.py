"""Block Kit for the App Home tab: my action points, my proposals, then the coming meetings in date order.
Bounded by construction (at most 100 blocks)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.action_points import Viewer, action_blocks
from bot.blocks.kit import (
    VIEW_BLOCK_LIMIT,
    Block,
    actions,
    button,
    clip,
    context,
    header,
    section,
    sections_of,
)
from bot.blocks.meetings import meeting_name
from bot.blocks.open_items import meeting_heading
from bot.services.home import HomeData
from bot.services.meetings import NextMeeting, has_own_title
from bot.services.proposals import STATE_WORDS, ref
from bot.text.dutch import number, relative_day
from bot.text.slack import escape_mrkdwn
from bot.text.when import deadline_day, list_deadline, list_meeting


def next_meeting_line(info: NextMeeting, *, today: date, tz: ZoneInfo) -> str:
    """`• *ma 22 mrt 09:30* IVB · _deadline ma 8 mrt 09:30 (over 7 dagen)_`: short name, short dates."""
    assert info.meeting is not None
    name = escape_mrkdwn(info.overleg.label)
    title = f": {meeting_name(info.meeting)}" if has_own_title(info.meeting) else ""
    when = list_meeting(info.meeting, today, tz)
    if info.deadline is None:
        return f"• *{when}* {name}{title} · _geen agendapunten_"
    if info.deadline_passed:
        if info.following is not None and info.following_deadline is not None:
            later = list_meeting(info.following, today, tz)
            return f"• *{when}* {name}{title} · _deadline voorbij; nieuwe voorstellen naar {later}_"
        return f"• *{when}* {name}{title} · _deadline voorbij_"
    soon = relative_day(deadline_day(info.deadline, tz), today)
    deadline = list_deadline(info.deadline, today, tz) + (f" ({soon})" if soon else "")
    return f"• *{when}* {name}{title} · _deadline {deadline}_"


def meeting_lines(infos: list[NextMeeting], *, today: date, tz: ZoneInfo) -> list[str]:
    """The next meeting of each overleg, soonest first; those with nothing planned in one line at the end."""
    planned = sorted((i.meeting.starts_at, n, i) for n, i in enumerate(infos) if i.meeting is not None)
    lines = [next_meeting_line(info, today=today, tz=tz) for _, _, info in planned]
    unplanned = [escape_mrkdwn(i.overleg.label) for i in infos if i.meeting is None]
    if unplanned:
        lines.append("_Nog niet gepland: " + ", ".join(unplanned) + "_")
    return lines or ["Nog niets gepland."]


def build_home(data: HomeData, *, viewer: Viewer, today: date, tz: ZoneInfo) -> dict[str, Any]:
    """The Home tab: my action points first, then my proposals, then the coming meetings in date order."""
    blocks: list[Block] = [
        actions(
            button("Agendapunt voorstellen", ids.OPEN_PROPOSAL_FORM, "home", style="primary"),
            button("Kalender", ids.SHOW_CALENDAR, "home"),
        ),
        header("Mijn actiepunten"),
    ]
    if data.actions:
        blocks += action_blocks(data.actions, viewer=viewer, today=today, with_owner=False)
        blocks += _more(len(data.actions), data.action_total)
    else:
        blocks.append(section("Je hebt geen open actiepunten. :tada:"))
    blocks.append(header("Mijn voorstellen"))
    if data.proposals:
        lines = [
            f"• *{ref(p.id)}* {clip(p.title, 150)} · _{STATE_WORDS[p.state]}_ · "
            + meeting_heading(p, today=today, tz=tz, bold=False)
            for p in data.proposals
        ]
        blocks += sections_of(lines)
        blocks += _more(len(data.proposals), data.proposal_total)
    else:
        blocks.append(section("Je hebt geen openstaande voorstellen."))
    blocks += [
        header("Volgende vergaderingen"),
        *sections_of(meeting_lines(data.next_meetings, today=today, tz=tz)),
    ]
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}


def _more(shown: int, total: int) -> list[Block]:
    if total <= shown:
        return []
    return [context(f"{number(shown)} van {number(total)} getoond; alles: `/ivb open mijn`.")]
