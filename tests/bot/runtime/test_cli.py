"""The `vggbot` command as an operator runs it: a real process, a SQLite file, stdin and stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from tests.support.paths import DATA


def vggbot(
    tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot.cli` in `tmp_path` (so no stray .env is read) on a SQLite file there."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "VGGBOT_", "DIGEST_"))}
    clean.pop("BOT_TIMEZONE", None)
    clean.pop("ADMIN_USER_IDS", None)
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.runtime.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean,
        timeout=60,
        check=False,
    )


def test_shell_answers_piped_commands_in_dutch(tmp_path: Path) -> None:
    """`printf '/ivb volgende\\n/ivb help\\n' | vggbot shell` answers both in Dutch, without a traceback."""
    result = vggbot(tmp_path, "shell", stdin="/ivb volgende\n/ivb help\n")
    assert result.returncode == 0, result.stderr
    assert "Integraal Veiligheidsberaad: volgende vergadering" in result.stdout
    assert "Agendapunten aanleveren: *uiterlijk" in result.stdout
    assert "Wat kan VGG-bot?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DIGEST_INTERVAL_DAYS", "abc"), ("BOT_TIMEZONE", "Mars/Base"), ("PORT", "99999")],
)
def test_malformed_setting_stops_with_one_line(tmp_path: Path, name: str, value: str) -> None:
    """A malformed setting prints exactly one line naming the variable and exits non-zero."""
    result = vggbot(tmp_path, "shell", env={name: value})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_calendar_import_then_export(tmp_path: Path) -> None:
    """Import prints a Dutch summary; a second import changes nothing; export writes iCalendar."""
    source = str(DATA / "outlook_ivb_2023.ics")
    first = vggbot(tmp_path, "calendar", "import", source)
    assert first.returncode == 0, first.stderr
    assert "toegevoegd: 3" in first.stdout
    assert "maandag 20 maart 2023, 09:30" in first.stdout
    assert "'Tandarts': past bij geen overleg" in first.stdout

    second = vggbot(tmp_path, "calendar", "import", source)
    assert second.returncode == 0, second.stderr
    assert "toegevoegd: 0" in second.stdout
    assert "verplaatst: 0" in second.stdout
    assert "Er is niets veranderd." in second.stdout

    exported = vggbot(tmp_path, "calendar", "export")
    assert exported.returncode == 0, exported.stderr
    calendar = icalendar.Calendar.from_ical(exported.stdout)
    starts = sorted(e.decoded("DTSTART").strftime("%Y-%m-%d %H:%M %Z") for e in calendar.walk("VEVENT"))
    assert starts == ["2023-03-20 09:30 CET", "2023-06-26 09:30 CEST", "2023-11-13 09:30 CET"]
    only_kob = vggbot(tmp_path, "calendar", "export", "--overleg", "kob")
    assert only_kob.returncode == 0
    assert icalendar.Calendar.from_ical(only_kob.stdout).walk("VEVENT") == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((str(DATA / "broken.ics"),), "ongeldige DTSTART"),
        (("does-not-exist.ics",), "bestaat niet"),
        ((str(DATA),), "is een map"),
        ((str(DATA / "allday.ics"), "--overleg", "brandweer"), "Kies uit: `ivb`, `kob`, `3noord`"),
    ],
)
def test_bad_import_input_gives_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    """A broken or missing file, a directory or an unknown overleg: one line, exit 2, nothing imported."""
    result = vggbot(tmp_path, "calendar", "import", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    if args[0].endswith("broken.ics"):
        # Its first event is fine: the whole file is refused, so not even that one is imported.
        exported = vggbot(tmp_path, "calendar", "export")
        assert icalendar.Calendar.from_ical(exported.stdout).walk("VEVENT") == []


def test_export_of_unknown_overleg_gives_one_line(tmp_path: Path) -> None:
    """`calendar export --overleg brandweer` names the valid keys and exits 2."""
    result = vggbot(tmp_path, "calendar", "export", "--overleg", "brandweer")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "vggbot: Ik ken geen overleg `brandweer`. "
        "Kies uit: `ivb`, `kob`, `3noord`, `groningeragenda`, `jaarkalender`."
    ]
