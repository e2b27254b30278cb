"""The demo calendar for the offline shell: the seed's overleggen, in the coming months.

It never mixes with real data: the shell uses its own database (`vggbot-demo.sqlite3`) unless
DATABASE_URL is set, and then fills only an empty calendar. `vggbot demo remove` takes it out again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import AgendaProposal, Meeting
from storage.queries import meetings as queries

# Where the offline shell keeps its demo when DATABASE_URL is not set (the real default is vggbot.sqlite3).
DEMO_DATABASE_URL = "sqlite:///vggbot-demo.sqlite3"
DEMO_PROPOSER = "UDEMO0001"
_DEMO_UID = "demo-%@vggbot"

# IVB: three times a year, as in 2023 (20 maart, 26 juni, 13 november).
IVB_DAYS = ((3, 20), (6, 26), (11, 13))
# Topics from the seed's "Aandachtspunten in 2023", proposed for the next IVB.
DEMO_PROPOSALS = (
    "Maatregelen jaarwisseling",
    "Visie Crisisbeheersing Veiligheidsregio Groningen",
    "Hennepconvenant",
)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _at(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def demo_meetings(today: date, tz: ZoneInfo) -> list[tuple[str, datetime, datetime, str]]:
    """(overleg key, start, end, location) for about a year from `today`."""
    rows: list[tuple[str, datetime, datetime, str]] = []
    horizon = today + timedelta(days=400)
    for year in (today.year, today.year + 1):
        for month, day in IVB_DAYS:
            d = _monday_on_or_after(date(year, month, day))
            rows.append(("ivb", _at(d, 9, 30, tz), _at(d, 12, 0, tz), "VGG, Groningen"))
        for month in (2, 5, 9, 12):
            d = _monday_on_or_after(date(year, month, 8)) + timedelta(days=3)  # a Thursday
            rows.append(("kob", _at(d, 14, 0, tz), _at(d, 16, 0, tz), "Provinciehuis Groningen"))
        for month in (4, 10):
            d = _monday_on_or_after(date(year, month, 15)) + timedelta(days=3)
            rows.append(("3noord", _at(d, 10, 0, tz), _at(d, 12, 30, tz), "Online (Teams)"))
        for month in (1, 3, 5, 7, 10, 12):
            d = _monday_on_or_after(date(year, month, 10)) + timedelta(days=1)  # a Tuesday
            rows.append(("groningeragenda", _at(d, 13, 30, tz), _at(d, 15, 0, tz), "VGG, Groningen"))
    # The biweekly jaarkalender overleg: Tuesdays from "3 oktober" in the seed's rhythm.
    d = date(2023, 10, 3)
    while d < today:
        d += timedelta(days=14)
    while d < horizon:
        rows.append(("jaarkalender", _at(d, 9, 0, tz), _at(d, 9, 30, tz), "Online (Teams)"))
        d += timedelta(days=14)
    return sorted((r for r in rows if today <= r[1].date() < horizon), key=lambda r: r[1])


def load_demo(*, session: Session, now: datetime, tz: ZoneInfo, proposer_id: str = DEMO_PROPOSER) -> int:
    """Fill an empty calendar with demo meetings; returns how many were added (0 if any existed)."""
    if queries.count_meetings(session=session):
        return 0
    today = now.astimezone(tz).date()
    added = 0
    first_ivb: Meeting | None = None
    for key, start, end, location in demo_meetings(today, tz):
        overleg = queries.overleg_for_update(session=session, key=key)
        if overleg is None:
            continue
        meeting = Meeting(
            overleg=overleg,
            starts_at=start,
            ends_at=end,
            location=location,
            uid=f"demo-{key}-{start:%Y%m%d}@vggbot",
            created_at=now,
            updated_at=now,
        )
        session.add(meeting)
        added += 1
        if key == "ivb" and first_ivb is None:
            first_ivb = meeting
    session.flush()
    if first_ivb is not None:
        for title in DEMO_PROPOSALS:
            session.add(
                AgendaProposal(
                    overleg=first_ivb.overleg,
                    meeting=first_ivb,
                    title=title,
                    proposer_id=proposer_id,
                    created_at=now,
                    updated_at=now,
                )
            )
        session.flush()
    return added


def has_demo(*, session: Session) -> bool:
    """Whether the demo calendar is in this database."""
    stmt = select(func.count()).select_from(Meeting).where(Meeting.uid.like(_DEMO_UID))
    return bool(session.scalar(stmt))


def remove_demo(*, session: Session) -> tuple[int, int]:
    """`vggbot demo remove`: the demo meetings and the demo's own proposals; (meetings, proposals)."""
    proposals = session.execute(delete(AgendaProposal).where(AgendaProposal.proposer_id == DEMO_PROPOSER))
    meetings = session.execute(delete(Meeting).where(Meeting.uid.like(_DEMO_UID)))
    session.flush()
    return int(getattr(meetings, "rowcount", 0) or 0), int(getattr(proposals, "rowcount", 0) or 0)
