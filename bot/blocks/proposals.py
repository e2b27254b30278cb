"""Block Kit for agenda proposals: confirmations, review posts, decisions, forms, the agenda."""

from __future__ import annotations

from collections.abc import Sequence
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
    shown_in,
    simple,
    trail_line,
    truncate,
)
from bot.blocks.meetings import meeting_phrase, target_phrase
from bot.services.meetings import Target
from bot.services.proposals import STATE_WORDS, Agenda, Created, ref
from bot.text.dutch import TrailStep, dutch_date, dutch_datetime, dutch_day, list_date, plural, with_article
from bot.text.slack import escape_mrkdwn
from bot.text.when import dutch_deadline, meeting_day_short, meeting_when, meeting_when_short
from storage.models import AgendaProposal, MeetingStatus, Overleg, ProposalState
from storage.queries.rows import MeetingRow, OverlegRow


def title_line(proposal: AgendaProposal) -> str:
    lock = ":lock: " if proposal.confidential else ""
    return f"{lock}*{ref(proposal.id)} {escape_mrkdwn(proposal.title)}*"


def confidential_button(proposal: AgendaProposal) -> dict[str, Any]:
    """The secretariaat's switch: only the proposer and the secretariaat see a confidential item."""
    if proposal.confidential:
        return button("Niet vertrouwelijk", ids.TOGGLE_CONFIDENTIAL, f"{proposal.id} nee")
    return button("Vertrouwelijk", ids.TOGGLE_CONFIDENTIAL, f"{proposal.id} ja")


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


def short_title(proposal: AgendaProposal) -> str:
    """`#9 «Hennepconvenant»` for a message's top-level text (notifications, screen readers)."""
    return f"{ref(proposal.id)} «{clip(proposal.title, 80)}»"


def overleg_called(overleg: OverlegRow | Overleg) -> str:
    """`het IVB`, `de KOB-tafel`: the short name with the article its full name takes (plain text)."""
    article = with_article(overleg.name).split(" ", 1)[0]
    label = overleg.short_name or overleg.name
    return f"{article} {label}"


def state_summary(proposal: AgendaProposal, tz: ZoneInfo) -> str:
    """`Voorstel #9 «Hennepconvenant» is geagendeerd voor het IVB van ma 7 dec`: where it stands, with
    its title, for a message's top-level text (notifications, screen readers)."""
    subject = f"Voorstel {short_title(proposal)}"
    meeting = proposal.meeting
    day = list_date(meeting.starts_at, meeting.starts_at.astimezone(tz).date(), tz) if meeting else ""
    if proposal.state == ProposalState.GEAGENDEERD and meeting is not None:
        return f"{subject} is geagendeerd voor {overleg_called(proposal.overleg)} van {day}"
    if proposal.state == ProposalState.AANGEHOUDEN:
        later = f" en schuift door naar {overleg_called(proposal.overleg)} van {day}" if meeting else ""
        return f"{subject} is aangehouden{later}"
    return f"{subject} is {STATE_WORDS[proposal.state]}"


