"""The typed SQLAlchemy models, in two modules: the domain (`domain`: overleggen, meetings, proposals,
action points, audit, dialogues) and reliable delivery (`delivery`). All datetimes are stored
timezone-aware, in UTC. Everything is importable from `storage.models`."""

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
    UTCDateTime,
)

__all__ = [
    "LIVE_PROPOSAL_STATES",
    "OPEN_PROPOSAL_STATES",
    "ActionPoint",
    "ActionStatus",
    "AgendaProposal",
    "AuditEvent",
    "Base",
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
