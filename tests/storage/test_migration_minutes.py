"""Migration 0005_minutes: decisions recorded before it become each proposal's first history steps."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import upgrade


def test_existing_decisions_become_history_steps(tmp_path: Path) -> None:
    """A proposal ingediend and aangehouden before the migration has those two steps after it, in order."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0002")
    at = datetime(2023, 3, 1, 9, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agenda_proposal (id, overleg_id, title, explanation, proposer_id, state, reason,"
                " created_at, updated_at) VALUES (1, 1, 'Hennepconvenant', '', 'U0A', 'aangehouden', '',"
                " :at, :at)"
            ),
            {"at": at},
        )
        for minute, action, old, new in (
            (0, "ingediend", "", "ingediend"),
            (5, "aanhouden", "ingediend", "aangehouden"),
            (6, "bewerkt", "Oud", "Nieuw"),
        ):
            conn.execute(
                text(
                    "INSERT INTO audit_event (entity, entity_id, actor_id, at, action, from_value, to_value)"
                    " VALUES ('proposal', 1, 'U0A', :at, :action, :old, :new)"
                ),
                {"at": at.replace(minute=minute), "action": action, "old": old, "new": new},
            )
    upgrade(engine)
    with engine.begin() as conn:
        steps = conn.execute(text("SELECT state, meeting_id FROM proposal_step ORDER BY at, id")).all()
        confidential = conn.execute(text("SELECT confidential FROM agenda_proposal")).scalar_one()
    engine.dispose()
    assert [tuple(step) for step in steps] == [("ingediend", None), ("aangehouden", None)]
    assert not confidential
