"""The year report: the seed's 2023 IVB text, the numbers on a small input, shared topics, CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.records.excel_csv import BOM
from bot.records.model import (
    ActionRecord,
    AgendaItemRecord,
    HistoryStep,
    MeetingRecord,
    OverlegYear,
    YearInput,
)
from bot.records.year_report import build_year_report
from bot.records.year_report_text import md_escape, year_report_csv, year_report_markdown

AMS = ZoneInfo("Europe/Amsterdam")

# "Aandachtspunten in 2023" of the IVB, verbatim from the VGG's annual report (the seed).
SEED_AANDACHTSPUNTEN = (
    "Visie Crisisbeheersing Veiligheidsregio Groningen (VRG)",
    "Maatregelen jaarwisseling",
    "Actieprogramma Grip op Onbegrip; Lentis",
    "Veiligheidsagenda 2023-2026 RBPO",
    "Kind- en gezinsbescherming, programma- en uitvoeringsplan 2023-2026",
    "Casustafel radicalisering binnen gemeenten",
    "Platform Veilig Ondernemen; aanpak criminaliteit",
    "Hennepconvenant",
    "Cyberveiligheid RIEC",
    "Project mensenhandel",
    "Burgernet Noord Nederland",
)


def _item(item_id: int, title: str, outcome: str = "behandeld", **changes: object) -> AgendaItemRecord:
    values: dict[str, object] = {
        "id": item_id,
        "position": item_id,
        "title": title,
        "explanation": "",
        "proposer": "U0OFFICIAL1",
        "outcome": outcome,
        "decision": "",
        "confidential": False,
    }
    values.update(changes)
    return AgendaItemRecord(**values)  # type: ignore[arg-type]


def _meeting(
    meeting_id: int, start: datetime, end: datetime | None, *items: AgendaItemRecord, **changes: object
) -> MeetingRecord:
    values: dict[str, object] = {
        "id": meeting_id,
        "uid": f"uid-{meeting_id}",
        "overleg_key": "ivb",
        "overleg_name": "IVB overleggen",
        "title": "IVB",
        "starts_at": start,
        "ends_at": end,
        "all_day": False,
        "location": "Groningen",
        "status": "gepland",
        "items": items,
    }
    values.update(changes)
    return MeetingRecord(**values)  # type: ignore[arg-type]


def _seed_ivb() -> OverlegYear:
    days = (date(2023, 3, 20), date(2023, 6, 26), date(2023, 11, 13))
    spread = (SEED_AANDACHTSPUNTEN[:4], SEED_AANDACHTSPUNTEN[4:8], SEED_AANDACHTSPUNTEN[8:])
    meetings = []
    item_id = 0
    for number, (day, titles) in enumerate(zip(days, spread, strict=True), start=1):
        items = []
        for title in titles:
            item_id += 1
            items.append(_item(item_id, title))
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=AMS)
        meetings.append(_meeting(number, start, start + timedelta(hours=2, minutes=30), *items))
    return OverlegYear(
        key="ivb", name="IVB overleggen", participants="de ambtenaren OOV", meetings=tuple(meetings)
    )


def test_seed_2023_ivb_sentence_and_aandachtspunten_are_reproduced() -> None:
    """The seed's IVB sentence and its eleven aandachtspunten come out of the records.

    The seed prints "20 maart , 26 juni" with a stray space before the comma; the report writes
    the sentence correctly, without it.
    """
    report = build_year_report(YearInput(year=2023, tz=AMS, overleggen=(_seed_ivb(),)))
    (ivb,) = report.overleggen
    sentence = "De ambtenaren OOV kwamen in 2023 bij elkaar op 20 maart, 26 juni en 13 november."
    assert ivb.sentence == sentence
    assert ivb.focus_titles == SEED_AANDACHTSPUNTEN
    markdown = year_report_markdown(report)
    section = markdown.split("## Tekst voor het jaarverslag\n", 1)[1]
    bullets = "\n".join(f"- {title}" for title in SEED_AANDACHTSPUNTEN)
    assert section == f"\n### IVB overleggen\n\n{sentence}\n\n#### Aandachtspunten in 2023\n\n{bullets}\n"


def _small_overleg() -> OverlegYear:
    """A hand-made year with every rule in it (see the numbers in the test below)."""
    march = datetime(2023, 3, 20, 9, 30, tzinfo=AMS)
    june = datetime(2023, 6, 26, 9, 0, tzinfo=AMS)
    december = datetime(2023, 12, 7, tzinfo=AMS)
    meetings = (
        _meeting(
            1,
            march,
            march + timedelta(hours=2, minutes=30),
            _item(1, "Item een", "doorgeschoven", proposed_at=datetime(2023, 3, 1, 12, tzinfo=AMS)),
            _item(2, "Item twee", proposed_at=datetime(2023, 3, 10, 12, tzinfo=AMS)),
        ),
        _meeting(
            2,
            june,
            june + timedelta(hours=2),
            _item(1, "Item een", proposed_at=datetime(2023, 3, 1, 12, tzinfo=AMS)),
            _item(3, "Item drie", "vervallen"),
        ),
        _meeting(
            3,
            december,
            december + timedelta(days=2),  # all day on 7 and 8 December
            _item(4, "Item vier", "doorgeschoven"),
            _item(
                5,
                "Geheim punt",
                confidential=True,
                history=(HistoryStep("ingediend", at=datetime(2023, 11, 27, 8, tzinfo=AMS)),),
            ),
            all_day=True,
        ),
        _meeting(4, datetime(2023, 10, 1, 14, tzinfo=AMS), None),  # no end: not in the hours
        _meeting(5, datetime(2023, 9, 1, 10, tzinfo=AMS), None, _item(9, "Afgelast"), status="geannuleerd"),
        _meeting(6, datetime(2024, 1, 15, 10, tzinfo=AMS), None, _item(10, "Volgend jaar")),
    )
    actions = (
        _action(1, created=(2023, 3, 20), due=None, closed=(2023, 4, 1)),  # opened and closed
        _action(2, created=(2023, 6, 26), due=date(2023, 7, 1)),  # overdue
        _action(3, created=(2022, 11, 1), due=date(2023, 1, 15), closed=(2023, 2, 1)),  # closed only
        _action(4, created=(2023, 12, 7), due=date(2024, 1, 10)),  # open, not yet due
        _action(5, created=(2023, 6, 26), due=date(2023, 9, 1), closed=(2024, 1, 5)),  # overdue on 31 Dec
    )
    meetings = (replace(meetings[0], actions=actions[:3]), *meetings[1:])
    rejected = (_item(20, "Afgewezen een", ""), _item(21, "Afgewezen twee", ""))
    return OverlegYear(
        key="test",
        name="Testoverleg",
        participants="",
        meetings=meetings,
        rejected=rejected,
        actions=actions[2:],
    )


def _action(
    action_id: int,
    *,
    created: tuple[int, int, int],
    due: date | None,
    closed: tuple[int, int, int] | None = None,
) -> ActionRecord:
    return ActionRecord(
        id=action_id,
        text=f"Actie {action_id}",
        owner="Secretariaat",
        due_date=due,
        status="afgerond" if closed else "open",
        created_at=datetime(*created, 10, tzinfo=AMS),
        closed_at=datetime(*closed, 10, tzinfo=AMS) if closed else None,
    )


def test_numbers_on_a_small_hand_made_year() -> None:
    """Meetings, hours, final outcomes, items per meeting, days to handling and action points add up."""
    report = build_year_report(YearInput(year=2023, tz=AMS, overleggen=(_small_overleg(),)))
    (row,) = report.overleggen
    assert report.until == date(2023, 12, 31)
    assert row.meetings_held == 4  # the cancelled one and the 2024 one do not count
    assert row.hours == 20.5  # 2,5 + 2 + two all-day days of 8 hours
    assert row.meetings_without_end == 1
    assert (row.behandeld, row.doorgeschoven, row.vervallen, row.afgewezen) == (3, 1, 1, 2)
    assert row.items_per_meeting == 1.5  # 6 items on 4 agendas
    assert (row.days_to_handling_median, row.days_to_handling_max) == (10, 117)
    assert (row.actions_opened, row.actions_closed, row.actions_overdue) == (4, 2, 2)
    assert row.focus_titles == ("Item twee", "Item een")
    assert row.sentence == (
        "Het overleg Testoverleg kwam in 2023 4 keer bij elkaar: "
        "op 20 maart, 26 juni, 1 oktober en 7–8 december."
    )


def test_report_made_during_the_year_counts_only_what_has_happened() -> None:
    """With as_of 1 July the December meeting is not held yet, and an action due that day is not late."""
    report = build_year_report(
        YearInput(
            year=2023, tz=AMS, overleggen=(_small_overleg(),), as_of=datetime(2023, 7, 1, 9, tzinfo=AMS)
        )
    )
    (row,) = report.overleggen
    assert report.until == date(2023, 7, 1)
    assert row.meetings_held == 2
    assert (row.actions_opened, row.actions_closed, row.actions_overdue) == (3, 2, 0)


def test_topics_shared_with_another_overleg_are_listed_and_secrets_never_are() -> None:
    """Hennepconvenant in the IVB and at the 3-Noord tafel is listed; a confidential title appears nowhere."""
    october = datetime(2023, 10, 19, 14, tzinfo=AMS)
    noord = OverlegYear(
        key="3noord",
        name="3-Noord tafel",
        participants="",
        meetings=(
            _meeting(
                50,
                october,
                october + timedelta(hours=2),
                _item(51, "Hennepconvenant Groningen: stand van zaken"),
                _item(52, "Cyberveiligheid RIEC geheim", confidential=True),
                overleg_key="3noord",
                overleg_name="3-Noord tafel",
            ),
        ),
    )
    report = build_year_report(YearInput(year=2023, tz=AMS, overleggen=(_seed_ivb(), noord)))
    (topic,) = report.recurring_topics
    assert topic.title == "Hennepconvenant"
    markdown = year_report_markdown(report)
    assert (
        "- **Hennepconvenant**: IVB overleggen (26 juni: Hennepconvenant); "
        "3-Noord tafel (19 oktober: Hennepconvenant Groningen: stand van zaken)"
    ) in markdown
    assert "geheim" not in markdown
    assert "Het overleg 3-Noord tafel kwam in 2023 1 keer bij elkaar: op 19 oktober." in markdown


def test_year_csv_opens_in_dutch_excel() -> None:
    """The CSV starts with a BOM, splits on `;` and writes 20,5 hours with a decimal comma."""
    text = year_report_csv(build_year_report(YearInput(year=2023, tz=AMS, overleggen=(_small_overleg(),))))
    assert text.startswith(BOM)
    header, row = csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";")
    record = dict(zip(header, row, strict=True))
    assert record["Overleg"] == "Testoverleg"
    assert (record["Uren"], record["Punten per vergadering"]) == ("20,5", "1,5")
    assert (record["Dagen tot behandeling (mediaan)"], record["Actiepunten te laat"]) == ("10", "2")


def test_markdown_escapes_titles() -> None:
    """Titles cannot add emphasis, HTML, table cells or list markers to the Markdown."""
    assert md_escape("*Urgent* | <b>vet</b> [link](x)") == r"\*Urgent\* \| \<b\>vet\</b\> \[link\](x)"
    assert md_escape("1. eerste") == r"1\. eerste"
    assert md_escape("- los") == r"\- los"