def build_created(created: Created, *, tz: ZoneInfo) -> Reply:
    """The confirmation to the proposer: reference, overleg, target meeting, deadline, plainly."""
    proposal = created.proposal
    lines = [
        f":white_check_mark: Je voorstel {title_line(proposal)} is ingediend "
        f"voor {with_article('*' + escape_mrkdwn(proposal.overleg.name) + '*')}.",
        *target_lines(created.target, tz),
        "Het secretariaat beslist erover; je krijgt bericht.",
    ]
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
        lines.append(f"Vergadering: ~{meeting_when(proposal.meeting, tz)}~ geannuleerd")
    elif proposal.meeting is not None:
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
    decided_by: str = "",
    decided_at: datetime | None = None,
) -> Reply:
    """The post for the secretariaat: the proposal with agenderen / aanhouden / afwijzen, its trail and
    the switch that makes it confidential; after a decision it says which, by whom and when.

    "Agenderen" puts it on `default_id` (the proposal's own meeting, else the target rule's)."""
    open_states = (ProposalState.INGEDIEND, ProposalState.AANGEHOUDEN)
    heading = {
        ProposalState.INGEDIEND: ":inbox_tray: *Nieuw agendavoorstel*",
        ProposalState.AANGEHOUDEN: ":hourglass: *Aangehouden agendavoorstel*",
    }.get(proposal.state, "*Agendavoorstel*")
    blocks: list[Block] = [section(heading + "\n" + _proposal_facts(proposal, tz))]
    by = f" door <@{decided_by}>, {dutch_datetime(decided_at, tz)}" if decided_by and decided_at else ""
    if proposal.state in open_states:
        blocks.append(actions(*_review_elements(proposal, meetings, tz, default_id)))
        if by:
            blocks.append(context(f"Aangehouden{by}"))
    else:
        blocks.append(context(_decision_line(proposal, tz, history) + (f" —{by}" if by else "")))
        blocks.append(actions(confidential_button(proposal)))
    if len(history) > 1:
        blocks.append(context(trail_line(history, tz).strip()))
    if proposal.state == ProposalState.INGEDIEND:
        text = f"Nieuw agendavoorstel {short_title(proposal)} voor {with_article(proposal.overleg.name)}"
    else:
        text = state_summary(proposal, tz)
    return Reply(text=text, blocks=blocks)


def _review_elements(
    proposal: AgendaProposal, meetings: list[MeetingRow], tz: ZoneInfo, default_id: int | None
) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    state = proposal.state.value
    wanted = default_id if default_id is not None else proposal.meeting_id
    first = next((m for m in meetings if m.id == wanted), meetings[0] if meetings else None)
    if first is not None:
        elements.append(
            button(
                f"Agenderen ({meeting_day_short(first, tz)})",
                ids.SCHEDULE_PROPOSAL,
                shown_in(f"{proposal.id}:{first.id}", state),
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
                "options": [
                    option(meeting_when_short(m, tz), shown_in(f"{proposal.id}:{m.id}", state))
                    for m in others
                ],
            }
        )
    elements.append(button("Aanhouden", ids.DEFER_PROPOSAL, shown_in(str(proposal.id), state)))
    elements.append(
        button("Afwijzen", ids.REJECT_PROPOSAL, shown_in(str(proposal.id), state), style="danger")
    )
    elements.append(confidential_button(proposal))
    return elements


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


def build_agenda(agenda: Agenda, *, tz: ZoneInfo) -> Reply:
    """`/ivb agenda`: the geagendeerde items of the next meeting, in order, with proposer."""
    overleg, meeting = agenda.overleg, agenda.meeting
    if meeting is None:
        return simple(f"Er staat nog geen {escape_mrkdwn(overleg.name)} gepland, dus er is nog geen agenda.")
    blocks: list[Block] = [header(f"Agenda {overleg.name}"), context(meeting_when(meeting, tz))]
    if not agenda.items and not agenda.hidden:
        blocks.append(section("Er is nog niets geagendeerd."))
        blocks.append(context(propose_hint(overleg.key)))
    else:
        lines = [
            f"{n}. {':lock: ' if item.confidential else ''}{escape_mrkdwn(item.title)} "
            f"_({ref(item.id)}, <@{item.proposer_id}>)_"
            for n, item in enumerate(agenda.items, start=1)
        ]
        blocks.extend(sections_of(lines))
    if agenda.hidden:
        secret = plural(agenda.hidden, "vertrouwelijk punt", "vertrouwelijke punten")
        which = "dat" if agenda.hidden == 1 else "die"
        blocks.append(context(f":lock: En {secret} {which} alleen het secretariaat en de indiener zien."))
    return Reply(
        text=f"Agenda {overleg.name} van {dutch_day(meeting.starts_at, tz)}: "
        + plural(len(agenda.items) + agenda.hidden, "punt", "punten"),
        blocks=blocks[:MESSAGE_BLOCK_LIMIT],
    )


def build_saved(proposal: AgendaProposal) -> Reply:
    return Reply(
        text=f"Voorstel {short_title(proposal)} is bijgewerkt",
        blocks=[section(f"Je voorstel {title_line(proposal)} is bijgewerkt.")],
    )
