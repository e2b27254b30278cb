"""What an import did, as plain data: the Dutch summary is printed from it, the sync checks it before it
commits, and the caller tells the people whose proposals moved or whose meeting moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.calendar_io.parse import Skipped
from bot.services.rehoming import Rehomed, Rescheduled


@dataclass(frozen=True)
class ReportItem:
    """One meeting the import touched, for the summary."""

    summary: str
    overleg: str
    starts_at: datetime
    all_day: bool
    old_starts_at: datetime | None = None
    old_all_day: bool = False
    series: bool = False  # moved with its whole series (not marked verplaatst)
    ends_at: datetime | None = None


@dataclass
class ImportReport:
    window_start: datetime
    window_end: datetime
    added: list[ReportItem] = field(default_factory=list)
    moved: list[ReportItem] = field(default_factory=list)
    cancelled: list[ReportItem] = field(default_factory=list)
    updated: list[ReportItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    # Cancellations of meetings that had not started yet (what a half-published calendar would wipe),
    # and how many coming meetings there were before (of the forced overleg, or of all).
    coming_cancelled: int = 0
    coming_before: int = 0
    rehomed: list[Rehomed] = field(default_factory=list)
    rescheduled: list[Rescheduled] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.moved) + len(self.cancelled) + len(self.updated)
