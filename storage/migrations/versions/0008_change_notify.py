"""The change counter's trigger also announces the change: NOTIFY vggbot_changes, once per transaction.

Kept answers on PostgreSQL then need no round trip to know the data is unchanged: every process
listens (storage/changes.py), and PostgreSQL delivers the notification when, and only when, the
transaction commits. The counter stays: the watcher reads it after a reconnect and once a second, so
a notification lost with a connection is still noticed.

Revision ID: 0008_change_notify
Revises: 0007_short_name
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_change_notify"
down_revision: str | None = "0007_short_name"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "vggbot_changes"


def _bump(announce: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION vggbot_bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('vggbot.change_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('vggbot.change_bumped', txid_current()::text, true);
    INSERT INTO change_counter (id, n) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET n = change_counter.n + 1;{announce}
  END IF;
  RETURN NULL;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_bump(f"\n    PERFORM pg_notify('{CHANNEL}', '');"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_bump(""))
