"""Block Kit primitives and Slack's limits: every builder composes these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.ids import INPUT_VALUE
from bot.services.errors import NotAllowed, Refused
from bot.text.dutch import TrailStep, trail
from bot.text.slack import escape_mrkdwn, escape_sentence

Block = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
OPTION_LIMIT = 100  # options in one static_select
LINE_LIMIT = 1000  # a backstop per list line (builders clip user text first), far below 3,000


@dataclass
class Reply:
    """A message: fallback text (notifications, screen readers) plus blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_message(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip(text: str, limit: int = 200) -> str:
    """User text for one list line: shortened first, then escaped (escaping never gets cut in half)."""
    return escape_mrkdwn(truncate(" ".join(text.split()), limit))


def trail_line(history: Sequence[TrailStep], tz: ZoneInfo) -> str:
    """An agenda item's trail on a line of its own, when it has more than its current step."""
    return f"\n_Verloop: {clip(trail(history, tz), 600)}_" if len(history) > 1 else ""


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(truncate(text, HEADER_LIMIT))}


def section(mrkdwn: str, *, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_LIMIT)}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_LIMIT)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str = "",
    style: str | None = None,
    *,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(truncate(text, BUTTON_LIMIT)),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def confirm_dialog(
    title: str, text: str, *, yes: str, no: str = "Annuleren", danger: bool = False
) -> dict[str, Any]:
    """Slack's "are you sure?" dialog on a button, for what cannot be undone."""
    dialog: dict[str, Any] = {
        "title": plain(truncate(title, 100)),
        "text": {"type": "mrkdwn", "text": truncate(text, 300)},
        "confirm": plain(truncate(yes, 30)),
        "deny": plain(truncate(no, 30)),
    }
    if danger:
        dialog["style"] = "danger"
    return dialog


def overflow(action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """A "⋯" menu of up to five choices, as a section's accessory."""
    return {"type": "overflow", "action_id": action_id, "options": options[:5]}


def actions(*elements: dict[str, Any], block_id: str = "") -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(truncate(text, BUTTON_LIMIT)), "value": value}


def sections_of(lines: list[str], *, title: str = "", more: str = "") -> list[Block]:
    """Lines packed into as few sections as fit under Slack's 3,000 characters, never cut mid-line.

    The one chunker: each line is first cut to LINE_LIMIT, a title leads the first section, and `more`
    (e.g. "… en 14 andere voorstellen") follows as a context line.
    """
    blocks: list[Block] = []
    current = title
    for line in (truncate(line, LINE_LIMIT) for line in lines):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT and current:
            blocks.append(section(current))
            candidate = line
        current = candidate
    if current:
        blocks.append(section(current))
    if more:
        blocks.append(context(more))
    return blocks


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> Block:
    """A form field; its element's action_id is always `INPUT_VALUE` (see bot.blocks.ids)."""
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element}
    if optional:
        block["optional"] = True
    return block


def text_input(*, limit: int, initial: str = "", multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT_VALUE,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return element


def select(options: list[dict[str, Any]], *, initial: str = "") -> dict[str, Any]:
    """A static select of `options` (see `option`); `initial` pre-selects the option with that value."""
    element: dict[str, Any] = {"type": "static_select", "action_id": INPUT_VALUE, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str = "",
    submit: str = "",
    close: str = "Annuleren",
    metadata: str = "",
) -> dict[str, Any]:
    """A modal view; without `submit` it only shows (a close button, no form to send)."""
    view: dict[str, Any] = {"type": "modal", "title": plain(truncate(title, 24)), "close": plain(close)}
    if callback_id:
        view["callback_id"] = callback_id
    if submit:
        view["submit"] = plain(submit)
    if metadata:
        view["private_metadata"] = metadata[:3000]
    view["blocks"] = blocks[:VIEW_BLOCK_LIMIT]
    return view


def simple(text: str) -> Reply:
    """A one-line answer (errors, confirmations)."""
    return Reply(text=text, blocks=[section(text)])


def shown_in(value: str, state: str) -> str:
    """A decision button's value with the proposal's state as the button showed it (`12:34~ingediend`):
    a click made on what is no longer true is refused instead of overruling a decision made meanwhile."""
    return f"{value}~{state}"


def build_refused(error: Refused | NotAllowed) -> Reply:
    """A service's no, in its own Dutch sentence: unusable input warns, a forbidden action is a no-entry.
    The sentence may repeat what the user typed (`Ik ken geen overleg …`), so it is escaped."""
    mark = ":no_entry_sign:" if isinstance(error, NotAllowed) else ":warning:"
    return simple(f"{mark} {escape_sentence(error.message)}")


ALREADY_DONE = "Dit verzoek is al verwerkt; er is niets dubbel opgeslagen."


def build_unavailable() -> Reply:
    return simple(
        ":warning: De agenda is tijdelijk niet beschikbaar. Probeer het over een minuut opnieuw; "
        "blijft het zo, meld het dan bij het secretariaat."
    )


def build_uncertain() -> Reply:
    """The database went away while saving (during COMMIT): it may be stored or not. Short enough for a
    form's field error (150 characters)."""
    return simple(
        ":warning: De verbinding met de agenda viel weg bij het opslaan: misschien is het gelukt. "
        "Kijk met `/ivb open mijn` voor je het opnieuw stuurt."
    )


def build_not_processed(*, database: bool) -> Reply:
    """A message to the bot that could not be handled: nothing was stored, so it must be sent again."""
    why = "de agenda is tijdelijk niet beschikbaar" if database else "er ging iets mis aan mijn kant"
    return simple(
        f":warning: Je bericht is niet verwerkt: {why}. Er is niets opgeslagen; stuur het zo nog eens."
    )


def build_error() -> Reply:
    return simple(
        ":warning: Er ging iets mis aan mijn kant. Probeer het opnieuw; "
        "blijft het zo, meld het dan bij het secretariaat."
    )
