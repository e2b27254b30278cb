"""Fills a database with a realistic large history by bulk insert (seconds, not minutes).

Used by the large-database test and by `bench/open_items_scale.py`. Deterministic: a seeded
random generator, so every run builds the same database.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import (
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    Overleg,
    ProposalState,
)

FULL = {"meetings": 5_000, "proposals": 50_000, "actions": 20_000}
BATCH = 5_000


def fill(
    session: Session, *, meetings: int, proposals: int, actions: int, users: list[str], now: datetime
) -> None:
    """`meetings` over 20 years around `now`; `proposals` and `actions` by `users` (the first one often)."""
    rng = random.Random(20230301)
    overleggen = list(session.scalars(select(Overleg.id)))
    start = now - timedelta(days=365 * 10)
    meeting_rows = [
        {
            "overleg_id": overleggen[i % len(overleggen)],
            "starts_at": start + timedelta(hours=rng.randrange(0, 24 * 365 * 20)),
            "location": "VGG, Groningen",
            "status": MeetingStatus.GEPLAND if i % 20 else MeetingStatus.GEANNULEERD,
            "uid": f"large-{i}@vggbot",
        }
        for i in range(meetings)
    ]
    for i in range(0, len(meeting_rows), BATCH):
        session.execute(insert(Meeting), meeting_rows[i : i + BATCH])
    by_overleg: dict[int, list[int]] = {}
    for meeting_id, overleg_id in session.execute(select(Meeting.id, Meeting.overleg_id)):
        by_overleg.setdefault(overleg_id, []).append(meeting_id)
    states = list(ProposalState)

    def person() -> str:
        return users[0] if rng.random() < 0.01 else rng.choice(users)

    def created() -> datetime:
        return (now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 5))).astimezone(UTC)

    proposal_rows = []
    for i in range(proposals):
        overleg_id = rng.choice(overleggen)
        moment = created()
        proposal_rows.append(
            {
                "overleg_id": overleg_id,
                "meeting_id": rng.choice(by_overleg[overleg_id]) if rng.random() < 0.9 else None,
                "title": f"Voorstel {i} & <overleg> " + "x" * rng.randrange(0, 100),
                "explanation": "",
                "proposer_id": person(),
                "state": rng.choice(states),
                "created_at": moment,
                "updated_at": moment,
            }
        )
    for i in range(0, len(proposal_rows), BATCH):
        session.execute(insert(AgendaProposal), proposal_rows[i : i + BATCH])
    today = now.date()
    action_rows = []
    for i in range(actions):
        overleg_id = rng.choice(overleggen)
        due: date | None = today + timedelta(days=rng.randrange(-200, 200)) if rng.random() < 0.8 else None
        action_rows.append(
            {
                "overleg_id": overleg_id,
                "meeting_id": rng.choice(by_overleg[overleg_id]),
                "text": f"Actie {i}: " + "lange omschrijving " * rng.randrange(0, 30),
                "owner_id": person(),
                "due_date": due,
                "status": ActionStatus.OPEN if rng.random() < 0.6 else ActionStatus.AFGEROND,
                "created_by": "U0ADMIN0001",
                "created_at": created(),
            }
        )
    for i in range(0, len(action_rows), BATCH):
        session.execute(insert(ActionPoint), action_rows[i : i + BATCH])
