"""Block Kit for agenda proposals: confirmations, review posts, decisions, forms, the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    OPTION_LIMIT,
    Block,
    Reply,
    actions,
    button,
    context,
    header,
    option,
    section,
    sections_of,
    simple,
    trail_line,
    truncate,
)
from bot.blocks.meetings import meeting_phrase, target_phrase
from bot.services.decisions import Decision
from bot.services.meetings import Target
from bot.services.proposals import STATE_WORDS, Agenda, Created, ref
from bot.text.dutch import TrailStep, dutch_date, with_article
from bot.text.slack import escape_mrkdwn
from bot.text.when import dutch_deadline, meeting_day_short, meeting_when, meeting_when_short
from storage.models import AgendaProposal, ProposalState
from storage.queries.rows import MeetingRow


def title_line(proposal: AgendaProposal) -> str:
    lock = ":lock: " if proposal.confidential else ""
    return f"{lock}*{ref(proposal.id)} {escape_mrkdwn(proposal.title)}*"


def confidential_button(proposal: AgendaProposal) -> dict[str, Any]:
    """The secretariaat's switch: only the proposer and the secretariaat see a confidential item."""
    if proposal.confidential:
        return button("Niet vertrouwelijk", ids.TOGGLE_CONFIDENTIAL, f"{proposal.id} nee")
    return button("Vertrouwelijk", ids.TOGGLE_CONFIDENTIAL, f"{proposal.id} ja")


def _owner_buttons(proposal_id: int) -> Block:
    return actions(
        button("Bewerken", ids.EDIT_PROPOSAL, str(proposal_id)),
        button("Intrekken", ids.WITHDRAW_PROPOSAL, str(proposal_id), style="danger"),
    )


def target_lines(target: Target, tz: ZoneInfo, *, subject: str = "Je voorstel gaat") -> list[str]:
    """Where a proposal goes under the target rule, in the words `/ivb volgende` uses too."""
    lines: list[str] = []
    if target.skipped is not None and target.skipped_deadline is not None:
        lines.append(
            f":hourglass: De agendadeadline van {meeting_phrase(target.skipped, tz)} was "
            f"{dutch_deadline(target.skipped_deadline, tz)}: die is voorbij."
        )
    if target.meeting is not None and target.deadline is not None:
        lines.append(f":calendar: {subject} naar {target_phrase(target.meeting, target.deadline, tz)}.")
    elif target.skipped is not None:
        lines.append(
            ":calendar: Er is nog geen vergadering daarna gepland. Het voorstel wordt ingepland zodra "
            "die er is."
        )
    else:
        lines.append(
            ":calendar: Er is nog geen vergadering gepland. Het voorstel wordt ingepland zodra "
            "de volgende vergadering gepland is."
        )
    return lines


def build_created(created: Created, *, tz: ZoneInfo) -> Reply:
    """The confirmation to the proposer: reference, overleg, target meeting, deadline, plainly."""
    proposal = created.proposal
    lines = [
        f":white_check_mark: Je voorstel {title_line(proposal)} is ingediend "
        f"voor {with_article('*' + escape_mrkdwn(proposal.overleg.name) + '*')}.",
        *target_lines(created.target, tz),
        "Het secretariaat beslist erover; je krijgt bericht.",
    ]
    fallback = f"Voorstel {ref(proposal.id)} ingediend voor {with_article(proposal.overleg.name)}"
    return Reply(text=fallback, blocks=[section("\n".join(lines)), _owner_buttons(proposal.id)])


