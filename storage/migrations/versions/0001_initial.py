"""Initial schema and the default overleggen from the VGG's own account (seed).

Revision ID: 0001
Revises: 
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The overleggen named in the seed text (Bestuur en Veiligheid, 2023). The deadline is the number of
# days before a meeting that a proposal still counts for it.
DEFAULT_OVERLEGGEN = [
    {
        "key": "ivb",
        "name": "Integraal Veiligheidsberaad",
        "aliases": "ivb,integraal veiligheidsberaad,veiligheidsberaad,oov,ambtenaren oov",
        "deadline_days": 14,
        "sort_order": 1,
    },
    {
        "key": "kob",
        "name": "Bestuurlijke tafel Kwaliteit Openbaar Bestuur",
        "aliases": "kob,kwaliteit openbaar bestuur,bestuurlijke tafel kob,tafel kob",
        "deadline_days": 14,
        "sort_order": 2,
    },
    {
        "key": "3noord",
        "name": "3-Noord tafel",
        "aliases": "3-noord,3 noord,3noord,drie noord,3-noord tafel",
        "deadline_days": 14,
        "sort_order": 3,
    },
    {
        "key": "groningeragenda",
        "name": "Secretarissenoverleg Groninger Agenda",
        "aliases": "groninger agenda,secretarissen,secretarissenoverleg,secretarissenoverleg groninger agenda",
        "deadline_days": 7,
        "sort_order": 4,
    },
    {
        "key": "jaarkalender",
        "name": "Overleg bestuurlijke jaarkalender",
        "aliases": "jaarkalender,bestuurlijke jaarkalender,overleg bestuurlijke jaarkalender",
        "deadline_days": 2,
        "sort_order": 5,
    },
]


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_value', sa.String(length=200), nullable=False),
    sa.Column('to_value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_actor', ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=False),
    sa.Column('thread_ts', sa.String(length=40), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'channel_id', 'thread_ts', name='uq_conversation_place')
    )
    op.create_table('feed_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_token_user_id'), ['user_id'], unique=False)

    op.create_table('overleg',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('aliases', sa.String(length=500), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('post_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('slot_key', sa.String(length=100), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_ts', sa.String(length=40), nullable=True),
    sa.Column('permalink', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'slot_key', 'channel', name='uq_post_slot')
    )
    op.create_table('processed_event',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('processed_event', schema=None) as batch_op:
        batch_op.create_index('ix_processed_event_received', ['received_at'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('overleg_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('gepland', 'verplaatst', 'geannuleerd', name='meeting_status', native_enum=False, length=20), nullable=False),
    sa.Column('uid', sa.String(length=400), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['overleg_id'], ['overleg.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_overleg_start', ['overleg_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_meeting_start', ['starts_at'], unique=False)

    op.create_table('action_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('overleg_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.String(length=40), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'afgerond', name='action_status', native_enum=False, length=20), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['overleg_id'], ['overleg.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_point', schema=None) as batch_op:
        batch_op.create_index('ix_action_overleg_status', ['overleg_id', 'status'], unique=False)
        batch_op.create_index('ix_action_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_action_status_due', ['status', 'due_date'], unique=False)

    op.create_table('agenda_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('overleg_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('proposer_id', sa.String(length=40), nullable=False),
    sa.Column('state', sa.Enum('ingediend', 'geagendeerd', 'aangehouden', 'afgewezen', 'ingetrokken', 'behandeld', name='proposal_state', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('source_channel', sa.String(length=40), nullable=True),
    sa.Column('source_ts', sa.String(length=40), nullable=True),
    sa.Column('source_permalink', sa.String(length=500), nullable=True),
    sa.Column('review_channel', sa.String(length=40), nullable=True),
    sa.Column('review_ts', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['overleg_id'], ['overleg.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_created', ['created_at'], unique=False)
        batch_op.create_index('ix_proposal_meeting_state', ['meeting_id', 'state'], unique=False)
        batch_op.create_index('ix_proposal_overleg_state', ['overleg_id', 'state'], unique=False)
        batch_op.create_index('ix_proposal_proposer_state', ['proposer_id', 'state'], unique=False)
        batch_op.create_index('ix_proposal_source', ['source_channel', 'source_ts'], unique=False)
        batch_op.create_index('ix_proposal_state_created', ['state', 'created_at'], unique=False)


    overleg = sa.table(
        "overleg",
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("aliases", sa.String),
        sa.column("deadline_days", sa.Integer),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(overleg, DEFAULT_OVERLEGGEN)


def downgrade() -> None:
    with op.batch_alter_table('agenda_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_state_created')
        batch_op.drop_index('ix_proposal_source')
        batch_op.drop_index('ix_proposal_proposer_state')
        batch_op.drop_index('ix_proposal_overleg_state')
        batch_op.drop_index('ix_proposal_meeting_state')
        batch_op.drop_index('ix_proposal_created')

    op.drop_table('agenda_proposal')
    with op.batch_alter_table('action_point', schema=None) as batch_op:
        batch_op.drop_index('ix_action_status_due')
        batch_op.drop_index('ix_action_owner_status')
        batch_op.drop_index('ix_action_overleg_status')

    op.drop_table('action_point')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_start')
        batch_op.drop_index('ix_meeting_overleg_start')

    op.drop_table('meeting')
    with op.batch_alter_table('processed_event', schema=None) as batch_op:
        batch_op.drop_index('ix_processed_event_received')

    op.drop_table('processed_event')
    op.drop_table('post_slot')
    op.drop_table('overleg')
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_token_user_id'))

    op.drop_table('feed_token')
    op.drop_table('conversation')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entity')
        batch_op.drop_index('ix_audit_actor')

    op.drop_table('audit_event')
