"""The state of the calendars the bot follows (CALENDAR_SOURCES)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.domain import Base


class CalendarSource(Base):
    """One calendar in CALENDAR_SOURCES: what its last fetch said, for If-None-Match and /health."""

    __tablename__ = "calendar_source"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    etag: Mapped[str] = mapped_column(String(300), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
