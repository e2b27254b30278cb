"""iCalendar import and export against real Outlook- and Google-style files, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import delete, func, select

from bot.calendar_io.export import export_calendar
from bot.calendar_io.importer import ImportReport, import_calendar, match_event
from bot.runtime.cli_calendar import format_report
from bot.runtime.deps import Deps
from bot.services.errors import Refused
from bot.services.overleggen import read_overleggen
from storage.models import Meeting, MeetingStatus
from tests.conftest import AMS
from tests.support.paths import DATA

UID_JUN = (
    "040000008200E00074C5B7101A82E00800000000D0A7B5F0E234D901000000000000000010000000"
    "B2C3D4E5F60718293A4B5C6D7E8F90A1"
)
SERIES = (
    "040000008200E00074C5B7101A82E00800000000E1F2A3B4C5D6E7F8090A1B2C3D4E5F60100000000"
    "0000000010000000F00DBABE1234"
)


@dataclass(frozen=True)
class Row:
    uid: str
    overleg: str
    start: datetime  # local (Europe/Amsterdam)
    end: datetime | None
    all_day: bool
    location: str
    status: MeetingStatus
    sequence: int
    updated_at: datetime


def run_import(deps: Deps, source: str | bytes, overleg_key: str | None = None) -> ImportReport:
    data = (DATA / source).read_bytes() if isinstance(source, str) else source
    with deps.sessions.begin() as s:
        return import_calendar(
            session=s, data=data, overleg_key=overleg_key, now=deps.clock.now(), tz=deps.settings.tz
        )


def rows(deps: Deps) -> dict[str, Row]:
    with deps.sessions.begin() as s:
        return {
            m.uid: Row(
                uid=m.uid,
                overleg=m.overleg.key,
                start=m.starts_at.astimezone(AMS),
                end=m.ends_at.astimezone(AMS) if m.ends_at else None,
                all_day=m.all_day,
                location=m.location,
                status=m.status,
                sequence=m.sequence,
                updated_at=m.updated_at,
            )
            for m in s.scalars(select(Meeting))
        }


def local(month: int, day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=AMS)


def test_outlook_file_with_windows_zone_gives_local_times(deps: Deps) -> None:
    """Outlook's "W. Europe Standard Time" events land at 09:30 Amsterdam time, winter and summer alike."""
    report = run_import(deps, "outlook_ivb_2023.ics")
    assert len(report.added) == 3
    assert [s.summary for s in report.skipped] == ["Tandarts"]
    assert "past bij geen overleg" in report.skipped[0].reason
    found = sorted(rows(deps).values(), key=lambda r: r.start)
    assert [r.start for r in found] == [local(3, 20), local(6, 26), local(11, 13)]
    assert [r.end for r in found] == [local(3, 20, 12, 0), local(6, 26, 12, 0), local(11, 13, 12, 0)]
    assert found[0].start.astimezone(UTC).hour == 8  # CET
    assert found[1].start.astimezone(UTC).hour == 7  # CEST
    assert {(r.overleg, r.location, r.status, r.all_day) for r in found} == {
        ("ivb", "VGG, Groningen", MeetingStatus.GEPLAND, False)
    }


def test_importing_the_same_file_twice_changes_nothing(deps: Deps) -> None:
    """A second import of the same file adds, moves and cancels nothing and touches no row."""
    run_import(deps, "outlook_series_exceptions.ics")
    run_import(deps, "outlook_ivb_2023.ics")
    before = rows(deps)
    deps.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    again = run_import(deps, "outlook_ivb_2023.ics")
    again_series = run_import(deps, "outlook_series_exceptions.ics")
    for report in (again, again_series):
        assert (report.added, report.moved, report.cancelled, report.updated) == ([], [], [], [])
    assert again.unchanged == 3
    assert rows(deps) == before
    assert "Er is niets veranderd." in format_report(again, tz=AMS, source="agenda.ics")


def test_update_with_higher_sequence_moves_and_cancels(deps: Deps) -> None:
    """SEQUENCE 1 moves the June IVB (status verplaatst) and cancels November; an older file is ignored."""
    run_import(deps, "outlook_ivb_2023.ics")
    report = run_import(deps, "outlook_ivb_2023_update.ics")
    assert len(report.moved) == 1
    assert len(report.cancelled) == 1
    assert report.unchanged == 1
    june = rows(deps)[UID_JUN]
    assert june.start == local(7, 3, 10, 0)
    assert june.status == MeetingStatus.VERPLAATST
    assert june.location == "Provinciehuis, Groningen"
    assert june.sequence == 1
    cancelled = [r for r in rows(deps).values() if r.status == MeetingStatus.GEANNULEERD]
    assert [r.start for r in cancelled] == [local(11, 13)]
    text = format_report(report, tz=AMS, source="update.ics")
    assert "verplaatst: 1" in text
    assert "maandag 26 juni 2023, 09:30 → maandag 3 juli 2023, 10:00" in text
    assert "geannuleerd: 1" in text

    after_update = rows(deps)
    stale = run_import(deps, "outlook_ivb_2023.ics")
    assert (stale.added, stale.moved, stale.cancelled, stale.updated) == ([], [], [], [])
    assert sum("oudere versie" in s.reason for s in stale.skipped) == 2
    assert rows(deps) == after_update


