"""Block Kit for what a calendar import changed for people: a proposer whose proposals moved to another
meeting, someone with open items on a meeting that moved, and the secretariaat's summary."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.blocks.kit import MESSAGE_BLOCK_LIMIT, Block, Reply, clip, context, section, sections_of
from bot.blocks.meetings import meeting_phrase
from bot.services.proposals import STATE_WORDS, ref
from bot.services.rehoming import Rehomed, Rescheduled
from bot.text.dutch import plural, with_article
from bot.text.slack import escape_mrkdwn
from bot.text.when import meeting_when, meeting_when_short
from storage.models import MeetingStatus, ProposalState
from storage.queries.rows import MeetingRow

SUMMARY_LINES = 30


def _why(meeting: MeetingRow | None) -> str:
    if meeting is None:
        return "had nog geen vergadering"
    if meeting.status == MeetingStatus.GEANNULEERD:
        return "geannuleerd"
    return "behandelt geen agendapunten"


def _rehomed_line(item: Rehomed, tz: ZoneInfo) -> str:
    title = f"*{ref(item.proposal_id)} {clip(item.title, 150)}*"
    old = (
        f"{meeting_phrase(item.from_meeting, tz)} ({_why(item.from_meeting)})"
        if item.from_meeting is not None
        else "nog geen vergadering"
    )
    if item.to_meeting is None:
        new = "nog geen vergadering: het wordt ingepland zodra de volgende vergadering gepland is"
    else:
        new = meeting_phrase(item.to_meeting, tz)
    line = f"• {title}: van {old} naar {new}."
    if item.from_state == ProposalState.GEAGENDEERD:
        line += " Het stond op de agenda; het secretariaat agendeert het opnieuw."
    return line


def build_proposals_moved_dm(items: Sequence[Rehomed], *, tz: ZoneInfo) -> Reply:
    """To one proposer: which of their proposals go to another meeting, from which to which."""
    overleg = escape_mrkdwn(items[0].overleg_name)
    opening = (
        f":calendar: De agenda van {with_article(overleg)} is gewijzigd. "
        + ("Je voorstel gaat" if len(items) == 1 else "Je voorstellen gaan")
        + " naar een andere vergadering:"
    )
    lines = [_rehomed_line(item, tz) for item in items]
    blocks = sections_of(lines, title=opening)[: MESSAGE_BLOCK_LIMIT - 1]
    blocks.append(
        context("Vragen? Neem contact op met het secretariaat. Alles wat open staat: `/ivb open mijn`")
    )
    count = plural(len(items), "voorstel", "voorstellen")
    text = f"{count} naar een andere vergadering ({items[0].overleg_name})"
    return Reply(text=text, blocks=blocks)


def build_meeting_moved_dm(change: Rescheduled, person: str, *, tz: ZoneInfo) -> Reply:
    """To one person with open items on a meeting that moved: the old and the new date, and their items."""
    after = change.after
    name = escape_mrkdwn(after.overleg.name)
    line = (
        f":calendar: De vergadering van {with_article(name)} is verplaatst: van "
        f"*{meeting_when(change.before, tz)}* naar *{meeting_when(after, tz)}*."
    )
    mine = [
        f"• voorstel *{ref(pid)} {clip(title, 150)}*" for pid, title, who in change.proposals if who == person
    ]
    mine += [f"• actiepunt: {clip(text, 150)}" for _, text, who in change.actions if who == person]
    blocks: list[Block] = [section(line)]
    blocks += sections_of(mine, title="Dit staat van jou op die vergadering:")[: MESSAGE_BLOCK_LIMIT - 2]
    if after.location:
        blocks.append(context(f"Locatie: {escape_mrkdwn(after.location)}"))
    text = f"{after.overleg.name} verplaatst naar {meeting_when(after, tz)}"
    return Reply(text=text, blocks=blocks)


def build_secretariaat_summary(
    rehomed: Sequence[Rehomed], moved: Sequence[Rescheduled], *, tz: ZoneInfo
) -> Reply:
    """One message for the secretariaat: every proposal that moved, and the moved meetings with open items."""
    lines = []
    for item in rehomed[:SUMMARY_LINES]:
        old = meeting_when_short(item.from_meeting, tz) if item.from_meeting else "geen vergadering"
        new = meeting_when_short(item.to_meeting, tz) if item.to_meeting else "nog geen vergadering"
        state = STATE_WORDS[item.to_state]
        if item.to_state != item.from_state:
            state = f"{STATE_WORDS[item.from_state]} → {state}"
        lines.append(
            f"• *{ref(item.proposal_id)} {clip(item.title, 100)}* (<@{item.proposer_id}>, "
            f"{escape_mrkdwn(item.overleg_name)}): {old} → {new}, _{state}_"
        )
    more = f"… en {len(rehomed) - SUMMARY_LINES} meer: `/ivb open`" if len(rehomed) > SUMMARY_LINES else ""
    blocks: list[Block] = []
    if lines:
        title = ":arrows_counterclockwise: *Voorstellen naar een andere vergadering* (de hunne viel weg):"
        blocks += sections_of(lines, title=title, more=more)
    moved_lines = [
        f"• {escape_mrkdwn(m.after.overleg.name)}: {meeting_when_short(m.before, tz)} → "
        f"{meeting_when_short(m.after, tz)} ({plural(len(m.people), 'persoon', 'personen')} bericht)"
        for m in moved[:SUMMARY_LINES]
    ]
    if moved_lines:
        blocks += sections_of(moved_lines, title=":calendar: *Verplaatste vergaderingen met open punten:*")
    blocks.append(
        context("Aangehouden voorstellen kun je opnieuw agenderen in hun reviewbericht of met `/ivb open`.")
    )
    text = (
        f"Agenda bijgewerkt: {plural(len(rehomed), 'voorstel', 'voorstellen')} naar een andere vergadering, "
        f"{plural(len(moved), 'verplaatste vergadering', 'verplaatste vergaderingen')} met open punten"
    )
    return Reply(text=text, blocks=blocks[:MESSAGE_BLOCK_LIMIT])
