"""Marking items confidential in the services: the words in chat, who may mark, the proposer's edit,
and the audit trail."""

from __future__ import annotations

import pytest

from bot.runtime.deps import Deps
from bot.services import proposals
from bot.services.confidential import set_confidential
from bot.services.errors import NotAllowed
from bot.text.proposal_text import strip_confidential
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import audit_trail
from tests.support.minutes_helpers import MARCH_1
from tests.support.proposal_helpers import seed_ivb_2023


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kob: Titel", ("kob: Titel", False)),
        ("vertrouwelijk: Titel", ("Titel", True)),
        ("kob Vertrouwelijk: Titel", ("kob: Titel", True)),
        ("tafel kob confidential: Titel", ("tafel kob: Titel", True)),
        ("Hennep: vertrouwelijk stuk", ("Hennep: vertrouwelijk stuk", False)),
    ],
)
def test_the_word_vertrouwelijk_before_the_colon(text: str, expected: tuple[str, bool]) -> None:
    """`/ivb voorstel vertrouwelijk: …` and `/ivb voorstel kob vertrouwelijk: …` mark; the overleg word
    remains; after the colon the word is part of the title."""
    assert strip_confidential(text) == expected


def test_who_may_mark_and_what_is_audited(deps: Deps) -> None:
    """The secretariaat and the proposer may (un)mark, someone else may not; a change is audited once,
    and the proposer's edit form can mark it too while it is ingediend."""
    seed_ivb_2023(deps)
    with deps.sessions.begin() as s:
        item = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="Casus", now=MARCH_1, tz=AMS)
        item_id = item.proposal.id
    with deps.sessions.begin() as s, pytest.raises(NotAllowed):
        set_confidential(
            session=s,
            proposal_id=item_id,
            actor_id="U0SOMEONE01",
            is_admin=False,
            confidential=True,
            now=MARCH_1,
        )
    with deps.sessions.begin() as s:
        for _ in range(2):  # the second click changes nothing and records nothing
            set_confidential(
                session=s, proposal_id=item_id, actor_id=ADMIN, is_admin=True, confidential=True, now=MARCH_1
            )
        proposals.edit(
            session=s,
            proposal_id=item_id,
            user_id=OFFICIAL,
            title="Casus",
            explanation="",
            now=MARCH_1,
            confidential=False,
        )
    with deps.sessions() as s:
        trail = [(e.action, e.from_value, e.to_value) for e in audit_trail(s, "proposal", item_id)]
    assert trail == [
        ("ingediend", "", "ingediend"),
        ("vertrouwelijk", "nee", "ja"),
        ("bewerkt", "Casus", "Casus"),
        ("vertrouwelijk", "ja", "nee"),
    ]
