"""The typed SQLAlchemy models: the domain (`domain`: overleggen, meetings, proposals, action points,
audit, dialogues), after the meeting (`minutes`: besluitenlijst lines, each item's history), reliable
delivery (`delivery`) and the calendars followed (`calendar`). All
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
    new_token,
)
from storage.models.minutes import AgendaOutcome, Outcome, ProposalStep
from storage.types import UTCDateTime

__all__ = [
    "LIVE_PROPOSAL_STATES",
    "OPEN_PROPOSAL_STATES",
    "ActionPoint",
    "ActionStatus",
    "AgendaOutcome",
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
    "Outcome",
    "Overleg",
    "PostSlot",
    "ProcessedEvent",
    "ProposalState",
    "ProposalStep",
    "ReviewPost",
    "UTCDateTime",
    "new_token",
]