def test_series_with_exdate_override_and_cancelled_occurrence(deps: Deps) -> None:
    """A series expands per occurrence: EXDATE left out, the override moved, the cancelled one geannuleerd."""
    report = run_import(deps, "outlook_series_exceptions.ics")
    found = rows(deps)
    assert sorted(found) == sorted(
        f"{SERIES}/{stamp}"
        for stamp in (
            "20230306T083000Z",
            "20230313T083000Z",
            "20230327T073000Z",
            "20230403T073000Z",
            "20230410T073000Z",
            "20230417T073000Z",
            "20230424T073000Z",
        )
    )
    assert {r.overleg for r in found.values()} == {"jaarkalender"}
    moved = found[f"{SERIES}/20230403T073000Z"]
    assert (moved.start, moved.status) == (local(4, 4, 14, 0), MeetingStatus.VERPLAATST)
    assert found[f"{SERIES}/20230417T073000Z"].status == MeetingStatus.GEANNULEERD
    assert len(report.added) == 6
    assert len(report.cancelled) == 1


def test_series_keeps_local_time_across_the_switch_to_summer_time(deps: Deps) -> None:
    """A 09:30 series across the last Sunday of March (26 March 2023) stays 09:30 local; UTC shifts."""
    run_import(deps, "outlook_series_exceptions.ics")
    run_import(deps, "google_export.ics")
    by_start = {r.start: r for r in rows(deps).values()}
    for before, after in ((local(3, 13), local(3, 27)), (local(3, 14, 13, 30), local(4, 11, 13, 30))):
        assert before in by_start
        assert after in by_start
        assert before.astimezone(UTC).time() != after.astimezone(UTC).time()
        assert (after.astimezone(UTC) - before.astimezone(UTC)) % timedelta(days=1) == timedelta(hours=23)


def test_google_export_with_utc_times_and_x_wr_timezone(deps: Deps) -> None:
    """Google's UTC times and its series with TZID import in local time; an unrelated lunch is skipped."""
    report = run_import(deps, "google_export.ics")
    found = rows(deps)
    assert found["3noord-2023-04@google.com"].start == local(4, 20, 10, 0)
    assert found["3noord-2023-04@google.com"].overleg == "3noord"
    secretaries = sorted(r.start for r in found.values() if r.overleg == "groningeragenda")
    assert secretaries == [local(3, 14, 13, 30), local(4, 11, 13, 30), local(5, 9, 13, 30)]
    assert [s.summary for s in report.skipped] == ["Lunch met het team"]


def test_floating_times_are_read_in_the_bot_time_zone(deps: Deps) -> None:
    """A time without zone or Z is wall-clock time in BOT_TIMEZONE."""
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:floating-1\r\n"
        b"DTSTAMP:20230101T000000Z\r\nDTSTART:20230626T093000\r\nSUMMARY:IVB\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run_import(deps, data)
    assert rows(deps)["floating-1"].start == local(6, 26)


def test_all_day_event(deps: Deps) -> None:
    """A DATE event is an all-day meeting from local midnight; CATEGORIES picks the overleg."""
    report = run_import(deps, "allday.ics")
    row = rows(deps)["heidag-kob-2023@vgg.example"]
    assert row.all_day is True
    assert row.start == datetime(2023, 9, 15, tzinfo=AMS)
    assert row.end == datetime(2023, 9, 16, tzinfo=AMS)
    assert row.overleg == "kob"
    assert "vrijdag 15 september 2023 (hele dag)" in format_report(report, tz=AMS, source="x.ics")


