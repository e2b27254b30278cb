"""Calendar settings (issue 11): CALENDAR_SOURCES as overleg=URL pairs, CALENDAR_SYNC_MINUTES."""

from __future__ import annotations

import pytest

from bot.runtime.settings import SettingsError, load_settings


def test_calendar_sources_parse() -> None:
    """Keys are lower-cased; a URL keeps its own commas; `*` matches by title; the interval defaults to 15."""
    settings = load_settings(
        _env_file=None,
        calendar_sources="IVB=https://outlook.office365.com/owa/calendar/a/b/calendar.ics?x=1,2, *=webcal://c/z.ics",
    )
    assert settings.calendar_sources == {
        "ivb": "https://outlook.office365.com/owa/calendar/a/b/calendar.ics?x=1,2",
        "*": "webcal://c/z.ics",
    }
    assert settings.calendar_sync_minutes == 15
    assert load_settings(_env_file=None, calendar_sources="").calendar_sources == {}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("calendar_sources", "ivb:https://x/y.ics"),
        ("calendar_sources", "ivb=ftp://x/y.ics"),
        ("calendar_sources", "i v b=https://x/y.ics"),
        ("calendar_sync_minutes", "0"),
    ],
)
def test_bad_calendar_settings_name_the_variable(name: str, value: str) -> None:
    """A malformed source or interval stops start-up with the variable's name."""
    with pytest.raises(SettingsError, match=name.upper()):
        load_settings(_env_file=None, **{name: value})
