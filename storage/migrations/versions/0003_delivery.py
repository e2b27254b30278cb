"""Delivery that loses nothing and doubles nothing: the outbox, every review post's place, the moment a
scheduled post was attempted, and one agenda item per place.

Revision ID: 0003_delivery
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_delivery"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _renumber_duplicate_positions() -> None:
    """Races could give two items one place on an agenda: renumber each such agenda 1, 2, 3, ... in the
    order it had (position, then id), so the unique constraint can be added without losing an item."""
    conn = op.get_bind()
    proposal = sa.table(
        "agenda_proposal", sa.column("id"), sa.column("meeting_id"), sa.column("position")
    )
    duplicated = conn.execute(
        sa.select(proposal.c.meeting_id)
        .where(proposal.c.position.is_not(None))
        .group_by(proposal.c.meeting_id, proposal.c.position)
        .having(sa.func.count() > 1)
    ).scalars().all()
    for meeting_id in set(duplicated):
        rows = conn.execute(
            sa.select(proposal.c.id)
            .where(proposal.c.meeting_id == meeting_id, proposal.c.position.is_not(None))
            .order_by(proposal.c.position, proposal.c.id)
        ).scalars().all()
        for place, proposal_id in enumerate(rows, start=1):
            conn.execute(sa.update(proposal).where(proposal.c.id == proposal_id).values(position=place))


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("not_before", UTC_DATETIME, nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        sa.Column("claimed_at", UTC_DATETIME, nullable=True),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_status_due", "outbox", ["status", "not_before"])
    op.create_table(
        "review_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("ts", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["agenda_proposal.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "channel", name="uq_review_post_place"),
    )
    op.execute(
        "INSERT INTO review_post (proposal_id, channel, ts) SELECT id, review_channel, review_ts "
        "FROM agenda_proposal WHERE review_channel IS NOT NULL AND review_ts IS NOT NULL"
    )
    with op.batch_alter_table("post_slot") as batch:
        batch.add_column(sa.Column("attempted_at", UTC_DATETIME, nullable=True))
    _renumber_duplicate_positions()
    with op.batch_alter_table("agenda_proposal") as batch:
        batch.drop_column("review_channel")
        batch.drop_column("review_ts")
        batch.create_unique_constraint("uq_proposal_meeting_position", ["meeting_id", "position"])


def downgrade() -> None:
    with op.batch_alter_table("agenda_proposal") as batch:
        batch.drop_constraint("uq_proposal_meeting_position", type_="unique")
        batch.add_column(sa.Column("review_channel", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("review_ts", sa.String(length=40), nullable=True))
    with op.batch_alter_table("post_slot") as batch:
        batch.drop_column("attempted_at")
    op.drop_table("review_post")
    op.drop_index("ix_outbox_status_due", table_name="outbox")
    op.drop_table("outbox")
