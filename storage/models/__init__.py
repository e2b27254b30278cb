"""The typed SQLAlchemy models: the domain (`domain`: overleggen, meetings, proposals, action points,
audit, dialogues), reliable delivery (`delivery`) and the calendars followed (`calendar`). All
datetimes are stored timezone-aware, in UTC. Everything is importable from `storage.models`."""

from storage.models.calendar import CalendarSource
from storage.models.delivery import (
    ChangeCounter,
    FeedToken,
    OutboxMessage,
    PostSlot,
    ProcessedEvent,
    ReviewPost,
)
from storage.models.domain import (
    LIVE_PROPOSAL_STATES,
    OPEN_PROPOSAL_STATES,
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    AuditEvent,
    Base,
    Conversation,
    Meeting,
    MeetingStatus,
    Overleg,
    ProposalState,
)
from storage.types import UTCDateTime

__all__ = [
    "LIVE_PROPOSAL_STATES",
    "OPEN_PROPOSAL_STATES",
    "ActionPoint",
    "ActionStatus",
    "AgendaProposal",
    "AuditEvent",
    "Base",
    "CalendarSource",
    "ChangeCounter",
    "Conversation",
    "FeedToken",
    "Meeting",
    "MeetingStatus",
    "OutboxMessage",
    "Overleg",
    "PostSlot",
    "ProcessedEvent",
    "ProposalState",
    "ReviewPost",
    "UTCDateTime",
]
