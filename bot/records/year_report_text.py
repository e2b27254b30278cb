"""The year report written out: Markdown for people (with the annual report's text) and CSV for Excel."""

from __future__ import annotations

import re
from pathlib import Path

from bot.records.excel_csv import Cell, excel_csv
from bot.records.topics import MIN_TOPIC_LETTERS, RecurringTopic
from bot.records.year_report import OverlegFigures, YearReport
from bot.text.dutch import day_range, decimal_text, dutch_day_month

CSV_HEADER = (
    "Overleg",
    "Sleutel",
    "Vergaderingen",
    "Uren",
    "Vergaderingen zonder eindtijd",
    "Behandeld",
    "Doorgeschoven",
    "Vervallen",
    "Afgewezen",
    "Punten per vergadering",
    "Dagen tot behandeling (mediaan)",
    "Dagen tot behandeling (max)",
    "Actiepunten geopend",
    "Actiepunten afgerond",
    "Actiepunten te laat",
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_BULLET_START = re.compile(r"^([-+])(\s)")
_NUMBER_START = re.compile(r"^(\d+)([.)])(\s)")


def md_escape(text: str) -> str:
    """User text safe in Markdown: no emphasis, links, HTML, table breaks or list markers from a title."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = _BULLET_START.sub(r"\\\1\2", escaped)
    return _NUMBER_START.sub(r"\1\\\2\3", escaped)


def _number(value: float | None) -> str:
    return "–" if value is None else decimal_text(value)


def _table(report: YearReport) -> list[str]:
    until = dutch_day_month(report.until)
    lines = [
        "| Overleg | Vergaderingen | Uren | Behandeld | Doorgeschoven | Vervallen | Afgewezen "
        "| Punten per vergadering | Dagen tot behandeling (mediaan / max) "
        f"| Actiepunten geopend | Afgerond | Te laat op {until} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report.overleggen:
        days = f"{_number(row.days_to_handling_median)} / {_number(row.days_to_handling_max)}"
        lines.append(
            f"| {md_escape(row.name)} | {row.meetings_held} | {_number(row.hours)} | {row.behandeld} "
            f"| {row.doorgeschoven} | {row.vervallen} | {row.afgewezen} | {_number(row.items_per_meeting)} "
            f"| {days} | {row.actions_opened} | {row.actions_closed} | {row.actions_overdue} |"
        )
    return lines


def _rules(report: YearReport) -> list[str]:
    year, until = report.year, day_range(report.until, report.until)
    without_end = sum(row.meetings_without_end for row in report.overleggen)
    lines = [
        "Zo is geteld:",
        "",
        f"- Een vergadering telt als gehouden als ze niet is geannuleerd en begon in {year}, "
        f"tot en met {until}.",
        "- Uren: van begin tot eind van de vergadering. Een vergadering die de hele dag duurt, "
        "telt als een werkdag van 8 uur per dag.",
        f"- Elk agendapunt telt één keer, met zijn laatste uitkomst in {year}. "
        f"Afgewezen: voorstellen die in {year} zijn afgewezen.",
        "- Punten per vergadering: alle agendapunten van de gehouden vergaderingen, gedeeld door hun aantal.",
        "- Dagen tot behandeling: van het indienen van het voorstel tot de vergadering die het behandelde.",
        f"- Actiepunten: geopend en afgerond in {year}; te laat: op {until} nog open "
        "terwijl de uiterste datum voorbij was.",
        "- Vertrouwelijke agendapunten tellen mee in de cijfers; hun titels staan nergens in dit overzicht.",
    ]
    if without_end:
        lines.append(f"- {without_end} vergadering(en) zonder eindtijd tellen niet mee in de uren.")
    return lines


def _topic_line(topic: RecurringTopic) -> str:
    places = "; ".join(
        f"{md_escape(mention.overleg_name)} ({dutch_day_month(mention.day)}: {md_escape(mention.title)})"
        for mention in topic.mentions
    )
    return f"- **{md_escape(topic.title)}**: {places}"


def _topics(report: YearReport) -> list[str]:
    lines = ["## Onderwerpen die in meer overleggen terugkwamen", ""]
    if report.recurring_topics:
        lines += [_topic_line(topic) for topic in report.recurring_topics]
    else:
        lines.append("Geen onderwerp kwam in meer dan één overleg terug.")
    lines += [
        "",
        "Titels zijn vergeleken zonder hoofdletters, accenten, leestekens, getallen en algemene woorden "
        f'zoals "stand van zaken"; titels van minder dan {MIN_TOPIC_LETTERS} letters tellen niet apart mee.',
    ]
    return lines


def annual_text(row: OverlegFigures, year: int) -> list[str]:
    """The overleg's part of the annual report: its sentence, then "Aandachtspunten in <jaar>"."""
    lines = [f"### {md_escape(row.name)}", "", md_escape(row.sentence)]
    if row.focus_titles:
        lines += ["", f"#### Aandachtspunten in {year}", ""]
        lines += [f"- {md_escape(title)}" for title in row.focus_titles]
    return lines


def year_report_markdown(report: YearReport) -> str:
    """The whole report as Markdown: the numbers, how they were counted, shared topics, the annual text."""
    lines = [f"# De overleggen in {report.year}", "", "## In cijfers", "", *_table(report), ""]
    lines += [*_rules(report), "", *_topics(report), "", "## Tekst voor het jaarverslag"]
    for row in report.overleggen:
        lines += ["", *annual_text(row, report.year)]
    return "\n".join(lines) + "\n"


def year_report_csv(report: YearReport) -> str:
    """One row per overleg with its numbers, for Dutch Excel (`;`, BOM, decimal comma)."""
    rows: list[list[Cell]] = [
        [
            row.name,
            row.key,
            row.meetings_held,
            row.hours,
            row.meetings_without_end,
            row.behandeld,
            row.doorgeschoven,
            row.vervallen,
            row.afgewezen,
            row.items_per_meeting,
            row.days_to_handling_median,
            row.days_to_handling_max,
            row.actions_opened,
            row.actions_closed,
            row.actions_overdue,
        ]
        for row in report.overleggen
    ]
    return excel_csv(CSV_HEADER, rows)


def write_year_report(report: YearReport, directory: Path) -> list[Path]:
    """`jaarrapport-<jaar>.md` and `jaarrapport-<jaar>.csv` in `directory`; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown = directory / f"jaarrapport-{report.year}.md"
    markdown.write_text(year_report_markdown(report), encoding="utf-8")
    table = directory / f"jaarrapport-{report.year}.csv"
    table.write_text(year_report_csv(report), encoding="utf-8", newline="")
    return [markdown, table]
