"""Block Kit for the proposal forms: a new proposal (also from a message), editing, the reason to reject."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import (
    OPTION_LIMIT,
    Block,
    input_block,
    modal,
    option,
    section,
    select,
    shown_in,
    text_input,
)
from bot.blocks.proposals import title_line
from bot.services.proposals import EXPLANATION_LIMIT, TITLE_LIMIT, ref
from bot.text.dutch import dutch_short_date
from storage.models import AgendaProposal
from storage.queries.rows import MeetingRow, OverlegRow

MEETING_LABEL = "Vergadering (leeg: de eerstvolgende waarvoor de deadline nog niet voorbij is)"


CONFIDENTIAL_VALUE = "ja"


def confidential_box(*, ticked: bool = False) -> Block:
    """The proposer's checkbox: only they and the secretariaat will see the item."""
    choice = {
        "text": {"type": "mrkdwn", "text": "*Vertrouwelijk*"},
        "description": {
            "type": "mrkdwn",
            "text": "Alleen jij en het secretariaat zien dit punt, niet in kanalen of openbare stukken.",
        },
        "value": CONFIDENTIAL_VALUE,
    }
    element: dict[str, Any] = {"type": "checkboxes", "action_id": ids.INPUT_VALUE, "options": [choice]}
    if ticked:
        element["initial_options"] = [choice]
    return input_block(ids.CONFIDENTIAL_BLOCK, "Vertrouwelijk", element, optional=True)


def _title_and_explanation(title: str, explanation: str) -> list[Block]:
    return [
        input_block(ids.TITLE_BLOCK, "Titel", text_input(initial=title, limit=TITLE_LIMIT)),
        input_block(
            ids.EXPLANATION_BLOCK,
            "Toelichting",
            text_input(initial=explanation, limit=EXPLANATION_LIMIT, multiline=True),
            optional=True,
        ),
    ]


def build_proposal_modal(
    *,
    overleggen: list[OverlegRow],
    meetings: list[MeetingRow],
    tz: ZoneInfo,
    title: str = "",
    explanation: str = "",
    overleg_key: str = "ivb",
    metadata: dict[str, Any] | None = None,
    duplicate_of: list[int] | None = None,
    confidential: bool = False,
) -> dict[str, Any]:
    """The new-proposal form: title, explanation, overleg, optional meeting, confidential."""
    blocks: list[Block] = []
    if duplicate_of:
        blocks.append(
            section(
                ":warning: Van dit bericht is al een agendavoorstel gemaakt "
                f"({', '.join(map(ref, duplicate_of))}). Wil je echt nog een voorstel maken? "
                "Druk dan op *Toch indienen*; anders sluit je dit formulier."
            )
        )
    blocks += _title_and_explanation(title, explanation)
    overleg_options = [option(o.name, o.key) for o in overleggen][:OPTION_LIMIT]
    blocks.append(input_block(ids.OVERLEG_BLOCK, "Overleg", select(overleg_options, initial=overleg_key)))
    if meetings:
        meeting_options = [
            option(f"{m.overleg.key.upper()} — {dutch_short_date(m.starts_at, tz)}", str(m.id))
            for m in meetings[:OPTION_LIMIT]
        ]
        blocks.append(input_block(ids.MEETING_BLOCK, MEETING_LABEL, select(meeting_options), optional=True))
    blocks.append(confidential_box(ticked=confidential))
    meta = dict(metadata or {})
    if duplicate_of:
        meta["duplicate_ok"] = True
    submit = "Toch indienen" if duplicate_of else "Indienen"
    return modal(
        "Agendavoorstel", blocks, callback_id=ids.NEW_PROPOSAL_VIEW, submit=submit, metadata=json.dumps(meta)
    )


def build_edit_modal(proposal: AgendaProposal) -> dict[str, Any]:
    blocks = [
        *_title_and_explanation(proposal.title, proposal.explanation),
        confidential_box(ticked=proposal.confidential),
    ]
    title = f"Voorstel {ref(proposal.id)} bewerken"
    return modal(
        title, blocks, callback_id=ids.EDIT_PROPOSAL_VIEW, submit="Opslaan", metadata=str(proposal.id)
    )


def build_reject_modal(proposal: AgendaProposal, *, shown: str = "") -> dict[str, Any]:
    """The reason for Afwijzen; the metadata carries the proposal and the state its button showed."""
    metadata = shown_in(str(proposal.id), shown) if shown else str(proposal.id)
    blocks = [
        section(title_line(proposal)),
        input_block(
            ids.REASON_BLOCK,
            "Reden (de indiener krijgt die te lezen)",
            text_input(limit=EXPLANATION_LIMIT, multiline=True),
        ),
    ]
    title = f"{ref(proposal.id)} afwijzen"
    return modal(
        title,
        blocks,
        callback_id=ids.REJECT_REASON_VIEW,
        submit="Afwijzen",
        metadata=metadata,
    )
