"""Block Kit for agenda proposals: confirmations, the dialogue, review posts, decisions, forms, the agenda."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, Reply, button, context, header, section, simple, truncate
from bot.calendar import with_article
from bot.conversation import Outcome
from bot.formatting import dutch_datetime, dutch_short_date, escape_mrkdwn
from bot.proposals import EXPLANATION_LIMIT, STATE_WORDS, TITLE_LIMIT, Created, Decision, ref
from storage.models import AgendaProposal, Meeting, Overleg, ProposalState

# action_ids and callback_ids: the public names other surfaces (Home tab, help) may use.
OPEN_FORM = "voorstel_openen"
AGENDEREN = "voorstel_agenderen"
AGENDEREN_OP = "voorstel_agenderen_op"
AANHOUDEN = "voorstel_aanhouden"
AFWIJZEN = "voorstel_afwijzen"
INTREKKEN = "voorstel_intrekken"
BEWERKEN = "voorstel_bewerken"
GESPREK_INDIENEN = "gesprek_indienen"
GESPREK_ANNULEREN = "gesprek_annuleren"
VIEW_NEW = "voorstel_nieuw"
VIEW_EDIT = "voorstel_bewerken"
VIEW_REJECT = "voorstel_afwijzen_reden"
VALUE_ACTION = "waarde"

SELECT_OPTION_LIMIT = 100


def title_line(proposal: AgendaProposal) -> str:
    return f"*{ref(proposal.id)} {escape_mrkdwn(proposal.title)}*"


def meeting_label(meeting: Meeting, tz: ZoneInfo) -> str:
    return f"{meeting.overleg.name} van {dutch_datetime(meeting.starts_at, tz)}"


def actions(*elements: dict[str, Any]) -> Block:
    return {"type": "actions", "elements": list(elements)}


def _owner_buttons(proposal_id: int) -> Block:
    return actions(
        button("Bewerken", BEWERKEN, str(proposal_id)),
        button("Intrekken", INTREKKEN, str(proposal_id), style="danger"),
    )


def build_created(created: Created, *, tz: ZoneInfo) -> Reply:
    """The confirmation to the proposer: reference, overleg, target meeting, deadline, plainly."""
    proposal = created.proposal
    lines = [
        f":white_check_mark: Je voorstel {title_line(proposal)} is ingediend "
        f"voor {with_article('*' + escape_mrkdwn(proposal.overleg.name) + '*')}."
    ]
    if created.skipped is not None and created.skipped_deadline is not None:
        lines.append(
            ":hourglass: De agendadeadline van de vergadering van "
            f"{dutch_datetime(created.skipped.starts_at, tz)} was "
            f"{dutch_datetime(created.skipped_deadline, tz)}: die is voorbij, dus je voorstel gaat "
            "naar de vergadering daarna."
        )
    if created.meeting is not None and created.deadline is not None:
        lines.append(f":calendar: Vergadering: *{dutch_datetime(created.meeting.starts_at, tz)}*")
        lines.append(f":hourglass_flowing_sand: Agendadeadline: {dutch_datetime(created.deadline, tz)}")
    else:
        lines.append(
            ":calendar: Er is nog geen vergadering gepland. Je voorstel wordt ingepland zodra "
            "de volgende vergadering gepland is."
        )
    lines.append("Het secretariaat beslist erover; je krijgt bericht.")
    fallback = f"Voorstel {ref(proposal.id)} ingediend voor {with_article(proposal.overleg.name)}"
    return Reply(text=fallback, blocks=[section("\n".join(lines)), _owner_buttons(proposal.id)])


def build_proposal_error(message: str) -> Reply:
    return simple(f":warning: {message}")


def build_outcome(outcome: Outcome, *, tz: ZoneInfo) -> Reply | None:
    """The dialogue's answer to one message; None when the bot should stay silent."""
    if outcome.kind == "created" and outcome.created is not None:
        return build_created(outcome.created, tz=tz)
    if outcome.kind == "error":
        return build_proposal_error(outcome.error)
    if outcome.kind == "ask_title":
        return simple(
            "Goed, we maken samen een agendavoorstel. *Wat is de titel?* (maximaal 150 tekens)\n"
            "_Typ `stop` om te stoppen._"
        )
    if outcome.kind == "ask_explanation":
        return simple(
            f"Titel: *{escape_mrkdwn(str(outcome.data.get('title', '')))}*\n"
            "*Geef een korte toelichting* (maximaal 2000 tekens), of typ `geen`."
        )
    if outcome.kind == "ask_overleg":
        keys = "\n".join(f"• `{o.key}` — {escape_mrkdwn(o.name)}" for o in outcome.overleggen)
        return simple(f"*Voor welk overleg?* Typ de naam of afkorting:\n{keys}")
    if outcome.kind == "confirm" and outcome.conversation_id is not None:
        return build_summary(outcome.data, conversation_id=outcome.conversation_id)
    if outcome.kind == "cancelled":
        return simple("Gestopt: er is niets ingediend. Begin opnieuw met _ik wil iets agenderen_.")
    if outcome.kind == "expired":
        return simple(
            "Dit gesprek is verlopen (30 minuten stil) of al afgerond; er is niets ingediend. "
            "Begin opnieuw met _ik wil iets agenderen_."
        )
    if outcome.kind == "not_yours":
        return simple("Dit gesprek is van iemand anders; je kunt het niet indienen of annuleren.")
    if outcome.kind == "hint":
        return simple(
            "Wil je iets agenderen? Stuur `agendapunt: <titel>` (toelichting op de volgende regels), "
            "of schrijf _ik wil iets agenderen_ voor een kort gesprek. `/ivb help` laat alles zien."
        )
    return None


