"""The archive export: four files per meeting, PDF/A, stable JSON ids, Excel CSV, public leaves out."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.records.archive import folder_name, write_archive, write_meeting_folder
from bot.records.excel_csv import BOM
from tests.bot.records.pdfcheck import PdfFacts, read_pdf, require_pdf_font
from tests.bot.records.samples import (
    AMS,
    HOSTILE_TITLE,
    SECRET_ACTION,
    SECRET_EXPLANATION,
    SECRET_LOOSE_ACTION,
    SECRET_TITLE,
    june_meeting,
)

FILES = ("agenda.pdf", "besluitenlijst.pdf", "vergadering.json", "vergadering.csv")
PUBLIC_TITLES = ("Hennepconvenant Groningen: stand van zaken", HOSTILE_TITLE, "Burgernet Noord Nederland")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The June meeting written once as the internal and once as the public (openbaar) export."""
    require_pdf_font()
    folders = {}
    for kind, public in (("intern", False), ("openbaar", True)):
        paths = write_meeting_folder(june_meeting(), tmp_path_factory.mktemp(kind), public=public, tz=AMS)
        folders[kind] = paths[0].parent
    return folders


def _pdf(folder: Path, name: str) -> PdfFacts:
    return read_pdf((folder / name).read_bytes())


def _csv_rows(folder: Path) -> list[dict[str, str]]:
    text = (folder / "vergadering.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))


def test_folder_is_named_by_local_date_and_overleg_and_holds_four_files(exports: dict[str, Path]) -> None:
    """A meeting's folder is `2027-06-28_ivb` and holds the agenda, besluitenlijst, JSON and CSV."""
    for folder in exports.values():
        assert folder.name == "2027-06-28_ivb"
        assert sorted(path.name for path in folder.iterdir()) == sorted(FILES)


@pytest.mark.parametrize("name", ["agenda.pdf", "besluitenlijst.pdf"])
def test_pdfs_are_pdfa_3b_with_embedded_fonts_and_dutch_metadata(exports: dict[str, Path], name: str) -> None:
    """Agenda and besluitenlijst are PDF/A-3b, embed every font, are titled, by the VGG, in Dutch."""
    facts = _pdf(exports["intern"], name)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("3", "B")
    assert facts.fonts
    assert facts.unembedded_fonts == ()
    assert facts.language == "nl"
    assert facts.author == "Vereniging Groninger Gemeenten"
    kind = "Agenda" if name == "agenda.pdf" else "Besluitenlijst"
    assert facts.title == f"{kind} IVB 28 juni 2027"
    assert "pagina 1 van" in facts.pages[0]


@pytest.mark.parametrize("name", ["agenda.pdf", "besluitenlijst.pdf"])
def test_every_item_title_is_in_the_pdf_text(exports: dict[str, Path], name: str) -> None:
    """Every agenda item's title, hostile markup included, is in the extracted text of both PDFs."""
    facts = _pdf(exports["intern"], name)
    for title in (*PUBLIC_TITLES, SECRET_TITLE):
        assert facts.contains(title), title


def test_agenda_gives_items_in_order_with_explanation_and_proposer(exports: dict[str, Path]) -> None:
    """The agenda numbers items by position (unnumbered last), with explanation and proposer."""
    facts = _pdf(exports["intern"], "agenda.pdf")
    assert facts.contains("1. Hennepconvenant Groningen: stand van zaken")
    assert facts.contains("Toelichting door het RIEC.")
    assert facts.contains("Ingediend door Anne de Vries")
    assert facts.contains("4. Burgernet Noord Nederland")
    assert facts.contains("maandag 28 juni 2027, 09:30–12:00")


def test_besluitenlijst_gives_outcome_decision_trail_and_action_points(exports: dict[str, Path]) -> None:
    """The besluitenlijst shows outcomes, decisions, the trail, and action points with owner and date."""
    facts = _pdf(exports["intern"], "besluitenlijst.pdf")
    assert facts.contains("Uitkomst: behandeld")
    assert facts.contains("Besluit: Het convenant wordt in september getekend.")
    assert facts.contains(
        "aangehouden 22 mrt: wacht op het RIEC → geagendeerd 28 jun → "
        "behandeld 28 jun: convenant in september"
    )
    assert facts.contains("Convenanttekst rondsturen")
    assert facts.contains("15 juli 2027")
    assert facts.contains("Uitkomst: doorgeschoven naar een volgende vergadering")
    assert facts.contains("Uitkomst: nog niet vastgelegd")
    assert facts.contains("Overige actiepunten")


def test_internal_export_marks_confidential_items(exports: dict[str, Path]) -> None:
    """The internal export keeps confidential items and action points, marked, and says it is not public."""
    facts = _pdf(exports["intern"], "agenda.pdf")
    assert facts.contains(f"{SECRET_TITLE} (vertrouwelijk)")
    assert facts.contains("Niet openbaar")
    decisions = _pdf(exports["intern"], "besluitenlijst.pdf")
    assert decisions.contains(f"{SECRET_LOOSE_ACTION} (vertrouwelijk)")


def test_public_export_leaves_confidential_items_out_of_all_four_files(exports: dict[str, Path]) -> None:
    """With public=True no file holds a confidential title, explanation, decision or action point."""
    folder = exports["openbaar"]
    secrets = (
        SECRET_TITLE,
        SECRET_EXPLANATION,
        SECRET_ACTION,
        SECRET_LOOSE_ACTION,
        "Zwaan",
        "(vertrouwelijk)",
        "Niet openbaar",
    )
    for name in ("vergadering.json", "vergadering.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        assert not [secret for secret in secrets if secret in text], name
    for name in ("agenda.pdf", "besluitenlijst.pdf"):
        facts = _pdf(folder, name)
        assert not [secret for secret in secrets if facts.contains(secret)], name
        for title in PUBLIC_TITLES:
            assert facts.contains(title)


def test_public_export_leaves_no_gap_in_the_numbering(exports: dict[str, Path]) -> None:
    """Public items are numbered 1..n, so neither a gap nor a count betrays the left-out item."""
    data = json.loads((exports["openbaar"] / "vergadering.json").read_text(encoding="utf-8"))
    numbers = [item["agendapuntvolgnummer"] for item in data["vergadering"]["agendapunten"]]
    assert numbers == ["1", "2", "3"]
    assert [row["Nr"] for row in _csv_rows(exports["openbaar"]) if row["Soort"] == "agendapunt"] == numbers
    assert _pdf(exports["openbaar"], "agenda.pdf").contains("3. Burgernet Noord Nederland")


def test_json_follows_ods_names_and_links_decisions_and_actions(exports: dict[str, Path]) -> None:
    """vergadering.json has the ODS Vergadering/Agendapunt/Besluit fields and action points by item id."""
    data = json.loads((exports["intern"] / "vergadering.json").read_text(encoding="utf-8"))
    meeting = data["vergadering"]
    assert meeting["georganiseerdDoorGremium"] == {"gremiumidentificatie": "ivb", "gremiumnaam": "IVB"}
    assert (meeting["status"], meeting["vergaderdatum"]) == ("gehouden", "2027-06-28")
    assert meeting["geplandeAanvangVergadering"] == "2027-06-28T07:30:00Z"
    first = meeting["agendapunten"][0]
    assert first["agendapuntTitel"] == "Hennepconvenant Groningen: stand van zaken"
    assert first["indicatorBehandeld"] is True
    assert first["besluit"]["besluitresultaat"] == "Het convenant wordt in september getekend."
    assert [step["status"] for step in first["verloop"]] == ["aangehouden", "geagendeerd", "behandeld"]
    assert meeting["agendapunten"][1]["indicatorBesloten"] is True
    by_text = {action["omschrijving"]: action for action in meeting["actiepunten"]}
    assert by_text["Convenanttekst rondsturen"]["agendapunt"] == first["id"]
    assert by_text["Convenanttekst rondsturen"]["uiterlijk"] == "2027-07-15"
    assert by_text["Datum IVB november vastleggen"]["agendapunt"] is None
    assert "@context" not in data


def test_json_ids_stay_the_same_when_written_twice(exports: dict[str, Path], tmp_path: Path) -> None:
    """Writing the same meeting again gives the same JSON, ids included; public ids equal internal ones."""
    again = write_meeting_folder(june_meeting(), tmp_path, public=False, tz=AMS)
    again_json = next(path for path in again if path.name == "vergadering.json")
    assert again_json.read_bytes() == (exports["intern"] / "vergadering.json").read_bytes()
    internal = json.loads(again_json.read_text(encoding="utf-8"))["vergadering"]
    public = json.loads((exports["openbaar"] / "vergadering.json").read_text(encoding="utf-8"))["vergadering"]
    internal_ids = {item["agendapuntTitel"]: item["id"] for item in internal["agendapunten"]}
    assert public["id"] == internal["id"]
    for item in public["agendapunten"]:
        assert item["id"] == internal_ids[item["agendapuntTitel"]]
        assert len(item["id"]) <= 40


def test_csv_opens_in_dutch_excel_as_columns(exports: dict[str, Path]) -> None:
    """vergadering.csv starts with a BOM, splits on `;`, and defuses a formula-looking title."""
    raw = (exports["intern"] / "vergadering.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n")[0].decode("utf-8-sig").startswith("Soort;Id;Vergadering;Overleg;Datum;Nr;Titel")
    rows = _csv_rows(exports["intern"])
    assert [row["Soort"] for row in rows] == ["agendapunt"] * 4 + ["actiepunt"] * 4
    assert rows[2]["Titel"] == "'" + HOSTILE_TITLE
    assert rows[0]["Verloop"].startswith("aangehouden 22 mrt: wacht op het RIEC → geagendeerd 28 jun")
    json_ids = {
        item["id"]
        for item in json.loads((exports["intern"] / "vergadering.json").read_text(encoding="utf-8"))[
            "vergadering"
        ]["agendapunten"]
    }
    assert {row["Id"] for row in rows if row["Soort"] == "agendapunt"} == json_ids


def test_archive_writes_a_folder_per_meeting_and_an_index(tmp_path: Path) -> None:
    """write_archive gives two same-day meetings distinct folders and lists both in index.csv and .json."""
    require_pdf_font()
    morning = june_meeting()
    evening = replace(june_meeting(), id=8, uid="other-uid", title="IVB extra", items=(), actions=())
    written = write_archive([evening, morning], tmp_path, public=True, tz=AMS)
    assert (tmp_path / "2027-06-28_ivb" / "agenda.pdf") in written
    assert (tmp_path / "2027-06-28_ivb_2" / "vergadering.json") in written
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert [(entry["map"], entry["agendapunten"]) for entry in index["vergaderingen"]] == [
        ("2027-06-28_ivb", 3),
        ("2027-06-28_ivb_2", 0),
    ]
    index_csv = (tmp_path / "index.csv").read_text(encoding="utf-8")
    assert index_csv.startswith(BOM + "Map;Datum;Overleg;Vergadering;Status;Agendapunten;Actiepunten")


def test_folder_name_is_safe_for_any_overleg_key() -> None:
    """An odd overleg key cannot climb out of the export folder or break the name."""
    assert folder_name(june_meeting(overleg_key="../3 Noord"), AMS) == "2027-06-28_3-noord"
