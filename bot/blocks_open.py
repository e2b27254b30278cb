"""Block Kit for open items, action points, the App Home tab and the calendar modal. Pure functions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_LIMIT,
    VIEW_BLOCK_LIMIT,
    Block,
    Reply,
    button,
    context,
    divider,
    header,
    section,
    simple,
    truncate,
)
from bot.calendar import NextMeeting
from bot.formatting import dutch_date, dutch_datetime, dutch_short_date, escape_mrkdwn, plural
from bot.open_items import ActionItem, OpenPage, ProposalItem, age_days, is_overdue
from storage.models import Meeting, ProposalState

ACTION_DONE = "actiepunt_afgerond"
ACTION_REOPEN = "actiepunt_heropenen"
ACTION_DUE = "actiepunt_datum"
ACTION_MODAL = "actiepunt_formulier"
OPEN_MORE = "open_meer"
PROPOSE = "voorstel_openen"
CALENDAR = "kalender_tonen"
DUE_BLOCK_PREFIX = "actiepunt:"
ITEM_TEXT_LIMIT = 200

STATE_LABELS = {
    ProposalState.INGEDIEND: "ingediend",
    ProposalState.GEAGENDEERD: "geagendeerd",
    ProposalState.AANGEHOUDEN: "aangehouden",
    ProposalState.AFGEWEZEN: "afgewezen",
    ProposalState.INGETROKKEN: "ingetrokken",
    ProposalState.BEHANDELD: "behandeld",
}


@dataclass(frozen=True)
class Viewer:
    """Who looks: decides which buttons are offered (the server checks again on every click)."""

    user_id: str
    is_admin: bool

    def may_change(self, item: ActionItem) -> bool:
        return self.is_admin or item.owner_id == self.user_id


def age_phrase(days: int) -> str:
    if days == 0:
        return "sinds vandaag"
    return plural(days, "dag", "dagen") + " open"


def clip(text: str, limit: int = ITEM_TEXT_LIMIT) -> str:
    """User text for one list line: shortened first, then escaped (escaping never gets cut in half)."""
    return escape_mrkdwn(truncate(" ".join(text.split()), limit))


def meeting_label(starts_at: datetime | None, tz: ZoneInfo) -> str:
    return dutch_short_date(starts_at, tz) if starts_at is not None else "nog geen vergadering"


def proposal_line(item: ProposalItem, *, today: date, tz: ZoneInfo) -> str:
    return (
        f"• {clip(item.title, 150)} — _{STATE_LABELS[item.state]}_, door <@{item.proposer_id}>, "
        f"{age_phrase(age_days(item.created_at, today=today, tz=tz))}"
    )


def action_line(item: ActionItem, *, today: date, tz: ZoneInfo, with_overleg: bool = True) -> str:
    if item.due_date is None:
        due = "geen deadline"
    elif is_overdue(item, today=today):
        due = f":warning: *te laat* (was {dutch_short_date(item.due_date)})"
    else:
        due = f"vóór {dutch_short_date(item.due_date)}"
    where = (
        f" _{escape_mrkdwn(item.overleg_name)}, {meeting_label(item.meeting_starts_at, tz)}_"
        if with_overleg
        else ""
    )
    return (
        f"*{clip(item.text)}*\n<@{item.owner_id}> · {due} · "
        f"{age_phrase(age_days(item.created_at, today=today, tz=tz))}{where}"
    )


def action_controls(item: ActionItem) -> Block:
    """Afgerond (one click) and a date picker for a new due date, for those who may change the item."""
    picker: dict[str, Any] = {
        "type": "datepicker",
        "action_id": ACTION_DUE,
        "placeholder": {"type": "plain_text", "text": "Nieuwe datum"},
    }
    if item.due_date is not None:
        picker["initial_date"] = item.due_date.isoformat()
    return {
        "type": "actions",
        "block_id": f"{DUE_BLOCK_PREFIX}{item.id}",
        "elements": [button("Afgerond", ACTION_DONE, str(item.id), style="primary"), picker],
    }


def action_blocks(items: list[ActionItem], *, viewer: Viewer, today: date, tz: ZoneInfo) -> list[Block]:
    blocks: list[Block] = []
    for item in items:
        blocks.append(section(action_line(item, today=today, tz=tz)))
        if viewer.may_change(item):
            blocks.append(action_controls(item))
    return blocks


def sections_of(lines: list[str], *, title: str = "") -> list[Block]:
    """Lines packed into as few sections as fit, each under Slack's 3,000 characters, never cut mid-line."""
    blocks: list[Block] = []
    current = title
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT - 100 and current:
            blocks.append(section(current))
            candidate = line
        current = candidate
    if current:
        blocks.append(section(current))
    return blocks


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
            {
                "type": "actions",
                "elements": [
                    button(f"Meer (vanaf {last + 1})", OPEN_MORE, more_value(page.next_offset, scope))
                ],
            }
        )
    blocks = blocks[:MESSAGE_BLOCK_LIMIT]
    text = (
        f"{title}: {plural(page.proposal_total, 'agendavoorstel', 'agendavoorstellen')}, "
        f"{plural(page.action_total, 'actiepunt', 'actiepunten')}"
    )
    return Reply(text=text, blocks=blocks)


# --- action point messages --------------------------------------------------------------------------


