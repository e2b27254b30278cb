"""Short overleg names (`IVB`, `KOB`) for lists that must read at a glance: digest, kalender, Home.

The five overleggen of the seed get the short name the officials use; an overleg without one is shown by
its full name.

Revision ID: 0007_short_name
Revises: 0006_ui
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_short_name"
down_revision: str | None = "0006_ui"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the officials say them (seed text): "het IVB", "de KOB-tafel", "3-Noord".
SHORT_NAMES = {
    "ivb": "IVB",
    "kob": "KOB-tafel",
    "3noord": "3-Noord",
    "groningeragenda": "Groninger Agenda",
    "jaarkalender": "Jaarkalender",
}


def _fire_pending_triggers() -> None:
    """On PostgreSQL, run the change counter's deferred triggers now rather than at COMMIT: ALTER TABLE
    refuses a table with pending trigger events (an earlier migration's UPDATE in the same transaction)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")


def upgrade() -> None:
    _fire_pending_triggers()
    with op.batch_alter_table("overleg", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_name", sa.String(length=40), nullable=False, server_default=""))
    overleg = sa.table("overleg", sa.column("key", sa.String), sa.column("short_name", sa.String))
    for key, short in SHORT_NAMES.items():
        op.execute(overleg.update().where(overleg.c.key == key).values(short_name=short))
    _fire_pending_triggers()


def downgrade() -> None:
    _fire_pending_triggers()
    with op.batch_alter_table("overleg", schema=None) as batch_op:
        batch_op.drop_column("short_name")
