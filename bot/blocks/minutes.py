"""Block Kit for the besluitenlijst: the morning-after DM, the form (in pages), `/ivb besluiten`, and the
DMs that tell proposers the outcome of their item."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Reply,
    actions,
    button,
    clip,
    context,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
    sections_of,
    text_input,
    trail_line,
)
from bot.services.minutes import LastMinutes, Minutes, MinutesAction, MinutesItem
from bot.services.minutes_record import ACTION_LIMIT, DECISION_LIMIT, Recorded, RecordedItem
from bot.services.proposals import ref
from bot.text.dutch import (
    dutch_date,
    dutch_datetime,
    dutch_short_date,
    plural,
    with_article,
)
from bot.text.slack import escape_mrkdwn
from storage.queries.rows import MeetingRow

# A pending item takes 6 blocks (its title and 5 fields): 10 a page keeps a page far below a modal's
# 100 blocks (the page's own lines included).
ITEMS_PER_PAGE = 10
LOCK = ":lock: "
OUTCOME_WORDS = {"behandeld": "Behandeld", "doorgeschoven": "Doorgeschoven", "vervallen": "Vervallen"}


def _meeting_name(meeting: MeetingRow, tz: ZoneInfo) -> str:
    """`het Integraal Veiligheidsberaad van maandag 20 maart 2023` (escaped)."""
    return f"{with_article(escape_mrkdwn(meeting.overleg.name))} van {dutch_date(meeting.starts_at, tz)}"


def fill_button(meeting_id: int) -> dict[str, Any]:
    return button("Besluitenlijst invullen", ids.FILL_MINUTES, str(meeting_id), style="primary")


def build_minutes_dm(meeting: MeetingRow, *, pending: int, tz: ZoneInfo) -> Reply:
    """The morning after: the secretariaat is asked to record the outcomes."""
    text = (
        f":memo: De vergadering van {_meeting_name(meeting, tz)} is geweest. "
        f"Leg de besluitenlijst vast: {plural(pending, 'agendapunt wacht', 'agendapunten wachten')} "
        "op een uitkomst (behandeld, doorgeschoven of vervallen)."
    )
    blocks = [
        section(text),
        actions(fill_button(meeting.id)),
        context(f"Later kan het ook: `/ivb besluiten {meeting.overleg.key}`."),
    ]
    return Reply(text=f"Besluitenlijst {meeting.overleg.name} invullen", blocks=blocks)


# --- the form ------------------------------------------------------------------------------------------


def page_count(minutes: Minutes) -> int:
    return max(1, -(-len(minutes.items) // ITEMS_PER_PAGE))


def _item_title(number: int, item: MinutesItem) -> str:
    mark = LOCK if item.confidential else ""
    return f"{mark}*{number}. {clip(item.title, 150)}* _({ref(item.proposal_id)}, <@{item.proposer_id}>)_"


def _field_id(field: str, item: MinutesItem) -> str:
    return f"{field}:{item.proposal_id}"


def _pending_fields(item: MinutesItem) -> list[Block]:
    outcome = {
        "type": "radio_buttons",
        "action_id": ids.INPUT_VALUE,
        "options": [option(word, value) for value, word in OUTCOME_WORDS.items()],
    }
    owner = {"type": "users_select", "action_id": ids.INPUT_VALUE, "placeholder": plain("Kies iemand")}
    due = {"type": "datepicker", "action_id": ids.INPUT_VALUE, "placeholder": plain("Uiterlijk")}
    return [
        input_block(_field_id(ids.MINUTES_OUTCOME, item), "Uitkomst", outcome, optional=True),
        input_block(
            _field_id(ids.MINUTES_DECISION, item),
            "Besluit of afspraak (nodig bij behandeld)",
            text_input(limit=DECISION_LIMIT, multiline=True),
            optional=True,
        ),
        input_block(
            _field_id(ids.MINUTES_ACTION, item),
            "Actiepunten (één per regel)",
            text_input(limit=ACTION_LIMIT * 3, multiline=True),
            optional=True,
        ),
        input_block(
            _field_id(ids.MINUTES_OWNER, item), "Wie voert de actiepunten uit?", owner, optional=True
        ),
        input_block(_field_id(ids.MINUTES_DUE, item), "Actiepunten uiterlijk", due, optional=True),
    ]


def _recorded_line(item: MinutesItem, tz: ZoneInfo) -> str:
    line = f":white_check_mark: {OUTCOME_WORDS[item.outcome]}"
    if item.outcome == "doorgeschoven":
        line += " naar " + (dutch_short_date(item.next_meeting_at, tz) if item.next_meeting_at else "later")
    return line + (f": {clip(item.decision, 500)}" if item.decision else "")


def build_minutes_modal(minutes: Minutes, *, page: int, tz: ZoneInfo) -> dict[str, Any]:
    """One page of the besluitenlijst form: per item its outcome, decision and action points.

    Items already recorded show what was recorded. Each page is saved on its own ("Opslaan en
    verder"), so a long agenda never meets Slack's 100 blocks a modal.
    """
    pages = page_count(minutes)
    page = min(max(page, 0), pages - 1)
    first = page * ITEMS_PER_PAGE
    meeting = minutes.meeting
    blocks: list[Block] = [
        section(
            f"*Besluitenlijst {escape_mrkdwn(meeting.overleg.name)}*\n{dutch_datetime(meeting.starts_at, tz)}"
        )
    ]
    if not minutes.items:
        blocks.append(section("Er stonden geen agendapunten op deze vergadering."))
    for number, item in enumerate(minutes.items[first : first + ITEMS_PER_PAGE], start=first + 1):
        heading = _item_title(number, item) + trail_line(item.history, tz)
        if item.outcome:
            blocks += [section(heading), context(_recorded_line(item, tz))]
        else:
            blocks += [section(heading), *_pending_fields(item)]
    if pages > 1:
        blocks.append(context(f"Pagina {page + 1} van {pages}. Elke pagina wordt apart opgeslagen."))
    has_fields = any(not item.outcome for item in minutes.items[first : first + ITEMS_PER_PAGE])
    title = "Besluitenlijst" + (f" {page + 1}/{pages}" if pages > 1 else "")
    submit = (
        ("Opslaan en verder" if page + 1 < pages else "Opslaan") if has_fields or page + 1 < pages else ""
    )
    metadata = json.dumps({"m": meeting.id, "p": page}, separators=(",", ":"))
    return modal(
        title, blocks, callback_id=ids.MINUTES_VIEW, submit=submit, metadata=metadata, close="Sluiten"
    )


def read_page(metadata: str) -> tuple[int, int]:
    """(meeting id, page) from the form's metadata; raises ValueError when it is not ours."""
    data = json.loads(metadata or "{}")
    return int(data["m"]), int(data.get("p", 0))


# --- /ivb besluiten ------------------------------------------------------------------------------------


def _action_line(action: MinutesAction, indent: str = "") -> str:
    due = f", vóór {dutch_short_date(action.due_date)}" if action.due_date else ""
    done = " _(afgerond)_" if action.status == "afgerond" else ""
    return f"{indent}• {clip(action.text, 300)} — <@{action.owner_id}>{due}{done}"


def minutes_lines(minutes: Minutes, *, tz: ZoneInfo) -> list[str]:
    lines = []
    for number, item in enumerate(minutes.items, start=1):
        outcome = _recorded_line(item, tz) if item.outcome else "_nog niet vastgelegd_"
        lines.append(_item_title(number, item) + f"\n{outcome}" + trail_line(item.history, tz))
        lines += [_action_line(action, "      ") for action in item.actions]
    if minutes.loose_actions:
        lines.append("*Overige actiepunten*")
        lines += [_action_line(action) for action in minutes.loose_actions]
    return lines


def build_last_minutes(last: LastMinutes, *, tz: ZoneInfo, is_admin: bool) -> Reply:
    """`/ivb besluiten [overleg]`: the overleg's last besluitenlijst; the secretariaat also gets a button
    for a meeting whose besluitenlijst is still open."""
    name = escape_mrkdwn(last.overleg.name)
    blocks: list[Block] = []
    if last.minutes is None:
        blocks.append(section(f"Er is nog geen besluitenlijst van {with_article(name)}."))
    else:
        meeting = last.minutes.meeting
        blocks += [
            header(f"Besluitenlijst {last.overleg.name}"),
            context(dutch_datetime(meeting.starts_at, tz)),
        ]
        lines = minutes_lines(last.minutes, tz=tz)
        blocks += sections_of(lines) if lines else [section("Er stonden geen agendapunten op.")]
    if is_admin and last.waiting is not None:
        blocks.append(
            section(
                f":memo: Van de vergadering van {dutch_date(last.waiting.starts_at, tz)} wachten nog "
                f"{plural(last.waiting_items, 'agendapunt', 'agendapunten')} op een uitkomst."
            )
        )
        blocks.append(actions(fill_button(last.waiting.id)))
    return Reply(text=f"Besluitenlijst {last.overleg.name}", blocks=blocks[:MESSAGE_BLOCK_LIMIT])


# --- after recording -------------------------------------------------------------------------------------


def _outcome_sentence(item: RecordedItem, tz: ZoneInfo) -> str:
    title = f"*{ref(item.proposal_id)} {clip(item.title, 150)}*"
    if item.outcome.value == "behandeld":
        return f":white_check_mark: {title} is behandeld.\n*Besluit:* {clip(item.decision, 1500)}"
    if item.outcome.value == "doorgeschoven":
        later = (
            f"de vergadering van *{dutch_datetime(item.next_meeting.starts_at, tz)}*"
            if item.next_meeting
            else "een volgende vergadering, zodra die gepland is"
        )
        note = f"\n_{clip(item.decision, 1000)}_" if item.decision else ""
        again = "Het secretariaat agendeert het opnieuw."
        return f":hourglass: {title} is doorgeschoven naar {later}. {again}{note}"
    note = f"\n_{clip(item.decision, 1000)}_" if item.decision else ""
    return f":heavy_minus_sign: {title} is vervallen.{note}"


def build_outcome_dm(items: Sequence[RecordedItem], *, meeting: MeetingRow, tz: ZoneInfo) -> Reply:
    """One proposer hears what the meeting did with their item(s), with the action points that follow."""
    lines = [f"De uitkomst van de vergadering van {_meeting_name(meeting, tz)}:"]
    for item in items:
        lines.append(_outcome_sentence(item, tz))
        lines += [
            f"      • Actiepunt: {clip(a.text, 300)} — <@{a.owner_id}>"
            + (f", vóór {dutch_short_date(a.due_date)}" if a.due_date else "")
            for a in item.actions
        ]
    return Reply(text=f"Uitkomst van je agendapunt ({meeting.overleg.name})", blocks=sections_of(lines))


def build_minutes_saved(recorded: Recorded, *, remaining: int, tz: ZoneInfo) -> Reply:
    """The confirmation to whoever saved a page of the besluitenlijst."""
    meeting = recorded.meeting
    lines = [
        f":white_check_mark: Besluitenlijst van {_meeting_name(meeting, tz)}: "
        f"{plural(len(recorded.items), 'punt', 'punten')} vastgelegd; de indieners hebben bericht."
    ]
    if recorded.skipped:
        lines.append(
            f"{plural(len(recorded.skipped), 'punt was', 'punten waren')} al vastgelegd "
            f"({', '.join(map(ref, recorded.skipped))}); daar is niets aan veranderd."
        )
    blocks = [section("\n".join(lines))]
    if remaining:
        blocks.append(section(f"Nog {plural(remaining, 'agendapunt', 'agendapunten')} zonder uitkomst."))
        blocks.append(actions(fill_button(meeting.id)))
    return Reply(text=f"Besluitenlijst {meeting.overleg.name} opgeslagen", blocks=blocks)
