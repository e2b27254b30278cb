"""The calendar commands as the secretariaat runs them: `calendar sync` against a published calendar,
`calendar import` telling proposers before it exits, the per-meeting and per-overleg settings, and the
offline shell's demo calendar kept out of the real database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime.cli_calendar import calendar_import
from bot.runtime.deps import Deps
from storage.models import Meeting
from tests.bot.runtime.test_cli import vggbot
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack
from tests.support.factories_open import add_proposal
from tests.support.ics import Event, at, calendar
from tests.support.icsserver import IcsServer

PLENARIES = [
    Event(
        f"ivb-{day}@vgg.example", "Integraal Veiligheidsberaad", at(2026, 12, day, 10), at(2026, 12, day, 12)
    )
    for day in (7, 14)
]
ANNE = "U0ANNE0001"
# The commands run in a real process on the real clock: their meetings lie a month or two from today.
_SOON = datetime.now(AMS).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=40)
COMING = [
    Event(f"ivb-{n}@vgg.example", "Integraal Veiligheidsberaad", _SOON + timedelta(days=7 * n))
    for n in (0, 1)
]
VISIT = Event("visit@vgg.example", "IVB-werkbezoek Meldkamer", _SOON + timedelta(days=3))


@pytest.fixture
def ics() -> Iterator[IcsServer]:
    with IcsServer() as server:
        yield server


def test_sync_by_hand(tmp_path: Path, ics: IcsServer) -> None:
    """`vggbot calendar sync` imports the published calendar, says "niet gewijzigd" the second time, exits
    1 with the reason when the server fails, and 2 without CALENDAR_SOURCES."""
    ics.publish("/ivb.ics", calendar(*COMING, VISIT))
    env = {"CALENDAR_SOURCES": f"ivb={ics.url('/ivb.ics')}"}
    first = vggbot(tmp_path, "calendar", "sync", env=env)
    assert first.returncode == 0, first.stderr
    assert "toegevoegd: 3" in first.stdout
    again = vggbot(tmp_path, "calendar", "sync", env=env)
    assert "ivb: niet gewijzigd sinds de vorige keer." in again.stdout
    ics.publish("/ivb.ics", b"", status=503)
    failed = vggbot(tmp_path, "calendar", "sync", "--source", "ivb", env=env)
    assert failed.returncode == 1
    assert "ivb: mislukt: de server antwoordde 503" in failed.stdout
    assert "Er is niets veranderd." in failed.stdout
    assert vggbot(tmp_path, "calendar", "sync").returncode == 2


def test_meeting_and_overleg_settings(tmp_path: Path, ics: IcsServer) -> None:
    """`calendar list` shows numbers and which meetings take proposals; `calendar proposals N on` switches
    one; `overleg deadline ivb 10 12:00` and `overleg list` show the rule in Dutch."""
    ics.publish("/ivb.ics", calendar(*COMING, VISIT))
    env = {"CALENDAR_SOURCES": f"ivb={ics.url('/ivb.ics')}"}
    assert vggbot(tmp_path, "calendar", "sync", env=env).returncode == 0
    listed = vggbot(tmp_path, "calendar", "list", "--overleg", "ivb").stdout
    visit = next(line for line in listed.splitlines() if "werkbezoek" in line)
    assert "voorstellen: nee" in visit
    number = visit.split("\t")[0]
    switched = vggbot(tmp_path, "calendar", "proposals", number, "on")
    assert "neemt nu agendavoorstellen aan" in switched.stdout
    assert vggbot(tmp_path, "calendar", "proposals", number, "misschien").returncode == 2
    rule = vggbot(tmp_path, "overleg", "deadline", "ivb", "10", "12:00")
    assert (
        rule.stdout.strip()
        == "Integraal Veiligheidsberaad: agendadeadline 10 werkdagen vóór de vergadering, 12:00."
    )
    assert "10 werkdagen vóór de vergadering, 12:00" in vggbot(tmp_path, "overleg", "list").stdout
    assert vggbot(tmp_path, "overleg", "deadline", "ivb", "10", "00:00").returncode == 2


def test_import_tells_proposers_before_it_exits(deps: Deps, fake_slack: FakeSlack, tmp_path: Path) -> None:
    """`vggbot calendar import` of a file that cancels a meeting: the proposer's DM and the secretariaat's
    summary have gone out when the command returns."""
    deps.clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    path = tmp_path / "agenda.ics"
    path.write_bytes(calendar(*PLENARIES))
    assert calendar_import(deps, str(path), overleg_key="ivb") == 0
    with deps.sessions.begin() as s:
        first = s.scalar(select(Meeting).where(Meeting.uid == PLENARIES[0].uid))
        add_proposal(s, "ivb", "Hennepconvenant", ANNE, created=deps.clock.now(), meeting=first)
    path.write_bytes(calendar(replace(PLENARIES[0], sequence=1, status="CANCELLED"), PLENARIES[1]))
    assert calendar_import(deps, str(path), overleg_key="ivb") == 0
    channels = [str(c.args.get("channel")) for c in fake_slack.calls_to("chat.postMessage")]
    assert sorted(channels) == ["D0ADMIN0001", "D0ANNE0001"]


def _without_database_url(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "VGGBOT_", "DIGEST_", "DATABASE_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.runtime.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_demo_calendar_stays_out_of_real_data(tmp_path: Path) -> None:
    """Without DATABASE_URL the shell keeps its demo in vggbot-demo.sqlite3, never in vggbot.sqlite3; an
    import into a database holding the demo warns, and `vggbot demo remove` takes it out."""
    shell = _without_database_url(tmp_path, "shell", stdin="/ivb volgende\n")
    assert shell.returncode == 0, shell.stderr
    assert (tmp_path / "vggbot-demo.sqlite3").exists()
    assert not (tmp_path / "vggbot.sqlite3").exists()
    ics_file = tmp_path / "agenda.ics"
    ics_file.write_bytes(calendar(*COMING))
    demo_db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'vggbot-demo.sqlite3'}"}
    imported = vggbot(tmp_path, "calendar", "import", str(ics_file), "--overleg", "ivb", env=demo_db)
    assert "democalender" in imported.stdout
    removed = vggbot(tmp_path, "demo", "remove", env=demo_db)
    assert removed.returncode == 0
    assert "Democalender verwijderd:" in removed.stdout
    listed = vggbot(tmp_path, "calendar", "list", env=demo_db).stdout
    assert "demo-" not in listed
    assert "ivb-0@vgg.example" in listed


def test_an_unknown_calendar_source_stops_start_up_with_one_line(tmp_path: Path) -> None:
    """CALENDAR_SOURCES naming no overleg (and not `*`) stops `vggbot run` with one line naming it."""
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "CALENDAR_SOURCES": "brandweer=https://agenda.example/x.ics",
    }
    result = vggbot(tmp_path, "run", "--http", "--port", "0", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vggbot: instelling klopt niet: CALENDAR_SOURCES: onbekend overleg brandweer "
        "(gebruik een sleutel, of *)"
    ]
