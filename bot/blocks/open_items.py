"""Block Kit for `/ivb open`: open proposals grouped by overleg and meeting, then action points; paged."""

from __future__ import annotations

import json
from datetime import date
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.action_points import Viewer, action_blocks
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    actions,
    button,
    clip,
    context,
    divider,
    header,
    section,
    sections_of,
    simple,
    trail_line,
)
from bot.services.open_items import OpenPage, ProposalItem, age_days, is_overdue
from bot.services.proposals import STATE_WORDS
from bot.text.dutch import age_phrase, meeting_label, plural
from bot.text.slack import escape_mrkdwn


def proposal_line(item: ProposalItem, *, today: date, tz: ZoneInfo) -> str:
    """One open proposal; a confidential one is marked, a deferred one shows its trail."""
    lock = ":lock: " if item.confidential else ""
    return (
        f"• {lock}{clip(item.title, 150)} — _{STATE_WORDS[item.state]}_, door <@{item.proposer_id}>, "
        f"{age_phrase(age_days(item.created_at, today=today, tz=tz))}{trail_line(item.history, tz)}"
    )


def proposal_blocks(items: list[ProposalItem], *, today: date, tz: ZoneInfo) -> list[Block]:
    """One section per overleg and meeting (the page is already sorted that way)."""
    blocks: list[Block] = []
    for (name, _meeting_id, starts_at), group in groupby(
        items, key=lambda p: (p.overleg_name, p.meeting_id, p.meeting_starts_at)
    ):
        title = f"*{escape_mrkdwn(name)}* — {meeting_label(starts_at, tz)}"
        blocks.extend(sections_of([proposal_line(p, today=today, tz=tz) for p in group], title=title))
    return blocks


def more_value(offset: int, scope: str) -> str:
    return json.dumps({"o": offset, "s": scope}, separators=(",", ":"))


def parse_more_value(value: str) -> tuple[int, str]:
    """The offset and scope from a "meer" button; a forged or broken value starts from the top."""
    try:
        data = json.loads(value)
        offset = int(data.get("o", 0))
        scope = str(data.get("s", ""))
    except (ValueError, TypeError, AttributeError):
        return 0, ""
    return max(0, min(offset, 1_000_000)), scope[:60]


def build_open_items(
    page: OpenPage, *, viewer: Viewer, scope: str, scope_label: str, today: date, tz: ZoneInfo
) -> Reply:
    """`/ivb open`: proposals grouped by overleg and meeting, then action points; paged."""
    title = "Openstaand" + (f" — {scope_label}" if scope_label else "")
    if page.proposal_total == 0 and page.action_total == 0:
        return simple(f"*{escape_mrkdwn(title)}*\nNiets open. :tada:")
    blocks: list[Block] = [header(title)]
    first, last = page.offset + 1, page.offset + page.page_size
    if page.proposal_total:
        shown = len(page.proposals)
        blocks.append(section(f"*Agendavoorstellen* ({page.proposal_total} open)"))
        if shown:
            blocks.extend(proposal_blocks(page.proposals, today=today, tz=tz))
            if page.proposal_total > shown or page.offset:
                blocks.append(
                    context(f"Voorstellen {first}–{page.offset + shown} van {page.proposal_total}.")
                )
    if page.action_total:
        shown = len(page.actions)
        blocks.append(divider())
        overdue = sum(1 for a in page.actions if is_overdue(a, today=today))
        late = f", waarvan {overdue} te laat op deze pagina" if overdue else ""
        blocks.append(section(f"*Actiepunten* ({page.action_total} open{late})"))
        if shown:
            blocks.extend(action_blocks(page.actions, viewer=viewer, today=today, tz=tz))
            if page.action_total > shown or page.offset:
                blocks.append(context(f"Actiepunten {first}–{page.offset + shown} van {page.action_total}."))
    if page.has_more:
        blocks.append(
            actions(button(f"Meer (vanaf {last + 1})", ids.OPEN_MORE, more_value(page.next_offset, scope)))
        )
    blocks = blocks[:MESSAGE_BLOCK_LIMIT]
    text = (
        f"{title}: {plural(page.proposal_total, 'agendavoorstel', 'agendavoorstellen')}, "
        f"{plural(page.action_total, 'actiepunt', 'actiepunten')}"
    )
    return Reply(text=text, blocks=blocks)
