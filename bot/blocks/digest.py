"""Block Kit for the digest and the reminders: pure functions, Dutch, always within Slack's limits."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.blocks.help import propose_hint
from bot.blocks.kit import MESSAGE_BLOCK_LIMIT, Block, Reply, context, header, section, sections_of, truncate
from bot.blocks.meetings import meeting_name, meeting_place, status_mark
from bot.services.digest import Digest, DigestProposal
from bot.services.meetings import shown_title as shown_title_plain
from bot.text.dutch import days_phrase, dutch_datetime, dutch_short_date, dutch_time, plural, with_article
from bot.text.slack import escape_mrkdwn, mention
from bot.text.when import deadline_day, dutch_deadline, has_clock_time, meeting_day_short, meeting_when
from storage.models import ProposalState
from storage.queries.rows import MeetingRow


def _sections(title: str, lines: list[str], more: str = "") -> list[Block]:
    """A titled list as one or more sections, each within Slack's 3,000 characters."""
    return sections_of(lines, title=f"*{title}*", more=more)


def _more(shown: int, total: int, one: str, many: str, where: str = "") -> str:
    rest = total - shown
    if rest <= 0:
        return ""
    return f"… en {rest} {'andere ' if shown else ''}{one if rest == 1 else many}{where}."


def _meeting_line(meeting: MeetingRow, tz: ZoneInfo) -> str:
    return (
        f"• *{meeting_when(meeting, tz, with_end=True)}* {meeting_name(meeting)}{status_mark(meeting)}"
        f" — {meeting_place(meeting)}"
    )


def _proposal_line(proposal: DigestProposal, tz: ZoneInfo) -> str:
    state = "" if proposal.state == ProposalState.INGEDIEND else f" _({proposal.state.value})_"
    title = escape_mrkdwn(truncate(proposal.title, 150))
    day = dutch_short_date(proposal.created_at, tz)
    return f"• {title} — {escape_mrkdwn(proposal.overleg_name)}, {day}{state}"


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
                f"• *{dutch_deadline(d.deadline, tz)}* {escape_mrkdwn(d.overleg_name)}"
                f" _(vergadering {meeting_day_short(d.meeting, tz)})_"
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
        blocks += _action_sections(digest, tz)
    blocks.append(context("Alles wat openstaat: `/ivb open` · de hele kalender: `/ivb kalender`"))
    fallback = (
        f"{title}: {plural(digest.meetings_total, 'vergadering', 'vergaderingen')}, "
        f"{plural(digest.deadlines_total, 'deadline', 'deadlines')}, "
        f"{plural(digest.proposals_total, 'nieuw voorstel', 'nieuwe voorstellen')}, "
        f"{plural(digest.actions_total, 'actiepunt', 'actiepunten')}"
    )
    assert len(blocks) <= MESSAGE_BLOCK_LIMIT
    return Reply(text=fallback, blocks=blocks)


def _action_sections(digest: Digest, tz: ZoneInfo) -> list[Block]:
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
    return _sections(
        f":white_check_mark: Actiepunten{overdue}",
        lines,
        _more(len(digest.actions), digest.actions_total, "actiepunt", "actiepunten", ": `/ivb open`"),
    )


def build_deadline_reminder(meeting: MeetingRow, *, deadline: datetime, tz: ZoneInfo, now: datetime) -> Reply:
    """`Nog 2 dagen`: the agenda deadline of an overleg's next meeting is coming."""
    name = escape_mrkdwn(meeting.overleg.name)
    days = (deadline_day(deadline, tz) - now.astimezone(tz).date()).days
    when = days_phrase(max(days, 0))
    line = (
        f":hourglass_flowing_sand: De agendadeadline voor {with_article(name)} van "
        f"*{meeting_when(meeting, tz)}* is {when}: agendapunten uiterlijk *{dutch_deadline(deadline, tz)}*."
    )
    blocks = [section(line), context(propose_hint(meeting.overleg.key))]
    return Reply(text=f"Agendadeadline {meeting.overleg.name}: {dutch_deadline(deadline, tz)}", blocks=blocks)


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
