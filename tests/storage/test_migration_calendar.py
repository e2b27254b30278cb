"""Migration 0004_calendar keeps what is there: overleggen get the working days their calendar-day rule
spans, meetings keep taking proposals at the start they were announced, proposals stay on them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.migrate import upgrade
from tests.conftest import PG_ENV


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it yet (not the migrated template)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    name = f"vggbot_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_data_survives_and_deadlines_become_working_days(empty_url: str) -> None:
    """A database at 0002 with meetings and a proposal: after 0004 nothing is lost, the IVB's 14 days are
    10 working days, the jaarkalender's 2 days 2, and the meeting takes proposals as before."""
    engine = make_engine(empty_url)
    upgrade(engine, "0002")
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        ivb = conn.execute(text("SELECT id FROM overleg WHERE key = 'ivb'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO meeting (overleg_id, starts_at, all_day, location, status, uid, sequence,"
                " created_at, updated_at) VALUES (:o, :s, false, 'VGG', 'verplaatst', 'old-1', 3, :s, :s)"
            ),
            {"o": ivb, "s": start},
        )
        meeting = conn.execute(text("SELECT id FROM meeting WHERE uid = 'old-1'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO agenda_proposal (overleg_id, meeting_id, title, explanation, proposer_id,"
                " state, reason, created_at, updated_at)"
                " VALUES (:o, :m, 'Oud punt', '', 'U1', 'geagendeerd', '', :s, :s)"
            ),
            {"o": ivb, "m": meeting, "s": start},
        )
    upgrade(engine, "0004_calendar")
    with engine.connect() as conn:
        rules = dict(conn.execute(text("SELECT key, deadline_working_days FROM overleg")).all())
        row = conn.execute(
            text(
                "SELECT title, takes_proposals, proposals_set_by_hand, announced_starts_at, status, sequence,"
                " feed_sequence FROM meeting WHERE uid = 'old-1'"
            )
        ).one()
        linked = conn.execute(text("SELECT meeting_id FROM agenda_proposal")).scalar_one()
        words = conn.execute(text("SELECT no_proposal_words FROM overleg WHERE key = 'ivb'")).scalar_one()
    engine.dispose()
    assert rules == {"ivb": 10, "kob": 10, "3noord": 10, "groningeragenda": 5, "jaarkalender": 2}
    assert (row.title, bool(row.takes_proposals), bool(row.proposals_set_by_hand)) == ("", True, False)
    assert row.announced_starts_at is not None
    assert (row.status, row.sequence, row.feed_sequence) == ("verplaatst", 3, 0)
    assert linked == meeting
    assert "werkbezoek" in words
