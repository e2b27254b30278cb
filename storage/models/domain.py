"""The typed SQLAlchemy models. All datetimes are stored timezone-aware, in UTC."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

# Title words of events that take no agenda proposals, for a new overleg (`vggbot overleg no-proposals`).
DEFAULT_NO_PROPOSAL_WORDS = "werkbezoek,afstemmingsoverleg,wekelijks,vooroverleg,voorbereiding,excursie"


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
    VERVALLEN = "vervallen"  # the meeting let it lapse (besluitenlijst)


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
    # What lists show (`IVB`); empty: the full name (see `label`).
    short_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    aliases: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, lower case
    # Agenda deadline: working days before the meeting, at `deadline_time` (None: see services.deadlines).
    # `deadline_days` is the calendar-day rule before migration 0004 (kept, no longer read).
    deadline_days: Mapped[int] = mapped_column(Integer, default=14)
    deadline_working_days: Mapped[int] = mapped_column(Integer, default=10)
    deadline_time: Mapped[time | None] = mapped_column(Time, default=None)
    # Raised whenever the rule changes, so the feed's deadline events get a higher SEQUENCE.
    deadline_version: Mapped[int] = mapped_column(Integer, default=0)
    # Comma-separated words: an event whose title holds one of them takes no agenda proposals.
    no_proposal_words: Mapped[str] = mapped_column(String(500), default=DEFAULT_NO_PROPOSAL_WORDS)
    channel_id: Mapped[str | None] = mapped_column(String(40), default=None)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    meetings: Mapped[list[Meeting]] = relationship(back_populates="overleg")

    @property
    def label(self) -> str:
        """The short name where there is one (`IVB`), else the full name."""
        return self.short_name or self.name

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
    # Outlook's own text: the title (SUMMARY), the description and the link to join online.
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus, "meeting_status"), default=MeetingStatus.GEPLAND
    )
    # From the title and the overleg's words, unless set by hand (`vggbot calendar proposals`).
    takes_proposals: Mapped[bool] = mapped_column(default=True)
    proposals_set_by_hand: Mapped[bool] = mapped_column(default=False)
    # The start people were told; "verplaatst" means the start differs from it.
    announced_starts_at: Mapped[datetime | None] = mapped_column(default=None)
    # The iCalendar identity: UID for a single event, "UID/RECURRENCE-ID" for one occurrence of a series.
    uid: Mapped[str] = mapped_column(String(400), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # Outlook's SEQUENCE, as imported
    feed_sequence: Mapped[int] = mapped_column(Integer, default=0)  # ours: raised on every change we publish
    source: Mapped[str] = mapped_column(String(40), default="")  # the CALENDAR_SOURCES key it came from
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
        # One item per place on an agenda, however many of the secretariaat agenda at the same moment.
        UniqueConstraint("meeting_id", "position", name="uq_proposal_meeting_position"),
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
    # Shown only to the proposer and the secretariaat, never in a channel or a public export.
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
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
        Index("ix_action_proposal", "proposal_id"),
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
    # The agenda item it stems from (besluitenlijst); a confidential item's action points are too.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_proposal.id", ondelete="SET NULL"), default=None
    )

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
