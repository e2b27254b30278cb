"""Configuration: one pydantic-settings class, read from the environment and `.env`."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Every setting VGG-bot reads. `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///vggbot.sqlite3"
    bot_timezone: str = "Europe/Amsterdam"
    admin_user_ids: Annotated[tuple[str, ...], NoDecode] = ()
    review_channel: str | None = None
    digest_channel: str | None = None
    digest_start: datetime = datetime(2023, 10, 3, 9, 0)  # noqa: DTZ001 - wall-clock time in bot_timezone
    digest_interval_days: int = Field(default=14, ge=1, le=366)
    digest_weeks_ahead: int = Field(default=6, ge=1, le=52)
    digest_holidays: str = "shift"
    digest_grace_hours: float = Field(default=12, ge=0)
    reminder_days_before_deadline: int = Field(default=2, ge=0, le=60)
    reminder_time: time = time(8, 0)
    # Reminder channel per overleg, "ivb:C0123,kob:C0456"; applied to the overleggen at start.
    overleg_channels: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    # A claim on a post older than this is from a crashed process and may be taken over.
    slot_claim_timeout_minutes: float = Field(default=10, gt=0)
    # How often the scheduler looks for due reminders and missed or failed slots.
    scheduler_poll_seconds: float = Field(default=60, ge=1)
    # How often (seconds) the outbox is checked for retries and for messages a stopped process left.
    outbox_poll_seconds: float = Field(default=5, ge=0.5)
    # A message claimed longer ago than this (seconds) is from a sender that died or hangs: taken over.
    # Longer than any one attempt (the Slack timeout plus Retry-After waits).
    outbox_lease_seconds: float = Field(default=120, ge=5)
    # The public https address of HTTP mode, for calendar-feed links (e.g. https://vggbot.example.nl).
    public_url: str | None = None
    port: int = Field(default=3000, ge=1, le=65535)
    health_port: int | None = Field(default=None, ge=0, le=65535)  # Socket Mode: serve GET /health here
    http_threads: int = Field(default=8, ge=1, le=128)
    # How long a Web API call may take before the bot stops waiting for Slack's answer.
    slack_timeout_seconds: int = Field(default=10, ge=1, le=120)
    log_level: str = "INFO"
    # --- issue 13: running at a municipality ---
    # text: one readable line per record; json: one JSON object per line for log shippers.
    log_format: str = "text"
    # --- Calendar (issue 11) ---
    # Calendars to follow, "ivb=https://…/calendar.ics,kob=https://…"; the key `*` matches each event
    # to an overleg by its title or CATEGORIES.
    calendar_sources: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    calendar_sync_minutes: int = Field(default=15, ge=1, le=1440)
    # --- After the meeting (issue 15) ---
    # The morning after a meeting, at this local time, the secretariaat gets "Besluitenlijst invullen".
    minutes_dm_time: time = time(9, 0)
    # How many days after that moment the DM is still sent (a bot that was down catches up once).
    minutes_dm_days: int = Field(default=7, ge=1, le=60)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("health_port", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("overleg_channels", mode="before")
    @classmethod
    def _channel_map(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        mapping: dict[str, str] = {}
        for part in value.split(","):
            if not part.strip():
                continue
            key, sep, channel = part.partition(":")
            if not sep or not key.strip() or not re.fullmatch(r"[CG][A-Z0-9]{2,}", channel.strip()):
                raise ValueError("gebruik paren overleg:KANAALID, bijv. ivb:C0123ABCD,kob:C0456EFGH")
            mapping[key.strip().lower()] = channel.strip()
        return mapping

    @field_validator("calendar_sources", mode="before")
    @classmethod
    def _calendar_map(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        mapping: dict[str, str] = {}
        # Split on commas that start a new `key=` (a URL may hold commas of its own).
        for part in re.split(r",\s*(?=[^,=\s]+=)", value.strip()):
            if not part.strip():
                continue
            key, sep, url = part.partition("=")
            key, url = key.strip().lower(), url.strip()
            if (
                not sep
                or not re.fullmatch(r"\*|[a-z0-9_-]{1,40}", key)
                or not url.startswith(("http://", "https://", "webcal://"))
            ):
                raise ValueError(
                    "use overleg=URL pairs, e.g. ivb=https://…/calendar.ics,kob=https://… (or *=URL)"
                )
            mapping[key] = url
        return mapping

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("moet een http(s)-adres zijn")
        return value.rstrip("/")

    @field_validator("bot_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"onbekende tijdzone {value!r} (gebruik bijv. Europe/Amsterdam)") from exc
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in {"text", "json"}:
            raise ValueError("gebruik text of json")
        return value.lower()

    @field_validator("digest_holidays")
    @classmethod
    def _holiday_mode(cls, value: str) -> str:
        if value not in {"post", "skip", "shift"}:
            raise ValueError("gebruik post, skip of shift")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("moet een http(s)-adres zijn")
        return value if value.endswith("/") else value + "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def has_slack_tokens(self) -> bool:
        return self.slack_bot_token is not None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admin_user_ids


# pydantic's messages in Dutch, by error type; the rest keep pydantic's English.
_DUTCH = {
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_parsing": "moet true of false zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "datetime_from_date_parsing": "moet een datum-tijd zijn, bijv. 2023-10-03T09:00",
    "datetime_parsing": "moet een datum-tijd zijn, bijv. 2023-10-03T09:00",
    "time_parsing": "moet een tijd zijn, bijv. 08:00",
    "value_error": "{error}",
}


def _dutch(error: Any) -> str:
    template = _DUTCH.get(str(error["type"]))
    if template is None:
        return str(error["msg"])
    return template.format(**{key: str(value) for key, value in (error.get("ctx") or {}).items()})


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad one raises SettingsError naming the variable in Dutch, never a traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "instellingen"
        raise SettingsError(f"{name}: {_dutch(first)}") from None
