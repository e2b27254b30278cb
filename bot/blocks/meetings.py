"""Block Kit for meetings: `/ivb volgende`, `/ivb kalender` (also the Home tab's calendar modal), and the
sentence that names where a proposal goes (the confirmation and the dialogue say it the same way)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.help import propose_hint
from bot.blocks.kit import (
    BUTTON_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    actions,
    context,
    header,
    modal,
    plain,
    section,
    simple,
    truncate,
)
from bot.services.deadlines import agenda_deadline
from bot.services.meetings import NextMeeting, has_own_title, shown_title
from bot.text.dutch import dutch_month, plural
from bot.text.slack import escape_mrkdwn
from bot.text.when import dutch_deadline, dutch_deadline_short, meeting_when, meeting_when_short
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


def _deadline_lines(info: NextMeeting, tz: ZoneInfo) -> list[str]:
    lines: list[str] = []
    if info.deadline is None:
        lines.append(":information_source: Op deze bijeenkomst worden geen agendapunten behandeld.")
    elif not info.deadline_passed:
        deadline = dutch_deadline(info.deadline, tz)
        lines.append(f":hourglass_flowing_sand: Agendapunten aanleveren: uiterlijk *{deadline}*")
        return lines
    else:
        lines.append(f":hourglass: De agendadeadline was {dutch_deadline(info.deadline, tz)}.")
    if info.following is not None and info.following_deadline is not None:
        lines.append(
            f"Nieuwe voorstellen gaan naar {target_phrase(info.following, info.following_deadline, tz)}."
        )
    else:
        lines.append("Nieuwe voorstellen worden ingepland zodra er een volgende vergadering gepland is.")
    return lines


def build_next_meeting(info: NextMeeting, *, tz: ZoneInfo, admins: tuple[str, ...]) -> Reply:
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
    lines.extend(_deadline_lines(info, tz))
    if info.deadline is not None:
        lines.append(
            f":memo: {plural(info.proposal_count, 'agendavoorstel', 'agendavoorstellen')} tot nu toe"
        )
    blocks = [header(f"{info.overleg.name}: volgende vergadering"), section("\n".join(lines))]
    join = join_button(meeting)
    if join is not None:
        blocks.append(join)
    blocks.append(context(propose_hint(info.overleg.key)))
    fallback = f"{info.overleg.name}, volgende vergadering: {when}, {meeting.location or 'locatie volgt'}"
    return Reply(text=fallback, blocks=blocks)


def calendar_line(meeting: MeetingRow, tz: ZoneInfo) -> str:
    """`• *ma 7 dec 2026 10:00* Integraal Veiligheidsberaad — VGG _(agendapunten uiterlijk ma 23 nov)_`."""
    line = (
        f"• *{meeting_when_short(meeting, tz)}* {meeting_name(meeting)}{status_mark(meeting)}"
        f" — {meeting_place(meeting)}"
    )
    if meeting.takes_proposals and meeting.status != MeetingStatus.GEANNULEERD:
        line += f" _(agendapunten uiterlijk {dutch_deadline_short(agenda_deadline(meeting, tz=tz), tz)})_"
    return line


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
        lines.append(calendar_line(meeting, tz))
    for month, month_lines in month_sections[: MESSAGE_BLOCK_LIMIT - 3]:
        blocks.append(section(f"*{month}*\n" + "\n".join(month_lines)))
    if total > len(meetings):
        blocks.append(context(f"{len(meetings)} van {total} vergaderingen getoond."))
    return Reply(text=f"{title}: {plural(len(meetings), 'vergadering', 'vergaderingen')}", blocks=blocks)


def build_calendar_modal(reply: Reply) -> dict[str, Any]:
    """The Home tab's "Kalender" button: the same list in a modal."""
    return modal("Kalender", reply.blocks, close="Sluiten")
