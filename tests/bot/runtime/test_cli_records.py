"""`vggbot archief export` and `vggbot rapport jaar` on a real database filled through the services:
the archive opens as PDF/A with every item, the public one leaves out every confidential item, and the
year report reproduces the seed's 2023 IVB sentence and aandachtspunten."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime.cli import main
from bot.runtime.deps import Deps
from bot.services import decisions, minutes_record, proposals
from bot.services.minutes_record import OutcomeEntry
from tests.bot.records.pdfcheck import read_pdf, require_pdf_font
from tests.bot.records.test_year_report import SEED_AANDACHTSPUNTEN
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.proposal_helpers import seed_ivb_2023

SECRET = "Dossier Zwarte Zwaan ondermijning"
SECRET_ACTION = "Zwarte Zwaan: rapport naar het OM"
LAPSED = "Evaluatie oud en nieuw 2022"
SEED_SENTENCE = "De ambtenaren OOV kwamen in 2023 bij elkaar op 20 maart, 26 juni en 13 november."
OWNER = "U0OWNER0001"


def _agenda(deps: Deps, meeting_id: int, titles: list[str], *, at: datetime) -> list[int]:
    """The titles proposed for one meeting (`at`, before its deadline) and agendered on it, in order."""
    ids = []
    with deps.sessions.begin() as s:
        for title in titles:
            created = proposals.create_proposal(
                session=s,
                proposer_id=OFFICIAL,
                title=title,
                meeting_id=meeting_id,
                now=at,
                tz=AMS,
                confidential=title == SECRET,
            )
            decisions.decide(
                session=s,
                proposal_id=created.proposal.id,
                actor_id=ADMIN,
                admin_ids=(ADMIN,),
                decision="agenderen",
                now=at,
            )
            ids.append(created.proposal.id)
    return ids


def _close(deps: Deps, meeting_id: int, entries: list[OutcomeEntry], *, at: datetime) -> None:
    with deps.sessions.begin() as s:
        minutes_record.record_outcomes(
            session=s,
            meeting_id=meeting_id,
            actor_id=ADMIN,
            admin_ids=(ADMIN,),
            entries=entries,
            now=at,
            tz=AMS,
        )


@pytest.fixture
def year_2023(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> Deps:
    """The CLI on the test's database, filled with `fill_2023`."""
    monkeypatch.setenv("DATABASE_URL", deps.settings.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    fill_2023(deps)
    return deps


def fill_2023(deps: Deps) -> None:
    """The seed's 2023 IVB: its eleven aandachtspunten behandeld over the three meetings (4, 4, 3), plus
    a confidential item (behandeld, with an action point) and one that lapsed (vervallen) in March."""
    meetings = seed_ivb_2023(deps)
    spread = (
        [*SEED_AANDACHTSPUNTEN[:4], SECRET, LAPSED],
        list(SEED_AANDACHTSPUNTEN[4:8]),
        list(SEED_AANDACHTSPUNTEN[8:]),
    )
    for meeting_id, titles, (month, day) in zip(meetings, spread, ((3, 20), (6, 26), (11, 13)), strict=True):
        start = datetime(2023, month, day, 9, 30, tzinfo=AMS)
        items = _agenda(deps, meeting_id, titles, at=start - timedelta(days=20))
        entries = []
        for item, title in zip(items, titles, strict=True):
            if title == LAPSED:
                entries.append(OutcomeEntry(item, "vervallen"))
            elif title == SECRET:
                entries.append(OutcomeEntry(item, "behandeld", "Blijft binnenskamers.", OWNER, SECRET_ACTION))
            else:
                entries.append(OutcomeEntry(item, "behandeld", f"Besproken: {title}."))
        _close(deps, meeting_id, entries, at=start + timedelta(days=1))


@pytest.mark.usefixtures("year_2023")
def test_year_report_reproduces_the_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`vggbot rapport jaar 2023` writes the seed's IVB sentence and its eleven aandachtspunten, in order;
    the confidential and the lapsed item are not among them; the CSV counts them."""
    assert main(["rapport", "jaar", "2023", str(tmp_path)]) == 0
    assert "jaarrapport-2023.md" in capsys.readouterr().out
    markdown = (tmp_path / "jaarrapport-2023.md").read_text(encoding="utf-8")
    ivb = markdown.split("### Integraal Veiligheidsberaad\n", 1)[1].split("\n### ", 1)[0]
    bullets = "\n".join(f"- {title}" for title in SEED_AANDACHTSPUNTEN)
    assert ivb == f"\n{SEED_SENTENCE}\n\n#### Aandachtspunten in 2023\n\n{bullets}\n"
    assert SECRET not in markdown
    table = (tmp_path / "jaarrapport-2023.csv").read_text(encoding="utf-8-sig").splitlines()
    ivb_row = next(line for line in table if line.startswith("Integraal Veiligheidsberaad;"))
    # meetings, hours, without end, behandeld (11 + the confidential one), doorgeschoven, vervallen, afgewezen
    assert ivb_row.split(";")[2:9] == ["3", "7,5", "0", "12", "0", "1", "0"]


def _all_text(folder: Path) -> str:
    """Every file of an export: the PDFs' text and the JSON and CSV as written."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".pdf":
            parts.append(read_pdf(path.read_bytes()).text)
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


@pytest.mark.usefixtures("year_2023")
def test_archive_export_is_pdfa_with_every_item(tmp_path: Path) -> None:
    """The internal export: a folder per meeting; both PDFs are PDF/A-3b with embedded fonts and name
    every item, the confidential one marked; JSON and CSV are there."""
    require_pdf_font()
    assert main(["archief", "export", "--overleg", "ivb", "--jaar", "2023", str(tmp_path)]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert folders == ["2023-03-20_ivb", "2023-06-26_ivb", "2023-11-13_ivb"]
    march = tmp_path / "2023-03-20_ivb"
    for name in ("agenda.pdf", "besluitenlijst.pdf"):
        facts = read_pdf((march / name).read_bytes())
        assert (facts.pdfa_part, facts.pdfa_conformance) == ("3", "B")
        assert facts.fonts
        assert facts.unembedded_fonts == ()
        for title in [*SEED_AANDACHTSPUNTEN[:4], SECRET, LAPSED]:
            assert facts.contains(title), (name, title)
        assert facts.contains("(vertrouwelijk)")
    decisions_pdf = read_pdf((march / "besluitenlijst.pdf").read_bytes())
    assert decisions_pdf.contains(SECRET_ACTION)
    assert decisions_pdf.contains("vervallen")
    data = json.loads((march / "vergadering.json").read_text(encoding="utf-8"))
    assert len(data["vergadering"]["agendapunten"]) == 6
    for later, titles in (
        ("2023-06-26_ivb", SEED_AANDACHTSPUNTEN[4:8]),
        ("2023-11-13_ivb", SEED_AANDACHTSPUNTEN[8:]),
    ):
        text = read_pdf((tmp_path / later / "besluitenlijst.pdf").read_bytes())
        assert all(text.contains(title) for title in titles)


@pytest.mark.usefixtures("year_2023")
def test_public_archive_leaves_out_every_confidential_item(tmp_path: Path) -> None:
    """`--openbaar`: no file names the confidential item, its decision or its action point, and no
    Slack id of an official; the other items are all there."""
    require_pdf_font()
    out = tmp_path / "openbaar"  # tmp_path also holds the test's SQLite database
    assert main(["archief", "export", "--overleg", "ivb", "--jaar", "2023", "--openbaar", str(out)]) == 0
    text = _all_text(out)
    for hidden in (SECRET, "Zwarte Zwaan", "binnenskamers", SECRET_ACTION, OFFICIAL, OWNER, ADMIN):
        assert hidden not in text
    facts = read_pdf((out / "2023-03-20_ivb" / "agenda.pdf").read_bytes())
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("3", "B")
    for title in SEED_AANDACHTSPUNTEN[:4]:
        assert facts.contains(title)


def test_archive_export_refuses_bad_input(
    deps: Deps, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An unknown overleg or a file instead of a folder: exit code 2 and a Dutch line, nothing written."""
    monkeypatch.setenv("DATABASE_URL", deps.settings.database_url)
    assert main(["archief", "export", "--overleg", "brandweer", "--jaar", "2023", str(tmp_path / "a")]) == 2
    file = tmp_path / "bestand.txt"
    file.write_text("x")
    assert main(["archief", "export", "--overleg", "ivb", "--jaar", "2023", str(file)]) == 2
    assert main(["rapport", "jaar", "2023", str(file)]) == 2
    assert not (tmp_path / "a").exists()
