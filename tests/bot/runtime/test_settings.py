"""Settings added for reminders and the feed: parsed, validated, and named in errors."""

from __future__ import annotations

from datetime import time

import pytest

from bot.runtime.settings import SettingsError, load_settings


def test_overleg_channels_and_reminder_time_parse() -> None:
    """OVERLEG_CHANNELS becomes a mapping, REMINDER_TIME a local time; PUBLIC_URL loses its slash."""
    settings = load_settings(
        _env_file=None,
        overleg_channels="ivb:C0123ABCD, KOB:C0456EFGH",
        reminder_time="07:45",
        public_url="https://vggbot.example.nl/",
    )
    assert settings.overleg_channels == {"ivb": "C0123ABCD", "kob": "C0456EFGH"}
    assert settings.reminder_time == time(7, 45)
    assert settings.public_url == "https://vggbot.example.nl"


@pytest.mark.parametrize(
    ("name", "value"),
    [("overleg_channels", "ivb=C0123"), ("overleg_channels", "ivb:#algemeen"), ("public_url", "vggbot.nl")],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    """A malformed value stops start-up with the variable's name."""
    with pytest.raises(SettingsError, match=name.upper()):
        load_settings(_env_file=None, **{name: value})
