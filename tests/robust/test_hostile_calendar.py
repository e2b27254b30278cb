"""Hostile .ics files: whatever the bytes, the importer imports or says in Dutch what is wrong (Refused);
it never raises anything else, and a refused file changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.calendar_io.importer import import_calendar
from bot.runtime.deps import Deps
from bot.services.errors import Refused
from storage.models import Meeting
from tests.conftest import AMS
from tests.support.paths import DATA

SEEDS = [p.read_bytes() for p in sorted(DATA.glob("*.ics"))]
NOW = datetime(2023, 3, 1, 9, 0, tzinfo=UTC)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NASTY = st.sampled_from(
    [
        "",
        "\x00",
        "\u202e",
        "👩🏽‍💻",
        "x" * 10_000,
        "99999999T999999",
        "-1",
        "FREQ=SECONDLY;COUNT=999999",
        "FREQ=YEARLY;UNTIL=00000000",
        ";;;",
        ":",
        "\\",
        "TZID=Nowhere/Land",
        "20230320T093000Z",
        "\r\n ",
    ]
)


@st.composite
def mutated_calendars(draw: st.DrawFn) -> bytes:
    """A real Outlook/Google export with lines deleted, duplicated, cut or given nasty values."""
    lines = draw(st.sampled_from(SEEDS)).decode("utf-8").split("\r\n" if b"\r\n" in SEEDS[0] else "\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "truncate", "insert"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "value":
            name = lines[i].partition(":")[0]
            lines[i] = f"{name}:{draw(NASTY | st.text(max_size=40))}"
        elif action == "truncate":
            lines = lines[:i]
        else:
            lines.insert(
                i,
                draw(
                    st.sampled_from(
                        [
                            "BEGIN:VEVENT",
                            "END:VEVENT",
                            "BEGIN:VCALENDAR",
                            "RRULE:FREQ=DAILY",
                            "DTSTART:20230320",
                            "EXDATE:20230320T093000Z",
                            "UID:x",
                        ]
                    )
                ),
            )
    return "\r\n".join(lines).encode("utf-8", "surrogatepass")


def try_import(deps: Deps, data: bytes) -> None:
    with deps.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Meeting))
        refusal = ""
        try:
            import_calendar(session=session, data=data, overleg_key=None, now=NOW, tz=AMS)
        except Refused as exc:
            refusal = str(exc) or "(leeg)"
        if refusal:
            assert refusal != "(leeg)", "an Refused must say what is wrong"
            session.rollback()
            assert session.scalar(select(func.count()).select_from(Meeting)) == before
        session.rollback()


@FUZZ
@given(data=mutated_calendars())
def test_mutated_exports_import_or_are_refused_clearly(deps: Deps, data: bytes) -> None:
    """Real exports with damaged lines: imported, or Refused with a message; nothing else escapes."""
    try_import(deps, data)


@FUZZ
@given(
    data=st.binary(max_size=400)
    | st.text(max_size=400).map(lambda t: ("BEGIN:VCALENDAR\r\n" + t).encode("utf-8", "surrogatepass"))
)
def test_random_bytes_are_refused_clearly(deps: Deps, data: bytes) -> None:
    """Random bytes or text after BEGIN:VCALENDAR: an Refused or an empty import, never a crash."""
    try_import(deps, data)


def test_vtimezone_with_two_tzids_is_refused_clearly(deps: Deps) -> None:
    """Found by the property test: a VTIMEZONE with its TZID twice crashed icalendar; now an Refused."""
    seed = (DATA / "outlook_ivb_2023.ics").read_bytes()
    data = seed.replace(b"TZID:W. Europe Standard Time\r\n", b"TZID:W. Europe Standard Time\r\n" * 2, 1)
    assert data != seed
    with deps.sessions() as session, pytest.raises(Refused, match="beschadigd"):
        import_calendar(session=session, data=data, overleg_key=None, now=NOW, tz=AMS)