def build_summary(data: dict[str, Any], *, conversation_id: int) -> Reply:
    explanation = str(data.get("explanation", "")) or "_geen toelichting_"
    if data.get("explanation"):
        explanation = escape_mrkdwn(truncate(explanation, 2500))
    text = (
        "*Klopt dit?*\n"
        f"*Titel:* {escape_mrkdwn(str(data.get('title', '')))}\n"
        f"*Toelichting:* {explanation}\n"
        f"*Overleg:* {escape_mrkdwn(str(data.get('overleg_name', data.get('overleg', ''))))}"
    )
    return Reply(
        text="Klopt dit agendavoorstel? Indienen of annuleren.",
        blocks=[
            section(text),
            actions(
                button("Indienen", GESPREK_INDIENEN, str(conversation_id), style="primary"),
                button("Annuleren", GESPREK_ANNULEREN, str(conversation_id)),
            ),
        ],
    )


def build_dialogue_closed(outcome: Outcome) -> Reply | None:
    """What the dialogue's summary becomes after Indienen or Annuleren: the same place, no buttons."""
    if outcome.kind == "created" and outcome.created is not None:
        return simple(f":white_check_mark: Ingediend als {title_line(outcome.created.proposal)}.")
    if outcome.kind == "cancelled":
        return simple("Geannuleerd: er is niets ingediend.")
    return None


