"""Block Kit for decisions on proposals: the proposer's DM (naming who decided) and the short answer to
the secretariaat after a decision from the `/ivb open` list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.blocks.kit import Block, Reply, context, section, truncate
from bot.blocks.proposals import state_summary, title_line
from bot.services.decisions import Decision
from bot.services.proposals import STATE_WORDS
from bot.text.dutch import dutch_datetime, with_article
from bot.text.slack import escape_mrkdwn, mention
from bot.text.when import meeting_when
from storage.models import ProposalState


def decision_summary(decision: Decision, *, tz: ZoneInfo) -> str:
    """`Voorstel #9 «Hennepconvenant» is geagendeerd voor het IVB van ma 7 dec`: the decision in one line."""
    return state_summary(decision.proposal, tz)


def build_decision_dm(decision: Decision, *, tz: ZoneInfo) -> Reply:
    """The proposer hears about every decision, and who made it."""
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
    blocks: list[Block] = [section(text)]
    if decision.actor_id and decision.actor_id != proposal.proposer_id and decision.at is not None:
        blocks.append(
            context(f"Besloten door {mention(decision.actor_id)}, {dutch_datetime(decision.at, tz)}")
        )
    return Reply(text=decision_summary(decision, tz=tz), blocks=blocks)


def build_decided_note(decision: Decision, *, tz: ZoneInfo) -> Reply:
    """To the secretariaat, below the `/ivb open` list: what their choice in the menu did."""
    summary = decision_summary(decision, tz=tz)
    return Reply(text=summary, blocks=[section(f":white_check_mark: {summary}. De indiener krijgt bericht.")])
