"""Block Kit for the proposal dialogue in DMs and mentions: its questions, summary and answers, and the
question before filing the same title twice."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import Reply, actions, button, clip, section, simple, truncate
from bot.blocks.proposals import build_created, target_lines, title_line
from bot.services.filing import DialogueOutcome
from bot.services.meetings import Target
from bot.services.proposals import ref
from bot.text.dutch import dutch_time, list_date, relative_day
from bot.text.slack import escape_mrkdwn, escape_sentence

# Answers that say the same whatever the dialogue holds.
FIXED_ANSWERS = {
    "ask_title": (
        "Goed, we maken samen een agendavoorstel. *Wat is de titel?* (maximaal 150 tekens)\n"
        "_Typ `stop` om te stoppen._"
    ),
    "cancelled": "Gestopt: er is niets ingediend. Begin opnieuw met _ik wil iets agenderen_.",
    "expired": (
        "Dit gesprek is verlopen (30 minuten stil); er is niets ingediend. "
        "Begin opnieuw met _ik wil iets agenderen_."
    ),
    "gone": (
        "Dit gesprek is afgelopen (verlopen, of er is daarna een nieuw begonnen). "
        "Wat je hebt ingediend, zie je met `/ivb open mijn`."
    ),
    "not_yours": "Dit gesprek is van iemand anders; je kunt het niet indienen of annuleren.",
    "hint": (
        "Dat begrijp ik niet helemaal. Vraag bijvoorbeeld _wanneer is de volgende IVB?_ of "
        "_wat staat er op de agenda?_ Iets voorstellen: `agendapunt: &lt;titel&gt;` "
        "(toelichting op de volgende regels) of _ik wil iets agenderen_. Alles: `/ivb help`."
    ),
}


def build_dialogue_reply(outcome: DialogueOutcome, *, tz: ZoneInfo, today: date) -> Reply | None:
    """The answer to one message or click; None for a question (the listener answers it as `/ivb`)."""
    if outcome.kind in FIXED_ANSWERS:
        return simple(FIXED_ANSWERS[outcome.kind])
    if outcome.kind == "created" and outcome.created is not None:
        return build_created(outcome.created, tz=tz)
    if outcome.kind == "filed_before":
        return simple(f"Dit voorstel is al ingediend als {_receipt(outcome.data)}. Er is niets veranderd.")
    if outcome.kind == "error":
        return simple(f":warning: {escape_sentence(outcome.error)}")
    if outcome.kind == "ask_explanation":
        return simple(
            f"Titel: *{escape_mrkdwn(str(outcome.data.get('title', '')))}*\n"
            "*Geef een korte toelichting* (maximaal 2000 tekens), of typ `geen`."
        )
    if outcome.kind == "ask_overleg":
        keys = "\n".join(f"• `{o.key}` — {escape_mrkdwn(o.name)}" for o in outcome.overleggen)
        return simple(f"*Voor welk overleg?* Typ de naam of afkorting:\n{keys}")
    if outcome.kind == "confirm" and outcome.token:
        return build_summary(outcome.data, token=outcome.token, target=outcome.target, tz=tz)
    if outcome.kind == "duplicate" and outcome.token:
        return build_duplicate_question(outcome, tz=tz, today=today)
    return None


def build_summary(
    data: dict[str, Any], *, token: str, target: Target | None = None, tz: ZoneInfo | None = None
) -> Reply:
    """ "Klopt dit?": title, explanation, overleg and (by the target rule) the meeting it would go to."""
    title = escape_mrkdwn(str(data.get("title", "")))
    explanation = str(data.get("explanation", "")) or "_geen toelichting_"
    if data.get("explanation"):
        explanation = escape_mrkdwn(truncate(explanation, 2500))
    text = (
        "*Klopt dit?*\n"
        f"*Titel:* {title}\n"
        f"*Toelichting:* {explanation}\n"
        f"*Overleg:* {escape_mrkdwn(str(data.get('overleg_name', data.get('overleg', ''))))}"
    )
    if target is not None and tz is not None:
        text += "\n" + "\n".join(target_lines(target, tz, subject="Het voorstel gaat"))
    return Reply(
        text=f"Klopt dit agendavoorstel «{clip(str(data.get('title', '')), 80)}»? Indienen of annuleren.",
        blocks=[
            section(text),
            actions(
                button("Indienen", ids.SUBMIT_DIALOGUE, token, style="primary"),
                button("Annuleren", ids.CANCEL_DIALOGUE, token),
            ),
        ],
    )


def build_duplicate_question(outcome: DialogueOutcome, *, tz: ZoneInfo, today: date) -> Reply:
    """ "Dit heb je al voorgesteld als #5. Toch nog een keer?" with Toch indienen / Nee."""
    earlier = outcome.earlier
    assert earlier is not None
    when = relative_day(earlier.created_at, today, tz) or list_date(earlier.created_at, today, tz)
    text = (
        f":repeat: Dit heb je al voorgesteld als *{ref(earlier.id)} {escape_mrkdwn(earlier.title)}* "
        f"({when} om {dutch_time(earlier.created_at, tz)}).\n*Toch nog een keer indienen?*"
    )
    short = f"Dit heb je al voorgesteld als {ref(earlier.id)} «{clip(earlier.title, 80)}». Toch nog een keer?"
    return Reply(
        text=short,
        blocks=[
            section(text),
            actions(
                button("Toch indienen", ids.SUBMIT_DIALOGUE, outcome.token, style="primary"),
                button("Nee, niet nog een keer", ids.CANCEL_DIALOGUE, outcome.token),
            ),
        ],
    )


def build_dialogue_closed(outcome: DialogueOutcome) -> Reply | None:
    """What the summary (or the question) becomes once the dialogue ends: the same place, no buttons."""
    if outcome.kind == "created" and outcome.created is not None:
        proposal = outcome.created.proposal
        return Reply(
            text=f"Ingediend als {ref(proposal.id)} «{clip(proposal.title, 80)}»",
            blocks=[section(f":white_check_mark: Ingediend als {title_line(proposal)}.")],
        )
    if outcome.kind == "filed_before":
        return simple(f":white_check_mark: Ingediend als {_receipt(outcome.data)}.")
    if outcome.kind == "cancelled":
        return simple("Geannuleerd: er is niets ingediend.")
    return None


def build_confidential_received(proposal_id: int) -> Reply:
    """The answer in a channel to a confidential proposal: no title; the confirmation is a DM."""
    return simple(
        f":lock: Je vertrouwelijke voorstel #{proposal_id} is ingediend; de bevestiging staat in je DM. "
        "Tip: stuur vertrouwelijke punten voortaan in een DM aan mij."
    )


def _receipt(data: dict[str, Any]) -> str:
    return f"*{ref(int(data.get('proposal_id', 0)))} {escape_mrkdwn(str(data.get('title', '')))}*"
