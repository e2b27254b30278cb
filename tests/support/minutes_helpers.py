"""Agenda items on the seed's 2023 IVB meetings, made through the real services (besluitenlijst tests)."""

from __future__ import annotations

from datetime import datetime

from bot.runtime.deps import Deps
from bot.services import decisions, proposals
from tests.conftest import ADMIN, AMS
from tests.support.proposal_helpers import seed_ivb_2023

MARCH_1 = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
MORNING_AFTER_MARCH = datetime(2023, 3, 21, 9, 0, tzinfo=AMS)


def agenda_items(
    deps: Deps, titles: list[str], *, proposer: str, confidential: tuple[str, ...] = ()
) -> list[int]:
    """Each title proposed on 1 March by `proposer`, agendered by the secretariaat on the IVB of 20 March."""
    with deps.sessions.begin() as s:
        ids = []
        for title in titles:
            created = proposals.create_proposal(
                session=s,
                proposer_id=proposer,
                title=title,
                now=MARCH_1,
                tz=AMS,
                confidential=title in confidential,
            )
            decisions.decide(
                session=s,
                proposal_id=created.proposal.id,
                actor_id=ADMIN,
                admin_ids=(ADMIN,),
                decision="agenderen",
                now=MARCH_1,
            )
            ids.append(created.proposal.id)
        return ids


def ivb_with_items(
    deps: Deps, titles: list[str], *, proposer: str, confidential: tuple[str, ...] = ()
) -> tuple[list[int], list[int]]:
    """The three 2023 IVB meetings, and `titles` agendered on the first (20 March)."""
    meetings = seed_ivb_2023(deps)
    return meetings, agenda_items(deps, titles, proposer=proposer, confidential=confidential)
