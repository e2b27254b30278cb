"""Block Kit for `/ivb open`: what is next first. The asker's overdue action points, then proposals by
meeting (the soonest first), then the other action points; each list pages on its own ("Meer")."""

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
    option,
    overflow,
    section,
    sections_of,
    shown_in,
    simple,
    trail_line,
)
from bot.services.open_items import OpenPage, ProposalItem, age_days
from bot.services.proposals import STATE_WORDS, ref
from bot.text.dutch import age_phrase, list_date, number, plural
from bot.text.slack import escape_mrkdwn
from storage.models import MeetingStatus, ProposalState

# Proposals the secretariaat can still decide on from the list.
DECIDABLE = (ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN)


def proposal_line(item: ProposalItem, *, today: date, tz: ZoneInfo, with_proposer: bool = True) -> str:
    """`*#4* Titel · _ingediend_ · @piet · 3 dagen open` (no name in the asker's own list); a
    confidential one is marked, a deferred one shows its trail."""
    lock = ":lock: " if item.confidential else ""
    who = f" · <@{item.proposer_id}>" if with_proposer else ""
    age = age_phrase(age_days(item.created_at, today=today, tz=tz))
    return (
        f"*{ref(item.id)}* {lock}{clip(item.title, 150)} · _{STATE_WORDS[item.state]}_{who} · {age}"
        f"{trail_line(item.history, tz)}"
    )


def meeting_heading(item: ProposalItem, *, today: date, tz: ZoneInfo, bold: bool = True) -> str:
    """`*Integraal Veiligheidsberaad* · ma 22 mrt`; a cancelled meeting struck through and said plainly."""
    name = f"*{escape_mrkdwn(item.overleg_name)}*" if bold else escape_mrkdwn(item.overleg_name)
    if item.meeting_starts_at is None:
        return f"{name} · nog geen vergadering"
    when = list_date(item.meeting_starts_at, today, tz)
    if item.meeting_status == MeetingStatus.GEANNULEERD:
        return f"{name} · ~{when}~ geannuleerd"
    if item.meeting_starts_at.astimezone(tz).date() < today:
        return f"{name} · {when} (geweest)"
    return f"{name} · {when}"


def decision_menu(item: ProposalItem) -> dict[str, object]:
    """The secretariaat's ⋯ menu on an open proposal: the same decisions as on the review post."""
    options = []
    state = item.state.value
    if item.meeting_id is not None and item.meeting_status != MeetingStatus.GEANNULEERD:
        options.append(option("Agenderen", f"agenderen {shown_in(f'{item.id}:{item.meeting_id}', state)}"))
    options += [
        option("Aanhouden", f"aanhouden {shown_in(str(item.id), state)}"),
        option("Afwijzen…", f"afwijzen {shown_in(str(item.id), state)}"),
    ]
    return overflow(ids.DECIDE_FROM_LIST, options)


def proposal_blocks(
    items: list[ProposalItem], *, viewer: Viewer, today: date, tz: ZoneInfo, mine: bool
) -> list[Block]:
    """Per meeting a heading and its proposals; for the secretariaat each with a decision menu."""
    blocks: list[Block] = []
    for _meeting, group in groupby(items, key=lambda p: (p.overleg_key, p.meeting_id)):
        group_items = list(group)
        title = meeting_heading(group_items[0], today=today, tz=tz)
        lines = [proposal_line(p, today=today, tz=tz, with_proposer=not mine) for p in group_items]
        if not viewer.is_admin:
            blocks.extend(sections_of(lines, title=title))
            continue
        blocks.append(context(title))
        for item, line in zip(group_items, lines, strict=True):
            menu = decision_menu(item) if item.state in DECIDABLE else None
            blocks.append(section(line, accessory=menu))
    return blocks


def more_value(proposal_offset: int, action_offset: int, scope: str) -> str:
    return json.dumps({"p": proposal_offset, "a": action_offset, "s": scope}, separators=(",", ":"))


def parse_more_value(value: str) -> tuple[int, int, str]:
    """The two offsets and the scope from a "Meer" button; a forged or broken value starts at the top."""
    try:
        data = json.loads(value)
        offsets = int(data.get("p", data.get("o", 0))), int(data.get("a", data.get("o", 0)))
        scope = str(data.get("s", ""))
    except (ValueError, TypeError, AttributeError):
        return 0, 0, ""
    return max(0, min(offsets[0], 1_000_000)), max(0, min(offsets[1], 1_000_000)), scope[:60]


def _more_buttons(page: OpenPage, scope: str) -> list[Block]:
    shown_p, shown_a = page.proposal_offset + len(page.proposals), page.action_offset + len(page.actions)
    buttons = []
    if page.more_proposals:
        rest = number(page.proposal_total - shown_p)
        buttons.append(
            button(
                f"Meer voorstellen ({rest})", ids.OPEN_MORE, more_value(shown_p, page.action_offset, scope)
            )
        )
    if page.more_actions:
        rest = number(page.action_total - shown_a)
        buttons.append(
            button(
                f"Meer actiepunten ({rest})",
                ids.OPEN_MORE_ACTIONS,
                more_value(page.proposal_offset, shown_a, scope),
            )
        )
    return [actions(*buttons)] if buttons else []


def _counted(what: str, offset: int, shown: int, total: int) -> str:
    if not offset and shown >= total:
        return f"*{what}* · {number(total)}"
    return f"*{what}* · {number(offset + 1)}–{number(offset + shown)} van {number(total)}"


def build_open_items(
    page: OpenPage, *, viewer: Viewer, scope: str, scope_label: str, mine: bool, today: date, tz: ZoneInfo
) -> Reply:
    """`/ivb open`: my overdue action points, proposals (soonest meeting first), the other action points."""
    title = "Openstaand" + (f" — {scope_label}" if scope_label else "")
    if not (page.proposal_total or page.action_total or page.late_total):
        return simple(f"*{escape_mrkdwn(title)}*\nNiets open. :tada:")
    blocks: list[Block] = [header(title)]
    if page.late:
        late = _counted("Jouw actiepunten, te laat", 0, len(page.late), page.late_total)
        blocks.append(section(f":warning: {late}"))
        blocks += action_blocks(page.late, viewer=viewer, today=today, with_owner=False, compact=True)
    if page.proposals:
        shown = len(page.proposals)
        blocks.append(
            section(_counted("Agendavoorstellen", page.proposal_offset, shown, page.proposal_total))
        )
        blocks += proposal_blocks(page.proposals, viewer=viewer, today=today, tz=tz, mine=mine)
    if page.actions:
        what = "Andere actiepunten" if page.late else "Actiepunten"
        blocks += [
            divider(),
            section(_counted(what, page.action_offset, len(page.actions), page.action_total)),
        ]
        blocks += action_blocks(page.actions, viewer=viewer, today=today, with_owner=not mine, compact=True)
    blocks = blocks[: MESSAGE_BLOCK_LIMIT - 1] + _more_buttons(page, scope)
    return Reply(text=_summary(title, page), blocks=blocks)


def _summary(title: str, page: OpenPage) -> str:
    """What notifications and screen readers say: the counts, the urgent one first."""
    parts = (
        [f"{plural(page.late_total, 'actiepunt', 'actiepunten')} van jou te laat"] if page.late_total else []
    )
    parts.append(plural(page.proposal_total, "agendavoorstel", "agendavoorstellen"))
    if page.late_total:
        parts.append(plural(page.action_total, "ander actiepunt", "andere actiepunten"))
    else:
        parts.append(plural(page.action_total, "actiepunt", "actiepunten"))
    return f"{title}: " + ", ".join(parts)
