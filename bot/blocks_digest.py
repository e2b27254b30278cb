"""Block Kit for the digest and the reminders: pure functions, Dutch, always within Slack's limits."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.blocks import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_LIMIT,
    Block,
    Reply,
    context,
    header,
    meeting_place,
    meeting_when,
    section,
    status_mark,
    truncate,
)
from bot.calendar import with_article
from bot.digest import Digest
from bot.formatting import dutch_date, dutch_datetime, dutch_short_date, dutch_time, escape_mrkdwn, plural
from storage.models import AgendaProposal, Meeting, ProposalState

LINE_LIMIT = 280  # one list line; keeps each section far below 3,000 characters
_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,20}")

_STATE_WORDS = {
    ProposalState.INGEDIEND: "ingediend",
    ProposalState.GEAGENDEERD: "geagendeerd",
    ProposalState.AANGEHOUDEN: "aangehouden",
    ProposalState.AFGEWEZEN: "afgewezen",
    ProposalState.INGETROKKEN: "ingetrokken",
    ProposalState.BEHANDELD: "behandeld",
}


def mention(user_id: str) -> str:
    """`<@U…>` for a real Slack user id; anything else is shown as (escaped) text."""
    return f"<@{user_id}>" if _SLACK_ID.fullmatch(user_id) else escape_mrkdwn(user_id)


def _sections(title: str, lines: list[str], more: str = "") -> list[Block]:
    """A titled list as one or more sections, each within Slack's 3,000 characters."""
    blocks: list[Block] = []
    chunk = f"*{title}*"
    for line in [truncate(line, LINE_LIMIT) for line in lines]:
        if len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(section(chunk))
            chunk = line
        else:
            chunk += "\n" + line
    blocks.append(section(chunk))
    if more:
        blocks.append(context(more))
    return blocks


def _more(shown: int, total: int, one: str, many: str, where: str = "") -> str:
    rest = total - shown
    if rest <= 0:
        return ""
    return f"… en {rest} {'andere ' if shown else ''}{one if rest == 1 else many}{where}."


def _meeting_line(meeting: Meeting, tz: ZoneInfo) -> str:
    return (
        f"• *{meeting_when(meeting, tz)}* {escape_mrkdwn(meeting.overleg.name)}{status_mark(meeting)}"
        f" — {meeting_place(meeting)}"
    )


def _proposal_line(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    state = "" if proposal.state == ProposalState.INGEDIEND else f" _({_STATE_WORDS[proposal.state]})_"
    title = escape_mrkdwn(truncate(proposal.title, 150))
    day = dutch_short_date(proposal.created_at, tz)
    return f"• {title} — {escape_mrkdwn(proposal.overleg.name)}, {day}{state}"


def build_digest_message(digest: Digest, *, tz: ZoneInfo) -> Reply:
    """The digest post: meetings, deadlines, new proposals and action points; empty says so in one line."""
    period = f"{dutch_short_date(digest.at, tz)} t/m {dutch_short_date(digest.until, tz)}"
    title = f"Bestuurlijke jaarkalender: {digest.weeks_ahead} weken vooruit"
    if digest.empty:
        line = (
            f":calendar: Geen vergaderingen, deadlines, nieuwe voorstellen of openstaande actiepunten "
            f"in de komende {digest.weeks_ahead} weken ({period})."
        )
        return Reply(text=line, blocks=[section(line)])
    blocks: list[Block] = [header(title), context(f"{period} · vanaf {dutch_datetime(digest.at, tz)}")]
    if digest.meetings_total:
        blocks += _sections(
            ":calendar: Vergaderingen",
            [_meeting_line(m, tz) for m in digest.meetings],
            _more(
                len(digest.meetings),
                digest.meetings_total,
                "vergadering",
                "vergaderingen",
                ": `/ivb kalender`",
            ),
        )
    if digest.deadlines_total:
        blocks += _sections(
            ":hourglass_flowing_sand: Agendadeadlines",
            [
                f"• *{dutch_datetime(d.deadline, tz)}* {escape_mrkdwn(d.overleg_name)}"
                f" _(vergadering {dutch_short_date(d.meeting_start, tz)})_"
                for d in digest.deadlines
            ],
            _more(
                len(digest.deadlines), digest.deadlines_total, "deadline", "deadlines", ": `/ivb kalender`"
            ),
        )
    if digest.proposals_total:
        blocks += _sections(
            f":memo: Nieuwe agendavoorstellen sinds {dutch_short_date(digest.since, tz)}",
            [_proposal_line(p, tz) for p in digest.proposals],
            _more(len(digest.proposals), digest.proposals_total, "voorstel", "voorstellen", ": `/ivb open`"),
        )
    if digest.actions_total:
        today = digest.at.astimezone(tz).date()
        lines = []
        for action in digest.actions:
            assert action.due_date is not None
            late = " :warning: _te laat_" if action.due_date < today else ""
            lines.append(
                f"• {escape_mrkdwn(truncate(action.text, 150))} — {mention(action.owner_id)}, "
                f"uiterlijk {dutch_short_date(action.due_date)}{late}"
            )
        overdue = f" ({digest.overdue_total} te laat)" if digest.overdue_total else ""
        blocks += _sections(
            f":white_check_mark: Actiepunten{overdue}",
            lines,
            _more(len(digest.actions), digest.actions_total, "actiepunt", "actiepunten", ": `/ivb open`"),
        )
    blocks.append(context("Alles wat openstaat: `/ivb open` · de hele kalender: `/ivb kalender`"))
    fallback = (
        f"{title}: {plural(digest.meetings_total, 'vergadering', 'vergaderingen')}, "
        f"{plural(digest.deadlines_total, 'deadline', 'deadlines')}, "
        f"{plural(digest.proposals_total, 'nieuw voorstel', 'nieuwe voorstellen')}, "
        f"{plural(digest.actions_total, 'actiepunt', 'actiepunten')}"
    )
    assert len(blocks) <= MESSAGE_BLOCK_LIMIT
    return Reply(text=fallback, blocks=blocks)


def build_deadline_reminder(meeting: Meeting, *, deadline: datetime, tz: ZoneInfo, now: datetime) -> Reply:
    """`Nog 2 dagen`: the agenda deadline of an overleg's next meeting is coming."""
    name = escape_mrkdwn(meeting.overleg.name)
    days = (deadline.astimezone(tz).date() - now.astimezone(tz).date()).days
    when = "vandaag" if days <= 0 else ("morgen" if days == 1 else f"over {days} dagen")
    line = (
        f":hourglass_flowing_sand: De agendadeadline voor {with_article(name)} van "
        f"*{dutch_date(meeting.starts_at, tz)}* is {when}: *{dutch_datetime(deadline, tz)}*."
    )
    blocks = [
        section(line),
        context("Iets agenderen? `/ivb voorstel <titel>` of stuur mij `agendapunt: <titel>`."),
    ]
    return Reply(text=f"Agendadeadline {meeting.overleg.name}: {dutch_datetime(deadline, tz)}", blocks=blocks)


def build_meeting_reminder(meeting: Meeting, *, tz: ZoneInfo) -> Reply:
    """The morning of a meeting: time and place."""
    name = escape_mrkdwn(meeting.overleg.name)
    line = (
        f":calendar: Vandaag om *{dutch_time(meeting.starts_at, tz)}*: {name}{status_mark(meeting)}"
        f" — {meeting_place(meeting)}."
    )
    blocks = [section(line), context("De agenda: `/ivb agenda`")]
    return Reply(text=f"Vandaag {dutch_time(meeting.starts_at, tz)}: {meeting.overleg.name}", blocks=blocks)
