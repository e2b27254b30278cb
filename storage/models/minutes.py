"""After the meeting: the besluitenlijst (what a meeting did with each item) and each item's history.

Importable from `storage.models` like every model.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.domain import AgendaProposal, Base


class Outcome(enum.StrEnum):
    """What the secretariaat records per agenda item after the meeting."""

    BEHANDELD = "behandeld"
    DOORGESCHOVEN = "doorgeschoven"
    VERVALLEN = "vervallen"


class AgendaOutcome(Base):
    """One line of a besluitenlijst: a meeting's outcome for one item on its agenda, with its decision.

    The same proposal can have a line on several meetings: doorgeschoven on one, behandeld on the next.
    """

    __tablename__ = "agenda_outcome"
    __table_args__ = (
        UniqueConstraint("meeting_id", "proposal_id", name="uq_agenda_outcome"),
        Index("ix_outcome_proposal", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("agenda_proposal.id", ondelete="CASCADE"))
    outcome: Mapped[Outcome] = mapped_column(
        Enum(
            Outcome,
            name="agenda_outcome_kind",
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    decision: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer, default=None)  # its number on that agenda
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime]

    proposal: Mapped[AgendaProposal] = relationship(lazy="joined")


class ProposalStep(Base):
    """One step in an agenda item's life: its new state, the meeting the step refers to, a note.

    "aangehouden" refers to the meeting it was held over from, "geagendeerd" to the meeting it was
    put on, "behandeld" to the meeting that handled it (the note is the decision). Written with
    every state change, next to the audit event; the trail shown in chat and in the archive.
    """

    __tablename__ = "proposal_step"
    __table_args__ = (Index("ix_proposal_step_proposal", "proposal_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("agenda_proposal.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), default=None
    )
    actor_id: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
