"""Block Kit for confidential items: the cut-down review post left in REVIEW_CHANNEL and the proposer's
notice when the secretariaat changes an item's confidentiality."""

from __future__ import annotations

from bot.blocks.kit import Reply, section
from bot.blocks.proposals import short_title, title_line
from bot.services.proposals import ref
from storage.models import AgendaProposal


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
    now = "nu vertrouwelijk" if proposal.confidential else "niet meer vertrouwelijk"
    return Reply(text=f"Voorstel {short_title(proposal)} is {now}", blocks=[section(text)])
