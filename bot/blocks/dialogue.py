"""Block Kit for the proposal dialogue in DMs and mentions: its questions, summary and answers."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import Reply, actions, button, section, simple, truncate
from bot.blocks.proposals import build_created, target_lines, title_line
from bot.services.dialogue import DialogueOutcome
from bot.services.meetings import Target
from bot.text.slack import escape_mrkdwn

# Answers that say the same whatever the dialogue holds.
FIXED_ANSWERS = {
    "ask_title": (
        "Goed, we maken samen een agendavoorstel. *Wat is de titel?* (maximaal 150 tekens)\n"
        "_Typ `stop` om te stoppen._"
    ),
    "cancelled": "Gestopt: er is niets ingediend. Begin opnieuw met _ik wil iets agenderen_.",
    "expired": (
        "Dit gesprek is verlopen (30 minuten stil) of al afgerond; er is niets ingediend. "
        "Begin opnieuw met _ik wil iets agenderen_."
    ),
    "not_yours": "Dit gesprek is van iemand anders; je kunt het niet indienen of annuleren.",
    "hint": (
        "Wil je iets agenderen? Stuur `agendapunt: <titel>` (toelichting op de volgende regels), "
        "of schrijf _ik wil iets agenderen_ voor een kort gesprek. `/ivb help` laat alles zien."
    ),
}


def build_dialogue_reply(outcome: DialogueOutcome, *, tz: ZoneInfo) -> Reply | None:
    """The dialogue's answer to one message; None when the bot should stay silent."""
    if outcome.kind in FIXED_ANSWERS:
        return simple(FIXED_ANSWERS[outcome.kind])
    if outcome.kind == "created" and outcome.created is not None:
        return build_created(outcome.created, tz=tz)
    if outcome.kind == "error":
        return simple(f":warning: {outcome.error}")
    if outcome.kind == "ask_explanation":
        return simple(
            f"Titel: *{escape_mrkdwn(str(outcome.data.get('title', '')))}*\n"
            "*Geef een korte toelichting* (maximaal 2000 tekens), of typ `geen`."
        )
    if outcome.kind == "ask_overleg":
        keys = "\n".join(f"• `{o.key}` — {escape_mrkdwn(o.name)}" for o in outcome.overleggen)
        return simple(f"*Voor welk overleg?* Typ de naam of afkorting:\n{keys}")
    if outcome.kind == "confirm" and outcome.conversation_id is not None:
        return build_summary(
            outcome.data, conversation_id=outcome.conversation_id, target=outcome.target, tz=tz
        )
    return None


def build_summary(
    data: dict[str, Any], *, conversation_id: int, target: Target | None = None, tz: ZoneInfo | None = None
) -> Reply:
    """ "Klopt dit?": title, explanation, overleg and (by the target rule) the meeting it would go to."""
    explanation = str(data.get("explanation", "")) or "_geen toelichting_"
    if data.get("explanation"):
        explanation = escape_mrkdwn(truncate(explanation, 2500))
    text = (
        "*Klopt dit?*\n"
        f"*Titel:* {escape_mrkdwn(str(data.get('title', '')))}\n"
        f"*Toelichting:* {explanation}\n"
        f"*Overleg:* {escape_mrkdwn(str(data.get('overleg_name', data.get('overleg', ''))))}"
    )
    if target is not None and tz is not None:
        text += "\n" + "\n".join(target_lines(target, tz, subject="Het voorstel gaat"))
    return Reply(
        text="Klopt dit agendavoorstel? Indienen of annuleren.",
        blocks=[
            section(text),
            actions(
                button("Indienen", ids.SUBMIT_DIALOGUE, str(conversation_id), style="primary"),
                button("Annuleren", ids.CANCEL_DIALOGUE, str(conversation_id)),
            ),
        ],
    )


def build_dialogue_closed(outcome: DialogueOutcome) -> Reply | None:
    """What the dialogue's summary becomes after Indienen or Annuleren: the same place, no buttons."""
    if outcome.kind == "created" and outcome.created is not None:
        return simple(f":white_check_mark: Ingediend als {title_line(outcome.created.proposal)}.")
    if outcome.kind == "cancelled":
        return simple("Geannuleerd: er is niets ingediend.")
    return None


def build_confidential_received(proposal_id: int) -> Reply:
    """The answer in a channel to a confidential proposal: no title; the confirmation is a DM."""
    return simple(
        f":lock: Je vertrouwelijke voorstel #{proposal_id} is ingediend; de bevestiging staat in je DM. "
        "Tip: stuur vertrouwelijke punten voortaan in een DM aan mij."
    )
