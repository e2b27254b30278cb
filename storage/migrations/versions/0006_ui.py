"""Dialogue buttons keyed by a token that never repeats, and where the dialogue's summary was posted.

SQLite reuses the ids of deleted rows, so a button that named a conversation by its id could act on a
later dialogue. Existing conversations (at most 30 minutes old) get a token made from their id.

Revision ID: 0006_ui
Revises: 0005_minutes
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_ui"
down_revision: str | None = "0005_minutes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("summary_ts", sa.String(length=40), nullable=True))
    op.execute("UPDATE conversation SET token = 'old' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.alter_column("token", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint("uq_conversation_token", ["token"])


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_constraint("uq_conversation_token", type_="unique")
        batch_op.drop_column("summary_ts")
        batch_op.drop_column("token")
