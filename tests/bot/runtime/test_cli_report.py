"""`vggbot report open [--overleg KEY] [--format excel|csv] [--namen]`: the open items as CSV on stdout,
by default in the form Dutch Excel opens as columns."""

import csv
import io
from datetime import datetime

import pytest

from bot.runtime.cli import main
from bot.runtime.deps import Deps
from storage.models import ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.fakes.slack import FakeSlack
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
    assert main(["report", "open", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["soort"], r["omschrijving"]) for r in rows] == [
        ("agendavoorstel", "Cameratoezicht"),
        ("actiepunt", "Notitie, met komma"),
    ]


@pytest.mark.usefixtures("filled")
def test_report_open_for_one_overleg(capsys: pytest.CaptureFixture[str]) -> None:
    """`--overleg kob` keeps that overleg; an unknown key fails with exit code 2."""
    assert main(["report", "open", "--overleg", "kob", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["overleg"] for r in rows] == ["kob"]
    assert main(["report", "open", "--overleg", "brandweer"]) == 2
    assert "Ik ken geen overleg" in capsys.readouterr().err


@pytest.mark.usefixtures("filled")
def test_default_is_what_dutch_excel_opens_as_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --format: a UTF-8 BOM, `;` between cells and CRLF, so "Notitie, met komma" stays one cell."""
    assert main(["report", "open"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffsoort;id;overleg;vergadering;omschrijving;persoon;")
    assert "\r\n" in out
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert [r["omschrijving"] for r in rows] == ["Cameratoezicht", "Notitie, met komma"]


@pytest.mark.usefixtures("filled")
def test_namen_asks_slack_once_per_person(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--namen puts the person's name where the id was; two items of one person ask users.info once."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    fake_slack.users[OFFICIAL] = {"real_name": "=Piet de Vries", "profile": {"real_name": "=Piet de Vries"}}
    assert main(["report", "open", "--format", "csv", "--namen"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["persoon"] for r in rows] == ["'=Piet de Vries", "'=Piet de Vries"]  # still no formula
    assert len(fake_slack.calls_to("users.info")) == 1


@pytest.mark.usefixtures("filled")
def test_namen_without_slack_keeps_the_ids_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Slack unreachable: the report still comes, with the ids, after one Dutch warning."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    assert main(["report", "open", "--format", "csv", "--namen"]) == 0
    captured = capsys.readouterr()
    assert [r["persoon"] for r in csv.DictReader(io.StringIO(captured.out))] == [OFFICIAL, OFFICIAL]
    (warning,) = captured.err.splitlines()
    assert warning.startswith("vggbot: namen opvragen bij Slack lukt niet")