def test_an_occurrence_dropped_from_the_series_is_cancelled(deps: Deps) -> None:
    """When a later export adds an EXDATE, the occurrence we already had becomes geannuleerd."""
    run_import(deps, "outlook_series_exceptions.ics")
    data = (DATA / "outlook_series_exceptions.ics").read_bytes()
    data = data.replace(b":20230320T093000\r\n", b":20230320T093000,20230410T093000\r\n", 1)
    report = run_import(deps, data)
    assert [c.starts_at.astimezone(AMS) for c in report.cancelled] == [local(4, 10)]
    assert rows(deps)[f"{SERIES}/20230410T073000Z"].status == MeetingStatus.GEANNULEERD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((DATA / "broken.ics").read_bytes(), "ongeldige DTSTART"),
        (b"", "leeg"),
        (b"\r\n  \r\n", "leeg"),
        (b"Vergadering IVB op 20 maart", "geen iCalendar-bestand"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "geen iCalendar-bestand"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n", "onvolledig"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20230320T093000Z\r\n"
            b"RRULE:FREQ=SOMETIMES\r\nSUMMARY:IVB\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "ongeldige RRULE",
        ),
    ],
)
def test_broken_files_change_nothing(deps: Deps, data: bytes, message: str) -> None:
    """A broken, empty or non-iCalendar file raises one Dutch line and leaves the meetings alone."""
    run_import(deps, "outlook_ivb_2023.ics")
    before = rows(deps)
    with pytest.raises(Refused, match=message) as caught:
        run_import(deps, data)
    assert "\n" not in str(caught.value)
    assert rows(deps) == before


def test_unknown_overleg_lists_the_valid_keys(deps: Deps) -> None:
    """`--overleg brandweer` is refused, naming the keys that do exist."""
    with pytest.raises(Refused, match=r"Ik ken geen overleg `brandweer`\. Kies uit: `ivb`, `kob`, `3noord`"):
        run_import(deps, "outlook_ivb_2023.ics", overleg_key="brandweer")
    assert rows(deps) == {}


def test_forced_overleg_takes_every_event(deps: Deps) -> None:
    """With `--overleg kob` every event goes to KOB, also what would not match by name."""
    report = run_import(deps, "outlook_ivb_2023.ics", overleg_key="kob")
    assert len(report.added) == 4
    assert report.skipped == []
    assert {r.overleg for r in rows(deps).values()} == {"kob"}


def test_matching_prefers_categories_then_the_longest_name(deps: Deps) -> None:
    """CATEGORIES wins; in SUMMARY the longest key, name or alias wins; a tie or nothing is a reason."""
    with deps.sessions.begin() as s:
        overleggen = read_overleggen(session=s)

        def key(summary: str, categories: tuple[str, ...] = ()) -> str:
            match = match_event(overleggen, summary=summary, categories=categories)
            return match if isinstance(match, str) else match.key

        assert key("IVB", ("3-Noord",)) == "3noord"
        assert key("Voorbereiding bestuurlijke tafel KOB met IVB") == "kob"
        assert key("Secretarissenoverleg Groninger Agenda (online)") == "groningeragenda"
        assert key("Overleg bestuurlijke jaarkalender") == "jaarkalender"
        assert key("IVB-overleg maart") == "ivb"
        assert key("INTEGRAAL VEILIGHEIDSBERAAD") == "ivb"
        assert key("IVB en KOB afstemming").startswith("past bij meer dan één overleg (ivb, kob)")
        assert key("Lunch").startswith("past bij geen overleg")
        assert key("Kobalt-training").startswith("past bij geen overleg")


def test_export_is_valid_icalendar_with_tzid_and_stable_uids(deps: Deps) -> None:
    """The export has VERSION, PRODID, VTIMEZONE, TZID times, DATE all-day, CATEGORIES, a Dutch deadline."""
    run_import(deps, "outlook_ivb_2023.ics")
    run_import(deps, "outlook_ivb_2023_update.ics")
    run_import(deps, "allday.ics")
    with deps.sessions.begin() as s:
        data = export_calendar(session=s, overleg_key=None, tz=AMS, now=deps.clock.now())
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "VGG-bot" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert calendar.get_missing_tzids() == set()
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == set(rows(deps))
    march = next(e for e in events.values() if e.decoded("DTSTART") == local(3, 20))
    assert march["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert str(march["SUMMARY"]) == "IVB (Integraal Veiligheidsberaad)"  # Outlook's own title, kept
    assert str(march["STATUS"]) == "CONFIRMED"
    assert str(march["LOCATION"]) == "VGG, Groningen"
    assert str(march["DESCRIPTION"]).startswith("Graag agendapunten aanleveren bij het secretariaat.")
    assert str(march["X-VGGBOT-AGENDADEADLINE"]) == "maandag 6 maart 2023, 09:30"
    assert [str(c) for c in march.categories] == ["ivb"]
    assert "DTSTAMP" in march
    assert str(events[UID_JUN]["STATUS"]) == "CONFIRMED"
    assert int(events[UID_JUN]["SEQUENCE"]) == 1
    assert [str(e["STATUS"]) for e in events.values()].count("CANCELLED") == 1
    heidag = events["heidag-kob-2023@vgg.example"]
    assert heidag.decoded("DTSTART") == date(2023, 9, 15)
    assert heidag.decoded("DTEND") == date(2023, 9, 16)

    with deps.sessions.begin() as s:
        only_kob = export_calendar(session=s, overleg_key="kob", tz=AMS, now=deps.clock.now())
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(only_kob).walk("VEVENT")] == [
        "heidag-kob-2023@vgg.example"
    ]
    with deps.sessions.begin() as s, pytest.raises(Refused, match="Kies uit"):
        export_calendar(session=s, overleg_key="brandweer", tz=AMS, now=deps.clock.now())


