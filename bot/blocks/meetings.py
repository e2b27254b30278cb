"""Block Kit for meetings: `/ivb volgende`, `/ivb kalender` (also the Home tab's calendar modal)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.help import propose_hint
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    context,
    header,
    modal,
    section,
    simple,
)
from bot.services.meetings import NextMeeting, agenda_deadline
from bot.text.dutch import dutch_datetime, dutch_month, dutch_short_date, dutch_time, plural
from bot.text.slack import escape_mrkdwn
from storage.models import MeetingStatus
from storage.queries.rows import MeetingRow


def admin_mentions(admin_ids: tuple[str, ...]) -> str:
    if not admin_ids:
        return "het secretariaat van de VGG"
    return "het secretariaat (" + ", ".join(f"<@{uid}>" for uid in admin_ids[:5]) + ")"


def meeting_place(meeting: MeetingRow) -> str:
    return escape_mrkdwn(meeting.location) if meeting.location else "locatie volgt"


def meeting_when(meeting: MeetingRow, tz: ZoneInfo) -> str:
    if meeting.all_day:
        return dutch_short_date(meeting.starts_at, tz) + " (hele dag)"
    when = dutch_datetime(meeting.starts_at, tz)
    if meeting.ends_at is not None:
        when += "–" + dutch_time(meeting.ends_at, tz)
    return when


def status_mark(meeting: MeetingRow) -> str:
    if meeting.status == MeetingStatus.GEANNULEERD:
        return " ~geannuleerd~"
    if meeting.status == MeetingStatus.VERPLAATST:
        return " _(verplaatst)_"
    return ""


def build_next_meeting(info: NextMeeting, *, tz: ZoneInfo, admins: tuple[str, ...]) -> Reply:
    name = escape_mrkdwn(info.overleg.name)
    if info.meeting is None or info.deadline is None:
        text = (
            f"Er staat nog geen {name} gepland. Vraag {admin_mentions(admins)} naar de volgende datum, "
            "of kijk met `/ivb kalender` wat er wel gepland is."
        )
        return Reply(text=f"Er staat nog geen {info.overleg.name} gepland.", blocks=[section(text)])
    meeting = info.meeting
    when = meeting_when(meeting, tz)
    lines = [
        f":calendar: *{when}*{status_mark(meeting)}",
        f":round_pushpin: {meeting_place(meeting)}",
    ]
    proposals = plural(info.proposal_count, "agendavoorstel", "agendavoorstellen")
    if not info.deadline_passed:
        deadline = dutch_datetime(info.deadline, tz)
        lines.append(f":hourglass_flowing_sand: Agendapunten aanleveren: *uiterlijk {deadline}*")
    else:
        lines.append(f":hourglass: De agendadeadline was {dutch_datetime(info.deadline, tz)}.")
        if info.following is not None and info.following_deadline is not None:
            lines.append(
                "Nieuwe voorstellen gaan naar de vergadering van "
                f"*{dutch_datetime(info.following.starts_at, tz)}* "
                f"(uiterlijk {dutch_datetime(info.following_deadline, tz)})."
            )
        else:
            lines.append("Nieuwe voorstellen worden meegenomen zodra de volgende vergadering gepland is.")
    lines.append(f":memo: {proposals} tot nu toe")
    blocks = [
        header(f"{info.overleg.name}: volgende vergadering"),
        section("\n".join(lines)),
        context(propose_hint(info.overleg.key)),
    ]
    fallback = f"{info.overleg.name}, volgende vergadering: {when}, {meeting.location or 'locatie volgt'}"
    return Reply(text=fallback, blocks=blocks)


def build_calendar(
    meetings: list[MeetingRow], *, tz: ZoneInfo, total: int, title: str = "Komende vergaderingen"
) -> Reply:
    if not meetings:
        return simple(
            "Er zijn nog geen vergaderingen gepland. Het secretariaat kan de agenda importeren uit Outlook."
        )
    blocks: list[Block] = [header(title)]
    # One section per month keeps every section far below 3,000 characters.
    current_month = ""
    lines: list[str] = []
    month_sections: list[tuple[str, list[str]]] = []
    for meeting in meetings:
        month = dutch_month(meeting.starts_at, tz)
        if month != current_month:
            current_month = month
            lines = []
            month_sections.append((month, lines))
        deadline = agenda_deadline(meeting, tz=tz)
        lines.append(
            f"• *{dutch_short_date(meeting.starts_at, tz)}* {dutch_time(meeting.starts_at, tz)} "
            f"{escape_mrkdwn(meeting.overleg.name)}{status_mark(meeting)} — {meeting_place(meeting)}"
            f" _(agendapunten uiterlijk {dutch_short_date(deadline, tz)})_"
        )
    for month, month_lines in month_sections[: MESSAGE_BLOCK_LIMIT - 3]:
        blocks.append(section(f"*{month}*\n" + "\n".join(month_lines)))
    if total > len(meetings):
        blocks.append(context(f"{len(meetings)} van {total} vergaderingen getoond."))
    return Reply(text=f"{title}: {plural(len(meetings), 'vergadering', 'vergaderingen')}", blocks=blocks)


def build_calendar_modal(reply: Reply) -> dict[str, Any]:
    """The Home tab's "Kalender" button: the same list in a modal."""
    return modal("Kalender", reply.blocks, close="Sluiten")