def _proposal_facts(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    lines = [
        title_line(proposal),
        f"Ingediend door <@{proposal.proposer_id}> voor {with_article(escape_mrkdwn(proposal.overleg.name))}",
    ]
    if proposal.meeting is not None:
        lines.append(f"Vergadering: {dutch_datetime(proposal.meeting.starts_at, tz)}")
    else:
        lines.append("Vergadering: nog niet gepland")
    if proposal.explanation:
        lines.append("> " + escape_mrkdwn(truncate(proposal.explanation, 2200)).replace("\n", "\n> "))
    if proposal.source_permalink:
        lines.append(f"<{proposal.source_permalink}|Oorspronkelijk bericht>")
    return "\n".join(lines)


def build_review(proposal: AgendaProposal, *, meetings: list[Meeting], tz: ZoneInfo) -> Reply:
    """The post for the secretariaat: the proposal with agenderen / aanhouden / afwijzen."""
    open_states = (ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN)
    heading = {
        ProposalState.INGEDIEND: ":inbox_tray: *Nieuw agendavoorstel*",
        ProposalState.AANGEHOUDEN: ":hourglass: *Aangehouden agendavoorstel*",
    }.get(proposal.state, "*Agendavoorstel*")
    blocks: list[Block] = [section(heading + "\n" + _proposal_facts(proposal, tz))]
    if proposal.state in open_states:
        elements: list[dict[str, Any]] = []
        first = next((m for m in meetings if m.id == proposal.meeting_id), meetings[0] if meetings else None)
        if first is not None:
            elements.append(
                button(
                    f"Agenderen ({dutch_short_date(first.starts_at, tz)})",
                    AGENDEREN,
                    f"{proposal.id}:{first.id}",
                    style="primary",
                )
            )
        others = [m for m in meetings if first is None or m.id != first.id][:SELECT_OPTION_LIMIT]
        if others:
            elements.append(
                {
                    "type": "static_select",
                    "action_id": AGENDEREN_OP,
                    "placeholder": {"type": "plain_text", "text": "Agenderen op…"},
                    "options": [
                        {
                            "text": {
                                "type": "plain_text",
                                "text": truncate(dutch_datetime(m.starts_at, tz), 75),
                            },
                            "value": f"{proposal.id}:{m.id}",
                        }
                        for m in others
                    ],
                }
            )
        elements.append(button("Aanhouden", AANHOUDEN, str(proposal.id)))
        elements.append(button("Afwijzen", AFWIJZEN, str(proposal.id), style="danger"))
        blocks.append(actions(*elements))
    else:
        blocks.append(context(_decision_line(proposal, tz)))
    word = "Nieuw agendavoorstel" if proposal.state == ProposalState.INGEDIEND else "Agendavoorstel"
    return Reply(text=f"{word} {ref(proposal.id)} voor {with_article(proposal.overleg.name)}", blocks=blocks)


def _decision_line(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    word = STATE_WORDS[proposal.state]
    if proposal.state == ProposalState.GEAGENDEERD and proposal.meeting is not None:
        return (
            f":white_check_mark: Geagendeerd voor {dutch_datetime(proposal.meeting.starts_at, tz)}"
            f" (punt {proposal.position})"
        )
    if proposal.state == ProposalState.AFGEWEZEN:
        return f":no_entry: Afgewezen: {escape_mrkdwn(truncate(proposal.reason, 2500))}"
    return f"Status: {word}"


def build_decision_dm(decision: Decision, *, tz: ZoneInfo) -> Reply:
    """The proposer hears about every decision."""
    proposal = decision.proposal
    name = escape_mrkdwn(proposal.overleg.name)
    if decision.to_state == ProposalState.GEAGENDEERD and proposal.meeting is not None:
        text = (
            f":white_check_mark: Je voorstel {title_line(proposal)} staat op de agenda "
            f"van {with_article(name)} "
            f"van *{dutch_datetime(proposal.meeting.starts_at, tz)}* (punt {proposal.position})."
        )
    elif decision.to_state == ProposalState.AANGEHOUDEN:
        later = (
            f"de vergadering van *{dutch_datetime(proposal.meeting.starts_at, tz)}*"
            if proposal.meeting is not None
            else "een volgende vergadering, zodra die gepland is"
        )
        text = f":hourglass: Je voorstel {title_line(proposal)} is aangehouden en schuift door naar {later}."
    elif decision.to_state == ProposalState.AFGEWEZEN:
        text = (
            f":no_entry: Je voorstel {title_line(proposal)} is afgewezen.\n"
            f"*Reden:* {escape_mrkdwn(truncate(proposal.reason, 2500))}"
        )
    elif decision.to_state == ProposalState.INGETROKKEN:
        text = f"Je voorstel {title_line(proposal)} is ingetrokken."
    else:
        text = f"Je voorstel {title_line(proposal)} is nu {STATE_WORDS[decision.to_state]}."
    return Reply(
        text=f"Voorstel {ref(proposal.id)}: {STATE_WORDS[decision.to_state]}", blocks=[section(text)]
    )


def build_decided_note(decision: Decision, *, actor_id: str, tz: ZoneInfo) -> Reply:
    """What the secretariaat member who decided sees."""
    proposal = decision.proposal
    return simple(f"{ref(proposal.id)}: {_decision_line(proposal, tz)} — door <@{actor_id}>.")


def build_agenda(
    overleg: Overleg, meeting: Meeting | None, items: list[AgendaProposal], *, tz: ZoneInfo
) -> Reply:
    name = escape_mrkdwn(overleg.name)
    if meeting is None:
        return simple(f"Er staat nog geen {name} gepland, dus er is nog geen agenda.")
    blocks: list[Block] = [header(f"Agenda {overleg.name}"), context(dutch_datetime(meeting.starts_at, tz))]
    if not items:
        blocks.append(section("Er is nog niets geagendeerd. Iets voorstellen? `/ivb voorstel <titel>`"))
    else:
        lines = [
            f"{n}. {escape_mrkdwn(item.title)} _({ref(item.id)}, <@{item.proposer_id}>)_"
            for n, item in enumerate(items, start=1)
        ]
        chunk: list[str] = []
        for line in lines:
            if sum(len(x) + 1 for x in chunk) + len(line) > 2900 and chunk:
                blocks.append(section("\n".join(chunk)))
                chunk = []
            chunk.append(line)
        blocks.append(section("\n".join(chunk)))
    blocks = blocks[:50]
    return Reply(text=f"Agenda {overleg.name} {dutch_datetime(meeting.starts_at, tz)}", blocks=blocks)


def build_refusal(message: str) -> Reply:
    return simple(f":no_entry_sign: {message}")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _text_input(
    block_id: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    limit: int,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE_ACTION,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "optional": optional,
        "element": element,
    }


def build_proposal_modal(
    *,
    overleggen: list[Overleg],
    meetings: list[Meeting],
    tz: ZoneInfo,
    title: str = "",
    explanation: str = "",
    overleg_key: str = "ivb",
    metadata: dict[str, Any] | None = None,
    duplicate_of: list[int] | None = None,
) -> dict[str, Any]:
    """The new-proposal form: title, explanation, overleg, optional meeting."""
    blocks: list[Block] = []
    if duplicate_of:
        refs = ", ".join(ref(i) for i in duplicate_of)
        blocks.append(
            section(
                f":warning: Van dit bericht is al een agendavoorstel gemaakt ({refs}). "
                "Wil je echt nog een voorstel maken? Druk dan op *Toch indienen*; "
                "anders sluit je dit formulier."
            )
        )
    blocks.append(_text_input("titel", "Titel", initial=title, limit=TITLE_LIMIT))
    blocks.append(
        _text_input(
            "toelichting",
            "Toelichting",
            initial=explanation,
            multiline=True,
            optional=True,
            limit=EXPLANATION_LIMIT,
        )
    )
    options = [{"text": _plain(truncate(o.name, 75)), "value": o.key} for o in overleggen][
        :SELECT_OPTION_LIMIT
    ]
    initial = next((opt for opt in options if opt["value"] == overleg_key), options[0] if options else None)
    overleg_select: dict[str, Any] = {"type": "static_select", "action_id": VALUE_ACTION, "options": options}
    if initial is not None:
        overleg_select["initial_option"] = initial
    blocks.append(
        {"type": "input", "block_id": "overleg", "label": _plain("Overleg"), "element": overleg_select}
    )
    if meetings:
        meeting_options = [
            {
                "text": _plain(
                    truncate(f"{m.overleg.key.upper()} — {dutch_short_date(m.starts_at, tz)}", 75)
                ),
                "value": str(m.id),
            }
            for m in meetings[:SELECT_OPTION_LIMIT]
        ]
        blocks.append(
            {
                "type": "input",
                "block_id": "vergadering",
                "label": _plain(
                    "Vergadering (leeg: de eerstvolgende waarvoor de deadline nog niet voorbij is)"
                ),
                "optional": True,
                "element": {"type": "static_select", "action_id": VALUE_ACTION, "options": meeting_options},
            }
        )
    meta = dict(metadata or {})
    if duplicate_of:
        meta["duplicate_ok"] = True
    return {
        "type": "modal",
        "callback_id": VIEW_NEW,
        "title": _plain("Agendavoorstel"),
        "submit": _plain("Toch indienen" if duplicate_of else "Indienen"),
        "close": _plain("Annuleren"),
        "private_metadata": json.dumps(meta)[:3000],
        "blocks": blocks,
    }


def build_edit_modal(proposal: AgendaProposal) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": VIEW_EDIT,
        "title": _plain(f"Voorstel {ref(proposal.id)} bewerken"),
        "submit": _plain("Opslaan"),
        "close": _plain("Annuleren"),
        "private_metadata": str(proposal.id),
        "blocks": [
            _text_input("titel", "Titel", initial=proposal.title, limit=TITLE_LIMIT),
            _text_input(
                "toelichting",
                "Toelichting",
                initial=proposal.explanation,
                multiline=True,
                optional=True,
                limit=EXPLANATION_LIMIT,
            ),
        ],
    }


def build_reject_modal(proposal: AgendaProposal) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": VIEW_REJECT,
        "title": _plain(f"{ref(proposal.id)} afwijzen"),
        "submit": _plain("Afwijzen"),
        "close": _plain("Annuleren"),
        "private_metadata": str(proposal.id),
        "blocks": [
            section(title_line(proposal)),
            _text_input(
                "reden", "Reden (de indiener krijgt die te lezen)", multiline=True, limit=EXPLANATION_LIMIT
            ),
        ],
    }


def build_saved(proposal: AgendaProposal) -> Reply:
    return simple(f"Je voorstel {title_line(proposal)} is bijgewerkt.")