def due_phrase(due: date | None) -> str:
    return f"vóór {dutch_date(due)}" if due is not None else "zonder deadline"


def build_action_created(item: ActionItem) -> Reply:
    text = (
        f":white_check_mark: Actiepunt vastgelegd voor <@{item.owner_id}>, {due_phrase(item.due_date)}:\n"
        f">{clip(item.text, 1000)}\n_{escape_mrkdwn(item.overleg_name)}_. De eigenaar krijgt een bericht."
    )
    return Reply(text="Actiepunt vastgelegd", blocks=[section(text)])


def build_action_assigned_dm(item: ActionItem, *, by: str) -> Reply:
    """The DM an owner gets when an action point is assigned to them."""
    blocks = [
        section(
            f":pushpin: <@{by}> heeft een actiepunt aan je toegewezen ({escape_mrkdwn(item.overleg_name)}, "
            f"{due_phrase(item.due_date)}):\n>{clip(item.text, 1000)}"
        ),
        action_controls(item),
        context("Klaar? Klik op *Afgerond*. Alles wat openstaat: `/ivb open mijn` of je Home-tab."),
    ]
    return Reply(text="Je hebt een nieuw actiepunt", blocks=blocks)


def build_action_done(item: ActionItem) -> Reply:
    blocks = [
        section(f":white_check_mark: Afgerond: *{clip(item.text)}*"),
        {"type": "actions", "elements": [button("Heropenen", ACTION_REOPEN, str(item.id))]},
    ]
    return Reply(text="Actiepunt afgerond", blocks=blocks)


def build_action_reopened(item: ActionItem) -> Reply:
    blocks = [section(f":arrows_counterclockwise: Weer open: *{clip(item.text)}*"), action_controls(item)]
    return Reply(text="Actiepunt heropend", blocks=blocks)


def build_due_changed(item: ActionItem) -> Reply:
    return simple(f":calendar: Nieuwe deadline voor *{clip(item.text)}*: {due_phrase(item.due_date)}.")


def build_action_modal(meetings: list[Meeting], *, tz: ZoneInfo) -> dict[str, Any]:
    """The form behind `/ivb actie`: owner, text, optional due date and meeting."""
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": "owner",
            "label": {"type": "plain_text", "text": "Eigenaar"},
            "element": {"type": "users_select", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "text",
            "label": {"type": "plain_text", "text": "Wat moet er gebeuren?"},
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": 1000,
            },
        },
        {
            "type": "input",
            "block_id": "due",
            "optional": True,
            "label": {"type": "plain_text", "text": "Deadline"},
            "element": {"type": "datepicker", "action_id": "value"},
        },
    ]
    options = [
        {
            "text": {
                "type": "plain_text",
                "text": truncate(f"{dutch_short_date(m.starts_at, tz)} {m.overleg.name}", 75),
            },
            "value": str(m.id),
        }
        for m in meetings[:100]
    ]
    if options:
        blocks.append(
            {
                "type": "input",
                "block_id": "meeting",
                "optional": True,
                "label": {"type": "plain_text", "text": "Vergadering"},
                "hint": {"type": "plain_text", "text": "Leeg: de laatst gehouden vergadering van het IVB."},
                "element": {"type": "static_select", "action_id": "value", "options": options},
            }
        )
    return {
        "type": "modal",
        "callback_id": ACTION_MODAL,
        "title": {"type": "plain_text", "text": "Actiepunt"},
        "submit": {"type": "plain_text", "text": "Vastleggen"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": blocks,
    }


# --- App Home -----------------------------------------------------------------------------------------


def next_meeting_line(info: NextMeeting, tz: ZoneInfo) -> str:
    name = escape_mrkdwn(info.overleg.name)
    if info.meeting is None or info.deadline is None:
        return f"• *{name}*: nog niet gepland"
    deadline = (
        f"deadline {dutch_datetime(info.deadline, tz)}" if not info.deadline_passed else "deadline verstreken"
    )
    return f"• *{name}*: {dutch_datetime(info.meeting.starts_at, tz)} — _{deadline}_"


@dataclass(frozen=True)
class HomeData:
    next_meetings: list[NextMeeting]
    proposals: list[ProposalItem]
    proposal_total: int
    actions: list[ActionItem]
    action_total: int


def build_home(data: HomeData, *, viewer: Viewer, today: date, tz: ZoneInfo) -> dict[str, Any]:
    """The Home tab: next meetings, my open proposals, my open action points. Bounded by construction."""
    blocks: list[Block] = [
        header("VGG-bot"),
        {
            "type": "actions",
            "elements": [
                button("Agendapunt voorstellen", PROPOSE, "home", style="primary"),
                button("Kalender", CALENDAR, "home"),
            ],
        },
        header("Volgende vergaderingen"),
        section("\n".join(next_meeting_line(i, tz) for i in data.next_meetings) or "Nog niets gepland."),
        divider(),
        header("Mijn voorstellen"),
    ]
    if data.proposals:
        lines = [
            f"• {clip(p.title, 150)} — _{STATE_LABELS[p.state]}_ ({escape_mrkdwn(p.overleg_name)}, "
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


def build_calendar_modal(reply: Reply) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Kalender"},
        "close": {"type": "plain_text", "text": "Sluiten"},
        "blocks": reply.blocks[:VIEW_BLOCK_LIMIT],
    }
