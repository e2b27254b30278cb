"""The typed SQLAlchemy models. All datetimes are stored timezone-aware, in UTC."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, normalised to UTC in and out (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class MeetingStatus(enum.StrEnum):
    GEPLAND = "gepland"
    VERPLAATST = "verplaatst"
    GEANNULEERD = "geannuleerd"


class ProposalState(enum.StrEnum):
    INGEDIEND = "ingediend"
    GEAGENDEERD = "geagendeerd"
    AANGEHOUDEN = "aangehouden"
    AFGEWEZEN = "afgewezen"
    INGETROKKEN = "ingetrokken"
    BEHANDELD = "behandeld"


# Proposals that count towards a meeting's agenda ("4 agendavoorstellen tot nu toe").
LIVE_PROPOSAL_STATES = (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.BEHANDELD)
# Proposals that still need something from someone: not behandeld, afgewezen or ingetrokken.
OPEN_PROPOSAL_STATES = (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.AANGEHOUDEN)


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    AFGEROND = "afgerond"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK, so adding a value is a small migration on every backend.
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Overleg(Base):
    """A recurring meeting body (IVB, KOB tafel, …)."""

    __tablename__ = "overleg"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, lower case
    deadline_days: Mapped[int] = mapped_column(Integer, default=14)
    channel_id: Mapped[str | None] = mapped_column(String(40), default=None)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    meetings: Mapped[list[Meeting]] = relationship(back_populates="overleg")

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(",") if a.strip()]


class Meeting(Base):
    """One dated session (vergadering) of an overleg."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_overleg_start", "overleg_id", "starts_at"),
        Index("ix_meeting_start", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleg.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    all_day: Mapped[bool] = mapped_column(default=False)
    location: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus, "meeting_status"), default=MeetingStatus.GEPLAND
    )
    # The iCalendar identity: UID for a single event, "UID/RECURRENCE-ID" for one occurrence of a series.
    uid: Mapped[str] = mapped_column(String(400), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))
    updated_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))

    overleg: Mapped[Overleg] = relationship(back_populates="meetings", lazy="joined")


class AgendaProposal(Base):
    """An agendavoorstel: an item proposed for an overleg."""

    __tablename__ = "agenda_proposal"
    __table_args__ = (
        Index("ix_proposal_meeting_state", "meeting_id", "state"),
        Index("ix_proposal_overleg_state", "overleg_id", "state"),
        Index("ix_proposal_proposer_state", "proposer_id", "state"),
        Index("ix_proposal_state_created", "state", "created_at"),
        Index("ix_proposal_created", "created_at"),
        Index("ix_proposal_source", "source_channel", "source_ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleg.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), default=None
    )
    title: Mapped[str] = mapped_column(String(150))
    explanation: Mapped[str] = mapped_column(Text, default="")
    proposer_id: Mapped[str] = mapped_column(String(40))
    state: Mapped[ProposalState] = mapped_column(
        _enum(ProposalState, "proposal_state"), default=ProposalState.INGEDIEND
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer, default=None)
    source_channel: Mapped[str | None] = mapped_column(String(40), default=None)
    source_ts: Mapped[str | None] = mapped_column(String(40), default=None)
    source_permalink: Mapped[str | None] = mapped_column(String(500), default=None)
    review_channel: Mapped[str | None] = mapped_column(String(40), default=None)
    review_ts: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))
    updated_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))

    overleg: Mapped[Overleg] = relationship(lazy="joined")
    meeting: Mapped[Meeting | None] = relationship(lazy="joined")


class ActionPoint(Base):
    """An actiepunt handed out by a meeting."""

    __tablename__ = "action_point"
    __table_args__ = (
        Index("ix_action_status_due", "status", "due_date"),
        Index("ix_action_owner_status", "owner_id", "status"),
        Index("ix_action_overleg_status", "overleg_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleg.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[ActionStatus] = mapped_column(
        _enum(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_by: Mapped[str | None] = mapped_column(String(40), default=None)

    overleg: Mapped[Overleg] = relationship(lazy="joined")
    meeting: Mapped[Meeting | None] = relationship(lazy="joined")


class AuditEvent(Base):
    """Who changed what, when: every state change of a proposal or action point."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"), Index("ix_audit_actor", "actor_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))  # "proposal", "action_point", "meeting", "feed_token"
    entity_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(40))
    from_value: Mapped[str] = mapped_column(String(200), default="")
    to_value: Mapped[str] = mapped_column(String(200), default="")


def new_token() -> str:
    """A conversation's button key: random, so it never repeats (unlike the ids of deleted rows)."""
    return secrets.token_hex(8)


class Conversation(Base):
    """A dialogue in progress ("ik wil iets agenderen"), kept in the database for any replica to continue."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("user_id", "channel_id", "thread_ts", name="uq_conversation_place"),
        UniqueConstraint("token", name="uq_conversation_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(40))
    channel_id: Mapped[str] = mapped_column(String(40))
    thread_ts: Mapped[str] = mapped_column(String(40), default="")
    # What the summary's buttons carry: new for every dialogue (ids of deleted rows come back on SQLite).
    token: Mapped[str] = mapped_column(String(32), default=new_token)
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The message with the summary's buttons, once posted: closed when the dialogue ends by typing.
    summary_ts: Mapped[str | None] = mapped_column(String(40), default=None)
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ProcessedEvent(Base):
    """Slack event ids already handled: Slack retries, Bolt does not de-duplicate."""

    __tablename__ = "processed_event"
    __table_args__ = (Index("ix_processed_event_received", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime]


class PostSlot(Base):
    """One scheduled post (digest or reminder) per slot and channel; the unique key makes it happen once."""

    __tablename__ = "post_slot"
    __table_args__ = (UniqueConstraint("kind", "slot_key", "channel", name="uq_post_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    slot_key: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="claimed")  # claimed | posted | skipped
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[datetime]
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    message_ts: Mapped[str | None] = mapped_column(String(40), default=None)
    permalink: Mapped[str | None] = mapped_column(String(500), default=None)


class FeedToken(Base):
    """A per-user secret for the subscribable calendar feed; only its hash is stored."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(40), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ChangeCounter(Base):
    """PostgreSQL only: one row whose `n` moves with every committed change to what answers are kept of.

    Bumped by deferred triggers at commit (migration 0002), so it becomes visible together with the
    data; read before the data, it tells an answer cache whether a kept answer may be reused.
    """

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
