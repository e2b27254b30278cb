"""Block Kit for action points: list lines with their buttons, the DMs and confirmations, the form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import (
    OPTION_LIMIT,
    Block,
    Reply,
    actions,
    button,
    clip,
    context,
    input_block,
    modal,
    option,
    plain,
    section,
    simple,
)
from bot.services.open_items import ActionItem, is_overdue
from bot.text.dutch import dutch_date, dutch_short_date, list_date, relative_day
from bot.text.slack import escape_mrkdwn
from storage.queries.rows import MeetingRow


@dataclass(frozen=True)
class Viewer:
    """Who looks: decides which buttons are offered (the server checks again on every click)."""

    user_id: str
    is_admin: bool

    def may_change(self, item: ActionItem) -> bool:
        return self.is_admin or item.owner_id == self.user_id


def due_words(item: ActionItem, *, today: date) -> str:
    """`uiterlijk do 3 dec (over 3 dagen)`; overdue it says so first."""
    if item.due_date is None:
        return "geen deadline"
    soon = relative_day(item.due_date, today)
    due = f"uiterlijk {list_date(item.due_date, today)}" + (f" ({soon})" if soon else "")
    return f":warning: *te laat*, {due}" if is_overdue(item, today=today) else due


def action_line(item: ActionItem, *, today: date, with_owner: bool = True, with_overleg: bool = True) -> str:
    """The text in bold, then who (unless it is the reader's own list), the due date and the overleg."""
    parts = [f"<@{item.owner_id}>"] if with_owner else []
    parts.append(due_words(item, today=today))
    if with_overleg:
        parts.append(f"_{escape_mrkdwn(item.overleg_name)}_")
    return f"*{clip(item.text)}*\n" + " · ".join(parts)


def action_controls(item: ActionItem) -> Block:
    """Afgerond (one click) and a date picker for a new due date, for those who may change the item."""
    picker: dict[str, Any] = {
        "type": "datepicker",
        "action_id": ids.MOVE_ACTION_DUE,
        "placeholder": plain("Nieuwe datum"),
    }
    if item.due_date is not None:
        picker["initial_date"] = item.due_date.isoformat()
    return actions(
        button("Afgerond", ids.COMPLETE_ACTION, str(item.id), style="primary"),
        picker,
        block_id=f"{ids.ACTION_DUE_BLOCK_PREFIX}{item.id}",
    )


def action_blocks(
    items: list[ActionItem],
    *,
    viewer: Viewer,
    today: date,
    with_owner: bool = True,
    compact: bool = False,
) -> list[Block]:
    """One section per action point; for those who may change it, Afgerond and a date picker below, or
    (`compact`, in lists) only Afgerond beside it."""
    blocks: list[Block] = []
    for item in items:
        line = action_line(item, today=today, with_owner=with_owner)
        if not viewer.may_change(item):
            blocks.append(section(line))
        elif compact:
            done = button("Afgerond", ids.COMPLETE_ACTION, str(item.id))
            blocks.append(section(line, accessory=done))
        else:
            blocks += [section(line), action_controls(item)]
    return blocks


def due_phrase(due: date | None) -> str:
    return f"uiterlijk {dutch_date(due)}" if due is not None else "zonder deadline"


def build_action_created(item: ActionItem) -> Reply:
    text = (
        f":white_check_mark: Actiepunt vastgelegd voor <@{item.owner_id}>, {due_phrase(item.due_date)}:\n"
        f">{clip(item.text, 1000)}\n_{escape_mrkdwn(item.overleg_name)}_. De eigenaar krijgt een bericht."
    )
    short = f"Actiepunt vastgelegd: «{clip(item.text, 80)}», {due_phrase(item.due_date)}"
    return Reply(text=short, blocks=[section(text)])


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
    return Reply(
        text=f"Nieuw actiepunt voor jou: «{clip(item.text, 80)}», {due_phrase(item.due_date)}", blocks=blocks
    )


def build_action_due_dm(item: ActionItem, *, today: date, overdue: bool) -> Reply:
    """The owner's DM the day before the due date, or once it is overdue: the fact first, then Afgerond
    and a date picker for a new due date (the same controls as the assignment DM)."""
    assert item.due_date is not None
    when = list_date(item.due_date, today)
    where = escape_mrkdwn(item.overleg_name)
    if overdue:
        line = f":warning: *Te laat:* je actiepunt stond op uiterlijk {when} ({where}):"
        short = f"Te laat: «{clip(item.text, 80)}» (uiterlijk {when})"
    else:
        line = f":alarm_clock: *Morgen ({when}) is de deadline* van je actiepunt ({where}):"
        short = f"Morgen deadline: «{clip(item.text, 80)}»"
    blocks = [
        section(f"{line}\n>{clip(item.text, 1000)}"),
        action_controls(item),
        context("Klaar? Klik op *Afgerond*. Meer tijd nodig? Kies een nieuwe datum."),
    ]
    return Reply(text=short, blocks=blocks)


def build_action_done(item: ActionItem) -> Reply:
    blocks = [
        section(f":white_check_mark: Afgerond: *{clip(item.text)}*"),
        actions(button("Heropenen", ids.REOPEN_ACTION, str(item.id))),
    ]
    return Reply(text=f"Afgerond: «{clip(item.text, 80)}»", blocks=blocks)


def build_action_reopened(item: ActionItem) -> Reply:
    blocks = [section(f":arrows_counterclockwise: Weer open: *{clip(item.text)}*"), action_controls(item)]
    return Reply(text=f"Weer open: «{clip(item.text, 80)}»", blocks=blocks)


def build_due_changed(item: ActionItem) -> Reply:
    return simple(f":calendar: Nieuwe deadline voor *{clip(item.text)}*: {due_phrase(item.due_date)}.")


def build_action_modal(meetings: list[MeetingRow], *, tz: ZoneInfo) -> dict[str, Any]:
    """The form behind `/ivb actie`: owner, text, optional due date and meeting."""
    value = ids.INPUT_VALUE
    text = {"type": "plain_text_input", "action_id": value, "multiline": True, "max_length": 1000}
    blocks: list[Block] = [
        input_block(ids.OWNER_BLOCK, "Eigenaar", {"type": "users_select", "action_id": value}),
        input_block(ids.TEXT_BLOCK, "Wat moet er gebeuren?", text),
        input_block(ids.DUE_BLOCK, "Deadline", {"type": "datepicker", "action_id": value}, optional=True),
    ]
    options = [
        option(f"{dutch_short_date(m.starts_at, tz)} {m.overleg.name}", str(m.id))
        for m in meetings[:OPTION_LIMIT]
    ]
    if options:
        meeting = input_block(
            ids.MEETING_BLOCK,
            "Vergadering",
            {"type": "static_select", "action_id": value, "options": options},
            optional=True,
        )
        meeting["hint"] = plain("Leeg: de laatst gehouden vergadering van het IVB.")
        blocks.append(meeting)
    return modal("Actiepunt", blocks, callback_id=ids.ACTION_VIEW, submit="Vastleggen")


def build_answer_modal(reply: Reply) -> dict[str, Any]:
    """A click on the Home tab that changed nothing: the answer in a small modal."""
    return modal("Actiepunt", reply.blocks, close="Sluiten")
