"""The archive export: per meeting a folder with its agenda, besluitenlijst, JSON and CSV.

`vggbot archief export --overleg ivb --jaar 2027 [--openbaar] MAP` (wired elsewhere) gathers the
meetings and calls `write_archive`. A folder is named `2027-03-22_ivb` and holds

- `agenda.pdf` and `besluitenlijst.pdf`: PDF/A-3b, the archival format;
- `vergadering.json`: the meeting in the shape of ODS Open Raadsinformatie, with stable ids;
- `vergadering.csv`: the same rows for Dutch Excel.

With `public=True` every confidential item is left out of all four files, with its action points:
no title, no number gap, no count. A folder's four files are made in memory first and written
after, so a failing render leaves no half folder behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.records.documents import agenda_html, decisions_html
from bot.records.excel_csv import Cell, excel_csv, write_excel_csv
from bot.records.model import MeetingRecord
from bot.records.ods import action_id, item_id, meeting_id, meeting_json_text
from bot.records.pdf import render_pdf
from bot.text.dutch import local_date, trail

AGENDA_PDF = "agenda.pdf"
DECISIONS_PDF = "besluitenlijst.pdf"
MEETING_JSON = "vergadering.json"
MEETING_CSV = "vergadering.csv"
INDEX_JSON = "index.json"
INDEX_CSV = "index.csv"

MEETING_CSV_HEADER = (
    "Soort",
    "Id",
    "Vergadering",
    "Overleg",
    "Datum",
    "Nr",
    "Titel",
    "Toelichting",
    "Indiener",
    "Uitkomst",
    "Besluit",
    "Verloop",
    "Vertrouwelijk",
    "Eigenaar",
    "Uiterlijk",
    "Status",
    "Agendapunt",
)
INDEX_CSV_HEADER = ("Map", "Datum", "Overleg", "Vergadering", "Status", "Agendapunten", "Actiepunten")


def folder_name(meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """`2027-03-22_ivb`: the local start date and the overleg key, safe as a file name."""
    key = re.sub(r"[^a-z0-9-]+", "-", meeting.overleg_key.lower()).strip("-") or "overleg"
    return f"{local_date(meeting.starts_at, tz).isoformat()}_{key}"


def meeting_csv_rows(meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> list[list[Cell]]:
    """One row per agenda item, then one per action point, with the JSON's ids."""
    common: dict[str, Cell] = {
        "Vergadering": meeting_id(meeting),
        "Overleg": meeting.overleg_name,
        "Datum": local_date(meeting.starts_at, tz).isoformat(),
    }
    items = meeting.ordered_items(public=public)
    item_ids = {item.id: item_id(meeting, item) for item in items}
    rows: list[dict[str, Cell]] = []
    for number, item in enumerate(items, start=1):
        rows.append(
            common
            | {"Soort": "agendapunt", "Id": item_ids[item.id], "Nr": number, "Titel": item.title}
            | {"Toelichting": item.explanation, "Indiener": item.proposer, "Uitkomst": item.outcome}
            | {"Besluit": item.decision, "Verloop": trail(item.history, tz)}
            | {"Vertrouwelijk": "ja" if item.confidential else "nee"}
        )
    for action in meeting.visible_actions(public=public):
        linked = "" if action.item_id is None else item_ids.get(action.item_id, "")
        rows.append(
            common
            | {"Soort": "actiepunt", "Id": action_id(action), "Titel": action.text, "Eigenaar": action.owner}
            | {"Uiterlijk": action.due_date.isoformat() if action.due_date else "", "Status": action.status}
            | {"Agendapunt": linked, "Vertrouwelijk": "ja" if action.confidential else "nee"}
        )
    return [[row.get(column, "") for column in MEETING_CSV_HEADER] for row in rows]


@dataclass(frozen=True)
class _Folder:
    name: str
    files: dict[str, bytes]


def _render_folder(meeting: MeetingRecord, name: str, *, public: bool, tz: ZoneInfo) -> _Folder:
    agenda = agenda_html(meeting, public=public, tz=tz)
    decisions = decisions_html(meeting, public=public, tz=tz)
    csv_text = excel_csv(MEETING_CSV_HEADER, meeting_csv_rows(meeting, public=public, tz=tz))
    return _Folder(
        name=name,
        files={
            AGENDA_PDF: render_pdf(title=agenda.title, body=agenda.body, description=agenda.description),
            DECISIONS_PDF: render_pdf(
                title=decisions.title, body=decisions.body, description=decisions.description
            ),
            # "replace": a lone surrogate in some text must not lose the whole folder
            MEETING_JSON: meeting_json_text(meeting, public=public, tz=tz).encode("utf-8", "replace"),
            MEETING_CSV: csv_text.encode("utf-8", "replace"),
        },
    )


def _write(folder: _Folder, directory: Path) -> list[Path]:
    target = directory / folder.name
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, data in folder.files.items():
        path = target / file_name
        path.write_bytes(data)
        written.append(path)
    return written


def write_meeting_folder(
    meeting: MeetingRecord, directory: Path, *, public: bool, tz: ZoneInfo, name: str | None = None
) -> list[Path]:
    """Write `directory/<name>/` with the four files; returns their paths.

    `name` defaults to `folder_name(meeting, tz)`; `write_archive` passes another when two
    meetings of one overleg fall on the same day.
    """
    folder = _render_folder(meeting, name or folder_name(meeting, tz), public=public, tz=tz)
    return _write(folder, directory)


def _unique_names(meetings: list[MeetingRecord], tz: ZoneInfo) -> list[str]:
    names: list[str] = []
    for meeting in meetings:
        base = name = folder_name(meeting, tz)
        suffix = 2
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


def _index_entry(meeting: MeetingRecord, name: str, *, public: bool, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "map": name,
        "id": meeting_id(meeting),
        "datum": local_date(meeting.starts_at, tz).isoformat(),
        "overleg": meeting.overleg_name,
        "vergadering": meeting.title,
        "status": meeting.status,
        "agendapunten": len(meeting.ordered_items(public=public)),
        "actiepunten": len(meeting.visible_actions(public=public)),
        "bestanden": [AGENDA_PDF, DECISIONS_PDF, MEETING_JSON, MEETING_CSV],
    }


def write_archive(
    meetings: Iterable[MeetingRecord], directory: Path, *, public: bool, tz: ZoneInfo
) -> list[Path]:
    """One folder per meeting (in date order), `index.json` and `index.csv`; returns every file written."""
    ordered = sorted(meetings, key=lambda meeting: (meeting.starts_at, meeting.id))
    names = _unique_names(ordered, tz)
    written: list[Path] = []
    for meeting, name in zip(ordered, names, strict=True):
        written += write_meeting_folder(meeting, directory, public=public, tz=tz, name=name)
    entries = [
        _index_entry(meeting, name, public=public, tz=tz)
        for meeting, name in zip(ordered, names, strict=True)
    ]
    directory.mkdir(parents=True, exist_ok=True)
    index_json = directory / INDEX_JSON
    index_json.write_text(
        json.dumps({"openbaar": public, "vergaderingen": entries}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    columns = ("map", "datum", "overleg", "vergadering", "status", "agendapunten", "actiepunten")
    index_rows = [[entry[column] for column in columns] for entry in entries]
    index_csv = write_excel_csv(directory / INDEX_CSV, INDEX_CSV_HEADER, index_rows)
    return [*written, index_json, index_csv]
