"""The one large-database filler: the benchmark's databases and the tests' large ones, by bulk insert.

Migrated by the bot's own migrations, filled deterministically (a seeded random generator) in seconds.
`users[0]` gets a share of the items on top of its turn, so "mijn" lists are never empty; `hostile`
fills every text with what must be escaped and cut (`<!here>`, `&`, long places) to push Slack's limits.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import (
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    Overleg,
    ProposalState,
)

USERS = [f"U0BENCH{i:04d}" for i in range(60)]
LOCATIONS = ["VGG, Groningen", "Provinciehuis, Groningen", "Gemeentehuis Veendam", "Online (Teams)"]
TITLES = [
    "Evaluatie jaarwisseling",
    "Cameratoezicht in de binnenstad",
    "Aanpak ondermijning: stand van zaken",
    "Crisisbeheersing en de nieuwe wet",
    "Woonoverlast & buurtbemiddeling",
    "Zorg- en Veiligheidshuis: jaarplan",
    "Regionaal veiligheidsplan <concept>",
]
# Proposal states as they end up over years: most are handled, a few still open.
STATE_WEIGHTS = [
    (ProposalState.BEHANDELD, 55),
    (ProposalState.AFGEWEZEN, 10),
    (ProposalState.INGETROKKEN, 5),
    (ProposalState.AANGEHOUDEN, 5),
    (ProposalState.INGEDIEND, 15),
    (ProposalState.GEAGENDEERD, 10),
]


@dataclass(frozen=True)
class Size:
    """How much data a benchmark database holds."""

    name: str
    meetings: int  # in total over the five overleggen
    years: float  # the span the meetings cover, centred a little before now
    proposals: int
    action_points: int


REALISTIC = Size("realistic", meetings=0, years=10, proposals=400, action_points=250)
LARGE = Size("large", meetings=5_000, years=20, proposals=50_000, action_points=20_000)
TINY_REALISTIC = Size("realistic", meetings=40, years=2, proposals=30, action_points=20)
TINY_LARGE = Size("large", meetings=80, years=2, proposals=200, action_points=100)

# The realistic calendar: meetings a year per overleg (IVB three times, the tables more often).
MEETINGS_PER_YEAR = {"ivb": 3, "kob": 6, "3noord": 4, "groningeragenda": 10, "jaarkalender": 4}


@dataclass(frozen=True)
class Texts:
    """Who the items belong to and what they say."""

    users: Sequence[str] = tuple(USERS)
    hostile: bool = False

    def person(self, rng: random.Random) -> str:
        return self.users[0] if rng.random() < 0.01 else rng.choice(self.users)

    def location(self, n: int, rng: random.Random) -> str:
        return f"Zaal {n % 9} & co <{n}>" * 3 if self.hostile else rng.choice(LOCATIONS)

    def title(self, n: int, rng: random.Random) -> str:
        return ("Voorstel <!here> " * 12)[:150] if self.hostile else f"{rng.choice(TITLES)} ({n})"

    def action(self, n: int) -> str:
        return (
            "Actie <!channel> & " * 40 if self.hostile else f"Actiepunt {n}: notitie opstellen en rondsturen"
        )


def _meeting_rows(
    overleggen: list[tuple[int, str]], size: Size, now: datetime, rng: random.Random, texts: Texts
) -> list[dict[str, object]]:
    """Meetings spread evenly over `size.years`, 80% in the past, at 09:30 or 13:30 local time (UTC here)."""
    start = now - timedelta(days=365.25 * size.years * 0.8)
    span = timedelta(days=365.25 * size.years)
    rows: list[dict[str, object]] = []
    for overleg_id, key in overleggen:
        if size.meetings:
            count = size.meetings // len(overleggen)
        else:
            count = round(MEETINGS_PER_YEAR.get(key, 4) * size.years)
        step = span / max(count, 1)
        for n in range(count):
            day = (start + step * n).replace(hour=8 if n % 2 else 12, minute=30, second=0, microsecond=0)
            status = MeetingStatus.GEPLAND
            roll = rng.random()
            if roll < 0.04:
                status = MeetingStatus.GEANNULEERD
            elif roll < 0.10:
                status = MeetingStatus.VERPLAATST
            rows.append(
                {
                    "overleg_id": overleg_id,
                    "starts_at": day,
                    "ends_at": day + timedelta(hours=2, minutes=30),
                    "all_day": False,
                    "location": texts.location(n, rng),
                    "status": status,
                    "uid": f"bench-{key}-{n}@vggbot",
                    "sequence": 0,
                    "created_at": now - timedelta(days=400),
                    "updated_at": now - timedelta(days=400),
                }
            )
    return rows


def _proposal_rows(
    meetings: list[tuple[int, int, datetime]], size: Size, now: datetime, rng: random.Random, texts: Texts
) -> list[dict[str, object]]:
    states = [s for s, _ in STATE_WEIGHTS]
    weights = [w for _, w in STATE_WEIGHTS]
    rows: list[dict[str, object]] = []
    for n in range(size.proposals):
        meeting_id, overleg_id, starts_at = rng.choice(meetings)
        created = starts_at - timedelta(days=rng.randint(15, 60))
        state = rng.choices(states, weights)[0]
        if starts_at < now and state in {ProposalState.INGEDIEND, ProposalState.GEAGENDEERD}:
            state = ProposalState.BEHANDELD  # the past is mostly settled; open ones sit in the future
        rows.append(
            {
                "overleg_id": overleg_id,
                "meeting_id": meeting_id,
                "title": texts.title(n, rng),
                "explanation": "Toelichting bij het voorstel, een paar zinnen lang." * 2,
                "proposer_id": texts.person(rng),
                "state": state,
                "reason": "Past beter bij een ander overleg." if state == ProposalState.AFGEWEZEN else "",
                "position": None,
                "created_at": min(created, now),
                "updated_at": min(created, now),
            }
        )
    return rows


def _action_rows(
    meetings: list[tuple[int, int, datetime]], size: Size, now: datetime, rng: random.Random, texts: Texts
) -> list[dict[str, object]]:
    past = [m for m in meetings if m[2] < now] or meetings
    rows: list[dict[str, object]] = []
    for n in range(size.action_points):
        meeting_id, overleg_id, starts_at = rng.choice(past)
        due: date = (starts_at + timedelta(days=rng.randint(7, 90))).date()
        done = rng.random() < 0.85
        rows.append(
            {
                "overleg_id": overleg_id,
                "meeting_id": meeting_id,
                "text": texts.action(n),
                "owner_id": texts.person(rng),
                "due_date": due,
                "status": ActionStatus.AFGEROND if done else ActionStatus.OPEN,
                "created_by": USERS[0],
                "created_at": starts_at,
                "completed_at": starts_at + timedelta(days=3) if done else None,
                "completed_by": USERS[0] if done else None,
            }
        )
    return rows


def fill(
    engine: Engine, size: Size, *, now: datetime, seed: int = 6, texts: Texts | None = None
) -> dict[str, int]:
    """Migrate and fill a database; returns the row counts."""
    upgrade(engine)
    rng = random.Random(seed)
    texts = texts or Texts()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")  # bulk filling may take longer
        overleggen = [(row.id, row.key) for row in conn.execute(select(Overleg.id, Overleg.key))]
        meeting_rows = _meeting_rows(overleggen, size, now, rng, texts)
        conn.execute(insert(Meeting), meeting_rows)
        meetings = [
            (
                row.id,
                row.overleg_id,
                row.starts_at.replace(tzinfo=UTC) if row.starts_at.tzinfo is None else row.starts_at,
            )
            for row in conn.execute(select(Meeting.id, Meeting.overleg_id, Meeting.starts_at))
        ]
        proposal_rows = _proposal_rows(meetings, size, now, rng, texts)
        for chunk in range(0, len(proposal_rows), 10_000):
            conn.execute(insert(AgendaProposal), proposal_rows[chunk : chunk + 10_000])
        action_rows = _action_rows(meetings, size, now, rng, texts)
        for chunk in range(0, len(action_rows), 10_000):
            conn.execute(insert(ActionPoint), action_rows[chunk : chunk + 10_000])
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("SET statement_timeout = 0")
            conn.execute(text("ANALYZE"))
    return {"meetings": len(meeting_rows), "proposals": len(proposal_rows), "action_points": len(action_rows)}


class Databases:
    """Creates the benchmark databases (SQLite files in `directory`, or on PostgreSQL) and drops them."""

    def __init__(self, directory: str, database_url: str | None = None, *, prefix: str = "vggbench_") -> None:
        self.directory = directory
        self.base_url = database_url
        self.prefix = prefix  # PostgreSQL database names start with it; a test passes its own
        self._created: list[str] = []

    def url_for(self, name: str) -> str:
        if not self.base_url:
            return f"sqlite:///{self.directory}/{name}.sqlite3"
        db_name = f"{self.prefix}{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        admin.dispose()
        self._created.append(db_name)
        return make_url(self.base_url).set(database=db_name).render_as_string(hide_password=False)

    def build(self, size: Size, *, now: datetime) -> tuple[str, dict[str, int]]:
        url = self.url_for(size.name)
        engine = make_engine(url)
        try:
            counts = fill(engine, size, now=now)
        finally:
            engine.dispose()
        return url, counts

    def drop_all(self) -> None:
        if not self.base_url or not self._created:
            return
        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self._created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
