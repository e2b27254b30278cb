"""`vggbot report open [--overleg KEY]`: the open items as CSV on stdout."""

import csv
import io
from datetime import datetime

import pytest

from bot.runtime.cli import main
from bot.runtime.deps import Deps
from storage.models import ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.support.factories_open import add_action, add_proposal

CREATED = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)


@pytest.fixture
def filled(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", deps.settings.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with deps.sessions.begin() as s:
        add_proposal(s, "ivb", "Cameratoezicht", OFFICIAL, created=CREATED)
        add_proposal(s, "ivb", "Klaar", OFFICIAL, created=CREATED, state=ProposalState.BEHANDELD)
        add_action(s, "kob", "Notitie, met komma", OFFICIAL, created=CREATED)


@pytest.mark.usefixtures("filled")
def test_report_open_writes_csv(capsys: pytest.CaptureFixture[str]) -> None:
    """Every open item, one CSV row each, with a header; decided proposals are left out."""
    assert main(["report", "open"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["soort"], r["omschrijving"]) for r in rows] == [
        ("agendavoorstel", "Cameratoezicht"),
        ("actiepunt", "Notitie, met komma"),
    ]


@pytest.mark.usefixtures("filled")
def test_report_open_for_one_overleg(capsys: pytest.CaptureFixture[str]) -> None:
    """`--overleg kob` keeps that overleg; an unknown key fails with exit code 2."""
    assert main(["report", "open", "--overleg", "kob"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["overleg"] for r in rows] == ["kob"]
    assert main(["report", "open", "--overleg", "brandweer"]) == 2
    assert "Ik ken geen overleg" in capsys.readouterr().err