def _proposal_facts(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    lines = [
        title_line(proposal),
        f"Ingediend door <@{proposal.proposer_id}> voor {with_article(escape_mrkdwn(proposal.overleg.name))}",
    ]
    if proposal.meeting is not None:
        lines.append(f"Vergadering: {meeting_when(proposal.meeting, tz)}")
    else:
        lines.append("Vergadering: nog niet gepland")
    if proposal.explanation:
        lines.append("> " + escape_mrkdwn(truncate(proposal.explanation, 2200)).replace("\n", "\n> "))
    if proposal.source_permalink:
        lines.append(f"<{proposal.source_permalink}|Oorspronkelijk bericht>")
    return "\n".join(lines)


def build_review(
    proposal: AgendaProposal,
    *,
    meetings: list[MeetingRow],
    tz: ZoneInfo,
    default_id: int | None = None,
    history: Sequence[TrailStep] = (),
) -> Reply:
    """The post for the secretariaat: the proposal with agenderen / aanhouden / afwijzen, its trail,
    and the switch that makes it confidential.

    "Agenderen" puts it on `default_id` (the proposal's own meeting, else the target rule's)."""
    open_states = (ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN)
    heading = {
        ProposalState.INGEDIEND: ":inbox_tray: *Nieuw agendavoorstel*",
        ProposalState.AANGEHOUDEN: ":hourglass: *Aangehouden agendavoorstel*",
    }.get(proposal.state, "*Agendavoorstel*")
    blocks: list[Block] = [section(heading + "\n" + _proposal_facts(proposal, tz))]
    if proposal.state in open_states:
        elements: list[dict[str, Any]] = []
        wanted = default_id if default_id is not None else proposal.meeting_id
        first = next((m for m in meetings if m.id == wanted), meetings[0] if meetings else None)
        if first is not None:
            elements.append(
                button(
                    f"Agenderen ({meeting_day_short(first, tz)})",
                    ids.SCHEDULE_PROPOSAL,
                    f"{proposal.id}:{first.id}",
                    style="primary",
                )
            )
        others = [m for m in meetings if first is None or m.id != first.id][:OPTION_LIMIT]
        if others:
            elements.append(
                {
                    "type": "static_select",
                    "action_id": ids.SCHEDULE_PROPOSAL_ON,
                    "placeholder": {"type": "plain_text", "text": "Agenderen op…"},
                    "options": [option(meeting_when_short(m, tz), f"{proposal.id}:{m.id}") for m in others],
                }
            )
        elements.append(button("Aanhouden", ids.DEFER_PROPOSAL, str(proposal.id)))
        elements.append(button("Afwijzen", ids.REJECT_PROPOSAL, str(proposal.id), style="danger"))
        elements.append(confidential_button(proposal))
        blocks.append(actions(*elements))
    else:
        blocks.append(context(_decision_line(proposal, tz, history)))
        blocks.append(actions(confidential_button(proposal)))
    if len(history) > 1:
        blocks.append(context(trail_line(history, tz).strip()))
    word = "Nieuw agendavoorstel" if proposal.state == ProposalState.INGEDIEND else "Agendavoorstel"
    return Reply(text=f"{word} {ref(proposal.id)} voor {with_article(proposal.overleg.name)}", blocks=blocks)


def _decision_line(proposal: AgendaProposal, tz: ZoneInfo, history: Sequence[TrailStep] = ()) -> str:
    word = STATE_WORDS[proposal.state]
    last = history[-1] if history else None
    if proposal.state in {ProposalState.BEHANDELD, ProposalState.VERVALLEN} and last is not None:
        mark = ":white_check_mark:" if proposal.state == ProposalState.BEHANDELD else ":heavy_minus_sign:"
        note = f": {escape_mrkdwn(truncate(last.note, 2500))}" if last.note else ""
        return f"{mark} {word.capitalize()} op {dutch_date(last.shown_at, tz)}{note}"
    if proposal.state == ProposalState.GEAGENDEERD and proposal.meeting is not None:
        return (
            f":white_check_mark: Geagendeerd voor {meeting_when(proposal.meeting, tz)}"
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
            f"van *{meeting_when(proposal.meeting, tz)}* (punt {proposal.position})."
        )
    elif decision.to_state == ProposalState.AANGEHOUDEN:
        later = (
            f"de vergadering van *{meeting_when(proposal.meeting, tz)}*"
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


def build_redacted_review(proposal_id: int) -> Reply:
    """What stays in REVIEW_CHANNEL of an item that became confidential: no title, no proposer."""
    text = (
        f":lock: Agendavoorstel {ref(proposal_id)} is vertrouwelijk gemaakt. "
        "Het secretariaat ziet het voortaan in een DM."
    )
    return Reply(text=f"Agendavoorstel {ref(proposal_id)} is vertrouwelijk", blocks=[section(text)])


def build_confidential_dm(proposal: AgendaProposal) -> Reply:
    """The proposer hears that the secretariaat changed their item's confidentiality."""
    if proposal.confidential:
        text = (
            f"Het secretariaat heeft je voorstel {title_line(proposal)} vertrouwelijk gemaakt: alleen jij "
            "en het secretariaat zien het, en het staat niet in openbare stukken."
        )
    else:
        text = f"Je voorstel {title_line(proposal)} is niet meer vertrouwelijk."
    return Reply(text=f"Voorstel {ref(proposal.id)}: vertrouwelijkheid aangepast", blocks=[section(text)])


def build_agenda(agenda: Agenda, *, tz: ZoneInfo) -> Reply:
    """`/ivb agenda`: the geagendeerde items of the next meeting, in order, with proposer."""
    overleg, meeting = agenda.overleg, agenda.meeting
    if meeting is None:
        return simple(f"Er staat nog geen {escape_mrkdwn(overleg.name)} gepland, dus er is nog geen agenda.")
    blocks: list[Block] = [header(f"Agenda {overleg.name}"), context(meeting_when(meeting, tz))]
    if not agenda.items:
        blocks.append(section("Er is nog niets geagendeerd. Iets voorstellen? `/ivb voorstel <titel>`"))
    else:
        lines = [
            f"{n}. {':lock: ' if item.confidential else ''}{escape_mrkdwn(item.title)} "
            f"_({ref(item.id)}, <@{item.proposer_id}>)_"
            for n, item in enumerate(agenda.items, start=1)
        ]
        blocks.extend(sections_of(lines))
    return Reply(
        text=f"Agenda {overleg.name} {meeting_when(meeting, tz)}",
        blocks=blocks[:MESSAGE_BLOCK_LIMIT],
    )


def build_saved(proposal: AgendaProposal) -> Reply:
    return simple(f"Je voorstel {title_line(proposal)} is bijgewerkt.")
