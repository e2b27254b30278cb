"""Block Kit for agenda proposals: confirmations, review posts, decisions, forms, the agenda."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.blocks.help import propose_hint
from bot.blocks.kit import (
    MESSAGE_BLOCK_LIMIT,
    OPTION_LIMIT,
    Block,
    Reply,
    actions,
    button,
    clip,
    confirm_dialog,
    context,
    header,
    option,
    section,
    sections_of,
    simple,
    truncate,
)
from bot.services.proposals import STATE_WORDS, Agenda, Created, ref
from bot.text.dutch import dutch_datetime, dutch_day, dutch_short_date, plural, with_article
from bot.text.slack import escape_mrkdwn
from storage.models import AgendaProposal, MeetingStatus, ProposalState
from storage.queries.rows import MeetingRow


def title_line(proposal: AgendaProposal) -> str:
    return f"*{ref(proposal.id)} {escape_mrkdwn(proposal.title)}*"


def _owner_buttons(proposal_id: int) -> Block:
    withdraw = confirm_dialog(
        f"Voorstel {ref(proposal_id)} intrekken?",
        "Intrekken kan niet ongedaan worden gemaakt. Wil je het later toch, dan dien je het opnieuw in.",
        yes="Intrekken",
        no="Niet intrekken",
        danger=True,
    )
    return actions(
        button("Bewerken", ids.EDIT_PROPOSAL, str(proposal_id)),
        button("Intrekken", ids.WITHDRAW_PROPOSAL, str(proposal_id), style="danger", confirm=withdraw),
    )


def short_title(proposal: AgendaProposal) -> str:
    """`#9 «Hennepconvenant»` for a message's top-level text (notifications, screen readers)."""
    return f"{ref(proposal.id)} «{clip(proposal.title, 80)}»"


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
    fallback = f"Voorstel {short_title(proposal)} ingediend voor {with_article(proposal.overleg.name)}"
    if created.meeting is not None:
        fallback += f" van {dutch_day(created.meeting.starts_at, tz)}"
    return Reply(text=fallback, blocks=[section("\n".join(lines)), _owner_buttons(proposal.id)])


def _proposal_facts(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    lines = [
        title_line(proposal),
        f"Ingediend door <@{proposal.proposer_id}> voor {with_article(escape_mrkdwn(proposal.overleg.name))}",
    ]
    if proposal.meeting is not None and proposal.meeting.status == MeetingStatus.GEANNULEERD:
        lines.append(f"Vergadering: ~{dutch_datetime(proposal.meeting.starts_at, tz)}~ geannuleerd")
    elif proposal.meeting is not None:
        lines.append(f"Vergadering: {dutch_datetime(proposal.meeting.starts_at, tz)}")
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
    decided_by: str = "",
    decided_at: datetime | None = None,
) -> Reply:
    """The post for the secretariaat: the proposal with agenderen / aanhouden / afwijzen; after a
    decision it says which, by whom and when."""
    open_states = (ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN)
    heading = {
        ProposalState.INGEDIEND: ":inbox_tray: *Nieuw agendavoorstel*",
        ProposalState.AANGEHOUDEN: ":hourglass: *Aangehouden agendavoorstel*",
    }.get(proposal.state, "*Agendavoorstel*")
    blocks: list[Block] = [section(heading + "\n" + _proposal_facts(proposal, tz))]
    by = f" door <@{decided_by}>, {dutch_datetime(decided_at, tz)}" if decided_by and decided_at else ""
    if proposal.state in open_states:
        blocks.append(actions(*_review_elements(proposal, meetings, tz)))
        if by:
            blocks.append(context(f"Aangehouden{by}"))
    else:
        blocks.append(context(_decision_line(proposal, tz) + (f" —{by}" if by else "")))
    if proposal.state == ProposalState.INGEDIEND:
        text = f"Nieuw agendavoorstel {short_title(proposal)} voor {with_article(proposal.overleg.name)}"
    else:
        text = f"Agendavoorstel {short_title(proposal)}: {STATE_WORDS[proposal.state]}"
    return Reply(text=text, blocks=blocks)


def _review_elements(
    proposal: AgendaProposal, meetings: list[MeetingRow], tz: ZoneInfo
) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    first = next((m for m in meetings if m.id == proposal.meeting_id), meetings[0] if meetings else None)
    if first is not None:
        elements.append(
            button(
                f"Agenderen ({dutch_short_date(first.starts_at, tz)})",
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
                "options": [option(dutch_datetime(m.starts_at, tz), f"{proposal.id}:{m.id}") for m in others],
            }
        )
    elements.append(button("Aanhouden", ids.DEFER_PROPOSAL, str(proposal.id)))
    elements.append(button("Afwijzen", ids.REJECT_PROPOSAL, str(proposal.id), style="danger"))
    return elements


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


def build_agenda(agenda: Agenda, *, tz: ZoneInfo) -> Reply:
    """`/ivb agenda`: the geagendeerde items of the next meeting, in order, with proposer."""
    overleg, meeting = agenda.overleg, agenda.meeting
    if meeting is None:
        return simple(f"Er staat nog geen {escape_mrkdwn(overleg.name)} gepland, dus er is nog geen agenda.")
    blocks: list[Block] = [header(f"Agenda {overleg.name}"), context(dutch_datetime(meeting.starts_at, tz))]
    if not agenda.items:
        blocks.append(section("Er is nog niets geagendeerd."))
        blocks.append(context(propose_hint(overleg.key)))
    else:
        lines = [
            f"{n}. {escape_mrkdwn(item.title)} _({ref(item.id)}, <@{item.proposer_id}>)_"
            for n, item in enumerate(agenda.items, start=1)
        ]
        blocks.extend(sections_of(lines))
    return Reply(
        text=f"Agenda {overleg.name} van {dutch_day(meeting.starts_at, tz)}: "
        + plural(len(agenda.items), "punt", "punten"),
        blocks=blocks[:MESSAGE_BLOCK_LIMIT],
    )


def build_saved(proposal: AgendaProposal) -> Reply:
    return Reply(
        text=f"Voorstel {short_title(proposal)} is bijgewerkt",
        blocks=[section(f"Je voorstel {title_line(proposal)} is bijgewerkt.")],
    )
