"""Block Kit builders: pure functions from plain values to Slack payloads, in Dutch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar import NextMeeting, agenda_deadline
from bot.formatting import dutch_datetime, dutch_month, dutch_short_date, dutch_time, escape_mrkdwn, plural
from storage.models import Meeting, MeetingStatus, Overleg

Block = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100


@dataclass
class Reply:
    """A message: fallback text (notifications, screen readers) plus blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_message(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, HEADER_LIMIT), "emoji": True},
    }


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_LIMIT)}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_LIMIT)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, 75), "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def simple(text: str) -> Reply:
    """A one-line answer (errors, confirmations)."""
    return Reply(text=text, blocks=[section(text)])


def admin_mentions(admin_ids: tuple[str, ...]) -> str:
    if not admin_ids:
        return "het secretariaat van de VGG"
    return "het secretariaat (" + ", ".join(f"<@{uid}>" for uid in admin_ids[:5]) + ")"


def meeting_place(meeting: Meeting) -> str:
    return escape_mrkdwn(meeting.location) if meeting.location else "locatie volgt"


def meeting_when(meeting: Meeting, tz: ZoneInfo) -> str:
    if meeting.all_day:
        return dutch_short_date(meeting.starts_at, tz) + " (hele dag)"
    when = dutch_datetime(meeting.starts_at, tz)
    if meeting.ends_at is not None:
        when += "–" + dutch_time(meeting.ends_at, tz)
    return when


def status_mark(meeting: Meeting) -> str:
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
        lines.append(
            f":hourglass_flowing_sand: Agendapunten aanleveren tot *{dutch_datetime(info.deadline, tz)}*"
        )
    else:
        lines.append(f":hourglass: De agendadeadline was {dutch_datetime(info.deadline, tz)}.")
        if info.following is not None and info.following_deadline is not None:
            lines.append(
                "Nieuwe voorstellen gaan naar de vergadering van "
                f"*{dutch_datetime(info.following.starts_at, tz)}* "
                f"(deadline {dutch_datetime(info.following_deadline, tz)})."
            )
        else:
            lines.append("Nieuwe voorstellen worden meegenomen zodra de volgende vergadering gepland is.")
    lines.append(f":memo: {proposals} tot nu toe")
    blocks = [
        header(f"{info.overleg.name}: volgende vergadering"),
        section("\n".join(lines)),
        context("Iets agenderen? `/ivb voorstel <titel>` of stuur mij `agendapunt: <titel>`."),
    ]
    fallback = f"{info.overleg.name}, volgende vergadering: {when}, {meeting.location or 'locatie volgt'}"
    return Reply(text=fallback, blocks=blocks)


def build_calendar(
    meetings: list[Meeting], *, tz: ZoneInfo, total: int, title: str = "Komende vergaderingen"
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
            f" _(deadline {dutch_short_date(deadline, tz)})_"
        )
    for month, month_lines in month_sections[: MESSAGE_BLOCK_LIMIT - 3]:
        blocks.append(section(f"*{month}*\n" + "\n".join(month_lines)))
    if total > len(meetings):
        blocks.append(context(f"{len(meetings)} van {total} vergaderingen getoond."))
    return Reply(text=f"{title}: {plural(len(meetings), 'vergadering', 'vergaderingen')}", blocks=blocks)


HELP_LINES = (
    ("/ivb volgende [overleg]", "wanneer is het volgende overleg, en tot wanneer kun je iets agenderen"),
    ("/ivb agenda [overleg]", "de agenda van de volgende vergadering"),
    ("/ivb voorstel [titel]", "een agendapunt voorstellen (zonder titel opent een formulier)"),
    ("/ivb open [mijn|overleg]", "openstaande voorstellen en actiepunten"),
    ("/ivb actie @persoon <tekst> [voor <datum>]", "actiepunt vastleggen (secretariaat)"),
    ("/ivb kalender", "alle komende vergaderingen"),
    ("/ivb kalender abonneren", "je eigen agenda-link voor Outlook of Google (`intrekken` stopt hem)"),
    ("/ivb help", "deze uitleg"),
)


def build_help(overleggen: list[Overleg], *, unknown: str = "") -> Reply:
    intro = ""
    if unknown:
        intro = f"Dat commando ken ik niet (`{escape_mrkdwn(truncate(unknown, 40))}`). Dit kan ik wel:\n"
    commands = "\n".join(f"• `{cmd}` — {what}" for cmd, what in HELP_LINES)
    keys = ", ".join(f"`{o.key}` ({escape_mrkdwn(o.name)})" for o in overleggen)
    blocks = [
        section(intro + "*Wat kan VGG-bot?*\n" + commands),
        section(
            "*Voorstellen in een gesprek*\nStuur mij een bericht of noem mij in een kanaal: "
            "`agendapunt: <titel>` stelt meteen iets voor; _ik wil iets agenderen_ start een kort gesprek."
        ),
        context(f"Overleggen: {keys}. Engelse woorden werken ook (`next`, `calendar`, `help`)."),
    ]
    return Reply(text="Hulp bij VGG-bot: /ivb volgende, agenda, voorstel, open, kalender", blocks=blocks)


def build_unknown_overleg(word: str, overleggen: list[Overleg]) -> Reply:
    keys = ", ".join(f"`{o.key}`" for o in overleggen)
    return simple(f"Ik ken geen overleg `{escape_mrkdwn(truncate(word, 60))}`. Kies uit: {keys}.")


def build_unavailable() -> Reply:
    return simple(
        ":warning: De agenda is tijdelijk niet beschikbaar. Probeer het over een minuut opnieuw; "
        "blijft het zo, meld het dan bij het secretariaat."
    )


def build_error() -> Reply:
    return simple(
        ":warning: Er ging iets mis aan mijn kant. Probeer het opnieuw; "
        "blijft het zo, meld het dan bij het secretariaat."
    )


def format_moment(moment: datetime, tz: ZoneInfo) -> str:
    return dutch_datetime(moment, tz)