def test_export_then_import_round_trips(deps: Deps) -> None:
    """Re-importing the export changes nothing; into an empty calendar it rebuilds the same meetings."""
    for name in ("outlook_ivb_2023.ics", "outlook_ivb_2023_update.ics", "outlook_series_exceptions.ics"):
        run_import(deps, name)
    run_import(deps, "allday.ics")
    run_import(deps, "google_export.ics")
    before = rows(deps)
    with deps.sessions.begin() as s:
        data = export_calendar(session=s, overleg_key=None, tz=AMS, now=deps.clock.now())
    report = run_import(deps, data)
    assert report.changed == 0
    assert report.skipped == []
    assert report.unchanged == len(before)
    assert rows(deps) == before

    with deps.sessions.begin() as s:
        s.execute(delete(Meeting))
    rebuilt = run_import(deps, data)
    assert len(rebuilt.added) + len(rebuilt.cancelled) == len(before)

    def essence(r: Row) -> tuple[object, ...]:
        return (r.overleg, r.start, r.end, r.all_day, r.location, r.status == MeetingStatus.GEANNULEERD)

    assert {u: essence(r) for u, r in rows(deps).items()} == {u: essence(r) for u, r in before.items()}


def test_series_outside_the_window_is_reported(deps: Deps) -> None:
    """A series with no occurrence between a year back and three years ahead is listed as skipped."""
    deps.clock.set(datetime(2030, 1, 1, 12, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    report = run_import(deps, "outlook_series_exceptions.ics")
    assert report.added == []
    assert "geen vergaderingen tussen" in report.skipped[0].reason
    with deps.sessions.begin() as s:
        assert s.scalar(select(func.count()).select_from(Meeting)) == 0


def test_windows_zone_name_without_vtimezone(deps: Deps) -> None:
    """A Windows zone name with no VTIMEZONE in the file is mapped to its IANA zone (W. Europe → Berlin)."""
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:no-vtimezone-1\r\nDTSTAMP:20230101T000000Z\r\n"
        b'DTSTART;TZID="W. Europe Standard Time":20231113T093000\r\n'
        b'DTEND;TZID="W. Europe Standard Time":20231113T120000\r\n'
        b"SUMMARY:Integraal Veiligheidsberaad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run_import(deps, data)
    row = rows(deps)["no-vtimezone-1"]
    assert (row.start, row.end) == (local(11, 13), local(11, 13, 12, 0))


def _weekly_series(start: str, sequence: int) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
        "BEGIN:VEVENT\r\nUID:kob-reeks-1\r\nDTSTAMP:20230101T000000Z\r\n"
        f"DTSTART;TZID=Europe/Amsterdam:{start}\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        f"SEQUENCE:{sequence}\r\nSUMMARY:Tafel KOB\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_moving_a_whole_series_moves_its_meetings(deps: Deps) -> None:
    """A series moved from 09:30 to 11:00 (new RECURRENCE-IDs) moves the same meetings, none cancelled,
    and, moved as a whole, they are announced anew: not marked verplaatst."""
    run_import(deps, _weekly_series("20230320T093000", 0))
    with deps.sessions.begin() as s:
        ids_before = sorted(s.scalars(select(Meeting.id)))
    report = run_import(deps, _weekly_series("20230320T110000", 1))
    assert (len(report.moved), report.added, report.cancelled) == (3, [], [])
    found = sorted(rows(deps).values(), key=lambda r: r.start)
    assert [r.start for r in found] == [local(3, 20, 11, 0), local(3, 27, 11, 0), local(4, 3, 11, 0)]
    assert [r.uid for r in found] == [
        "kob-reeks-1/20230320T100000Z",
        "kob-reeks-1/20230327T090000Z",
        "kob-reeks-1/20230403T090000Z",
    ]
    assert {r.status for r in found} == {MeetingStatus.GEPLAND}
    assert all(item.series for item in report.moved)
    with deps.sessions.begin() as s:
        assert sorted(s.scalars(select(Meeting.id))) == ids_before
    again = run_import(deps, _weekly_series("20230320T110000", 1))
    assert again.changed == 0
