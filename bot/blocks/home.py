"""Block Kit for the App Home tab: next meetings, my proposals, my action points. Bounded by construction."""

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
    divider,
    header,
    section,
    sections_of,
)
from bot.blocks.meetings import meeting_name
from bot.services.home import HomeData
from bot.services.meetings import NextMeeting, has_own_title
from bot.services.open_items import age_days
from bot.services.proposals import STATE_WORDS
from bot.text.dutch import age_phrase, meeting_label
from bot.text.slack import escape_mrkdwn
from bot.text.when import dutch_deadline, meeting_when, meeting_when_short


def next_meeting_line(info: NextMeeting, tz: ZoneInfo) -> str:
    name = escape_mrkdwn(info.overleg.name)
    if info.meeting is None:
        return f"• *{name}*: nog niet gepland"
    title = f" ({meeting_name(info.meeting)})" if has_own_title(info.meeting) else ""
    if info.deadline is not None and not info.deadline_passed:
        deadline = f"deadline {dutch_deadline(info.deadline, tz)}"
    elif info.following is not None and info.following_deadline is not None:
        deadline = f"voorstellen naar {meeting_when_short(info.following, tz)}, deadline " + dutch_deadline(
            info.following_deadline, tz
        )
    else:
        deadline = "deadline verstreken" if info.deadline is not None else "geen agendapunten"
    return f"• *{name}*: {meeting_when(info.meeting, tz)}{title} — _{deadline}_"


def build_home(data: HomeData, *, viewer: Viewer, today: date, tz: ZoneInfo) -> dict[str, Any]:
    """The Home tab: next meetings, my open proposals, my open action points. Bounded by construction."""
    blocks: list[Block] = [
        header("VGG-bot"),
        actions(
            button("Agendapunt voorstellen", ids.OPEN_PROPOSAL_FORM, "home", style="primary"),
            button("Kalender", ids.SHOW_CALENDAR, "home"),
        ),
        header("Volgende vergaderingen"),
        section("\n".join(next_meeting_line(i, tz) for i in data.next_meetings) or "Nog niets gepland."),
        divider(),
        header("Mijn voorstellen"),
    ]
    if data.proposals:
        lines = [
            f"• {clip(p.title, 150)} — _{STATE_WORDS[p.state]}_ ({escape_mrkdwn(p.overleg_name)}, "
            f"{meeting_label(p.meeting_starts_at, tz)}), "
            f"{age_phrase(age_days(p.created_at, today=today, tz=tz))}"
            for p in data.proposals
        ]
        blocks.extend(sections_of(lines))
        if data.proposal_total > len(data.proposals):
            blocks.append(
                context(f"{len(data.proposals)} van {data.proposal_total} getoond; alles: `/ivb open mijn`.")
            )
    else:
        blocks.append(section("Je hebt geen openstaande voorstellen."))
    blocks += [divider(), header("Mijn actiepunten")]
    if data.actions:
        blocks.extend(action_blocks(data.actions, viewer=viewer, today=today, tz=tz))
        if data.action_total > len(data.actions):
            blocks.append(
                context(f"{len(data.actions)} van {data.action_total} getoond; alles: `/ivb open mijn`.")
            )
    else:
        blocks.append(section("Je hebt geen open actiepunten. :tada:"))
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}
