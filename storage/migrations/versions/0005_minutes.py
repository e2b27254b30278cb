"""After the meeting: the besluitenlijst, each item's history, confidential items, linked action points.

- `agenda_outcome`: per meeting and agenda item behandeld / doorgeschoven / vervallen, with the decision;
- `proposal_step`: each item's history (state, the meeting it refers to, a note), filled from the
  audit trail for the proposals that exist already;
- `agenda_proposal.confidential`, `action_point.proposal_id`;
- the proposal state `vervallen` needs no change: states are stored as plain strings.

Revision ID: 0005_minutes
Revises: 0004_calendar
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_minutes"
down_revision: str | None = "0004_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("agenda_outcome", "proposal_step")

# The decisions recorded before this migration, as steps without a meeting (the trail shows their date).
BACKFILL = """
INSERT INTO proposal_step (proposal_id, at, state, meeting_id, actor_id, note)
SELECT e.entity_id, e.at, e.to_value, NULL, e.actor_id, ''
FROM audit_event e JOIN agenda_proposal p ON p.id = e.entity_id
WHERE e.entity = 'proposal'
  AND e.to_value IN ('ingediend', 'geagendeerd', 'aangehouden', 'afgewezen', 'ingetrokken', 'behandeld')
ORDER BY e.at, e.id
"""


def upgrade() -> None:
    op.create_table(
        "agenda_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "behandeld",
                "doorgeschoven",
                "vervallen",
                name="agenda_outcome_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["proposal_id"], ["agenda_proposal.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "proposal_id", name="uq_agenda_outcome"),
    )
    op.create_index("ix_outcome_proposal", "agenda_outcome", ["proposal_id"], unique=False)
    op.create_table(
        "proposal_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposal_id"], ["agenda_proposal.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_proposal_step_proposal", "proposal_step", ["proposal_id", "at"], unique=False)
    with op.batch_alter_table("agenda_proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("action_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_action_point_proposal", "agenda_proposal", ["proposal_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_action_proposal", ["proposal_id"], unique=False)
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        # Kept answers (/ivb open shows trails) are made of these too: bump the change counter (0002).
        for table in NEW_TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vggbot_bump_change_counter()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
    with op.batch_alter_table("action_point", schema=None) as batch_op:
        batch_op.drop_index("ix_action_proposal")
        batch_op.drop_constraint("fk_action_point_proposal", type_="foreignkey")
        batch_op.drop_column("proposal_id")
    with op.batch_alter_table("agenda_proposal", schema=None) as batch_op:
        batch_op.drop_column("confidential")
    op.drop_index("ix_proposal_step_proposal", table_name="proposal_step")
    op.drop_table("proposal_step")
    op.drop_index("ix_outcome_proposal", table_name="agenda_outcome")
    op.drop_table("agenda_outcome")
