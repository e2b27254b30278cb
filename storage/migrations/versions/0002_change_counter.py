"""A change counter for answer caches on PostgreSQL, bumped at commit by deferred triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose content kept answers (/ivb volgende, kalender, open, the Home tab) are made of.
WATCHED = ("overleg", "meeting", "agenda_proposal", "action_point")

# Once per transaction (a transaction-local setting remembers it), at commit time (deferred), so the
# new value becomes visible in the same instant as the data, and the counter row is the last lock a
# writing transaction takes: writers queue on it briefly but can never deadlock over it.
BUMP = """
CREATE OR REPLACE FUNCTION vggbot_bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('vggbot.change_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('vggbot.change_bumped', txid_current()::text, true);
    INSERT INTO change_counter (id, n) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET n = change_counter.n + 1;
  END IF;
  RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO change_counter (id, n) VALUES (1, 0)")
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has PRAGMA data_version (storage/changes.py)
    op.execute(BUMP)
    for table in WATCHED:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vggbot_bump_change_counter()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS vggbot_bump_change_counter()")
    op.drop_table("change_counter")
