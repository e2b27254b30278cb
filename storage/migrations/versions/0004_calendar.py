"""The calendar as officials live it: working-day deadlines, Outlook's own text per meeting, which
meetings take proposals, what people were told, the feed's own sequence, and calendar sync state.

Revision ID: 0004_calendar
Revises: 0003_delivery
Create Date: 2026-11-30

Data-safe for existing overleggen and meetings: every overleg's calendar-day rule becomes the
working days it roughly spans (14 -> 10, 7 -> 5, 2 -> 2; never later than before), at the meeting's
own start time as before; every existing meeting keeps taking proposals and counts as announced at
its current start. `overleg.deadline_days` stays (unread) so a downgrade loses nothing, and because
SQLite before 3.35 can only drop a column by rebuilding the table, which with foreign keys on would
cascade into the meetings.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_calendar"
down_revision: str | None = "0003_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_PROPOSAL_WORDS = "werkbezoek,afstemmingsoverleg,wekelijks,vooroverleg,voorbereiding,excursie"


def working_days(calendar_days: int) -> int:
    """The working days a calendar-day rule spans, rounded up (the deadline never moves later)."""
    return (calendar_days * 5 + 6) // 7


def upgrade() -> None:
    op.add_column("overleg", sa.Column("deadline_working_days", sa.Integer(), nullable=False, server_default="10"))
    op.add_column("overleg", sa.Column("deadline_time", sa.Time(), nullable=True))
    op.add_column("overleg", sa.Column("deadline_version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column(
        "overleg",
        sa.Column("no_proposal_words", sa.String(length=500), nullable=False, server_default=NO_PROPOSAL_WORDS),
    )
    op.execute("UPDATE overleg SET deadline_working_days = (deadline_days * 5 + 6) / 7")

    op.add_column("meeting", sa.Column("title", sa.String(length=300), nullable=False, server_default=""))
    op.add_column("meeting", sa.Column("description", sa.Text(), nullable=False, server_default=""))
    op.add_column("meeting", sa.Column("online_url", sa.String(length=500), nullable=False, server_default=""))
    op.add_column(
        "meeting", sa.Column("takes_proposals", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column(
        "meeting", sa.Column("proposals_set_by_hand", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("meeting", sa.Column("announced_starts_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("meeting", sa.Column("feed_sequence", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("meeting", sa.Column("source", sa.String(length=40), nullable=False, server_default=""))
    op.execute("UPDATE meeting SET announced_starts_at = starts_at")

    op.create_table(
        "calendar_source",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=False),
        sa.Column("last_modified", sa.String(length=100), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("calendar_source")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would cascade.
    for column in (
        "source",
        "feed_sequence",
        "announced_starts_at",
        "proposals_set_by_hand",
        "takes_proposals",
        "online_url",
        "description",
        "title",
    ):
        op.drop_column("meeting", column)
    for column in ("no_proposal_words", "deadline_version", "deadline_time", "deadline_working_days"):
        op.drop_column("overleg", column)
