"""The checks of `vggbot doctor`, each a function returning findings: one Dutch line with the fix.

Settings and the database need no Slack; the Slack checks share one WebClient and stop after a token
Slack refuses. `REQUIRED_SCOPES` is what manifest.yml asks for (tests/test_manifest.py keeps the two
equal; the manifest itself is not part of the installed package).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.runtime.logs import exception_summary
from bot.runtime.settings import Settings
from storage.migrate import current_revision, head_revision
from storage.queries.meetings import coming_counts

REQUIRED_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
)
BEHEER = "docs/beheer.md"
CREATE_POSTGRES = (
    "maak de rol en de database: `sudo -u postgres createuser --pwprompt vggbot` en "
    "`sudo -u postgres createdb --owner vggbot vggbot`, zet DATABASE_URL en draai `vggbot db upgrade` "
    f"({BEHEER}, stap 6)"
)


@dataclass(frozen=True)
class Finding:
    """One line of the report: ✓ fine, ✗ blocks the bot (exit status 1), ! worth fixing."""

    ok: bool
    text: str
    fix: str = ""
    blocking: bool = True

    def line(self) -> str:
        mark = "✓" if self.ok else ("✗" if self.blocking else "!")
        return f"{mark} {self.text}" + (f": {self.fix}" if self.fix and not self.ok else "")


def fine(text: str) -> Finding:
    return Finding(ok=True, text=text)


def problem(text: str, fix: str, *, blocking: bool = True) -> Finding:
    return Finding(ok=False, text=text, fix=fix, blocking=blocking)


# --- settings ------------------------------------------------------------------------------------


def check_settings(settings: Settings, *, http: bool) -> list[Finding]:
    """What a start in this mode needs; the rest is validated when the settings are read."""
    found: list[Finding] = []
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    if not token.startswith("xoxb-"):
        what = "ontbreekt" if not token else "is geen bot-token (xoxb-…)"
        found.append(
            problem(f"SLACK_BOT_TOKEN {what}", f"kopieer het Bot User OAuth Token ({BEHEER}, stap 2)")
        )
    if http and settings.slack_signing_secret is None:
        found.append(
            problem("SLACK_SIGNING_SECRET ontbreekt (HTTP-modus)", "kopieer het Signing Secret uit Slack")
        )
    if http and settings.public_url is None:
        fix = "zet het https-adres van de bot, voor agenda-links en deze controle"
        found.append(problem("PUBLIC_URL ontbreekt", fix, blocking=False))
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    if not http and not app_token.startswith("xapp-"):
        fix = "maak een App-Level Token met connections:write, of start met `--http`"
        found.append(problem("SLACK_APP_TOKEN ontbreekt voor Socket Mode", fix))
    if not settings.admin_user_ids:
        fix = (
            f"zet de lid-ID's van het secretariaat, anders beoordeelt niemand voorstellen ({BEHEER}, stap 3)"
        )
        found.append(problem("ADMIN_USER_IDS is leeg", fix))
    if not settings.digest_channel:
        found.append(problem("DIGEST_CHANNEL is leeg", "zonder kanaal komt er geen digest", blocking=False))
    if not found:
        found.append(fine(f"Instellingen compleet ({'HTTP-modus' if http else 'Socket Mode'})"))
    return found


# --- database ------------------------------------------------------------------------------------


def sqlite_file_missing(url: str) -> Path | None:
    """The SQLite file DATABASE_URL names, when it does not exist yet (connecting would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in {None, "", ":memory:"}:
        return None
    path = Path(str(parsed.database))
    return None if path.exists() else path


def check_database(engine: Engine, url: str) -> Finding:
    """Reachable, and at the newest revision this version knows."""
    backend = make_url(url).get_backend_name()
    missing = sqlite_file_missing(url)
    if missing is not None:
        return problem(f"Database-bestand {missing} bestaat nog niet", "draai `vggbot db upgrade`")
    try:
        with engine.execution_options(sqlite_begin="DEFERRED").connect() as connection:  # a reader
            revision = current_revision(connection)
    except Exception as exc:
        fix = (
            CREATE_POSTGRES if backend == "postgresql" else "controleer het pad in DATABASE_URL en de rechten"
        )
        return problem(f"Database niet bereikbaar ({exception_summary(exc)})", fix)
    head = head_revision()
    if revision is None:
        return problem(f"Database ({backend}) heeft nog geen tabellen", "draai `vggbot db upgrade`")
    if revision != head:
        return problem(
            f"Database staat op revisie {revision}, deze versie wil {head}", "draai `vggbot db upgrade`"
        )
    return fine(f"Database bereikbaar en bijgewerkt ({backend}, revisie {head})")


def check_calendar(session: Session, settings: Settings, now: datetime) -> list[Finding]:
    """Every overleg has coming meetings or a calendar source (CALENDAR_SOURCES, issue 11)."""
    sources: dict[str, Any] = dict(getattr(settings, "calendar_sources", None) or {})
    empty = [
        key
        for key, count in coming_counts(session=session, now=now).items()
        if not count and key not in sources
    ]
    if not empty:
        return [fine("Elk overleg heeft komende vergaderingen of een agendabron")]
    return [
        problem(
            f"Overleg {key} heeft geen komende vergaderingen en geen agendabron",
            f"importeer de agenda (`vggbot calendar import agenda.ics --overleg {key}`) "
            "of zet CALENDAR_SOURCES",
            blocking=False,
        )
        for key in empty
    ]


# --- Slack ---------------------------------------------------------------------------------------


def check_token(client: WebClient, settings: Settings) -> tuple[Finding, set[str] | None]:
    """auth.test, and the scopes Slack lists in its `x-oauth-scopes` header (None: no token, or no header)."""
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        code = exc.response.get("error") or exc.response.status_code
        fix = f"kopieer het Bot User OAuth Token opnieuw naar SLACK_BOT_TOKEN ({BEHEER}, stap 2)"
        return problem(f"Slack weigert het bot-token ({code})", fix), None
    except Exception as exc:
        fix = f"controleer de netwerkverbinding naar {settings.slack_api_url} (proxy, firewall)"
        return problem(f"Slack is niet bereikbaar ({exception_summary(exc)})", fix), None
    header = next((v for k, v in response.headers.items() if k.lower() == "x-oauth-scopes"), None)
    scopes = {s.strip() for s in str(header).split(",") if s.strip()} if header is not None else None
    return fine(f"Bot-token werkt ({response.get('user')} in werkruimte {response.get('team')})"), scopes


def check_scopes(granted: set[str] | None) -> Finding:
    if granted is None:
        return problem("Slack noemde de rechten van het token niet", "niet gecontroleerd", blocking=False)
    missing = [scope for scope in REQUIRED_SCOPES if scope not in granted]
    if missing:
        fix = f"zet manifest.yml in de app en installeer de app opnieuw ({BEHEER}, stap 2)"
        return problem(f"Rechten ontbreken: {', '.join(missing)}", fix)
    return fine(f"Het token heeft alle {len(REQUIRED_SCOPES)} rechten die het manifest vraagt")


def configured_channels(settings: Settings) -> dict[str, str]:
    """Channel id -> the setting(s) that name it."""
    named: dict[str, list[str]] = {}
    pairs = [("DIGEST_CHANNEL", settings.digest_channel), ("REVIEW_CHANNEL", settings.review_channel)]
    pairs += [(f"OVERLEG_CHANNELS {key}", channel) for key, channel in settings.overleg_channels.items()]
    for setting, channel in pairs:
        if channel:
            named.setdefault(channel, []).append(setting)
    return {channel: ", ".join(settings_) for channel, settings_ in named.items()}


def check_channels(client: WebClient, settings: Settings) -> Iterator[Finding]:
    """The bot is a member of every configured channel (conversations.info's is_member)."""
    for channel, setting in configured_channels(settings).items():
        try:
            info = client.conversations_info(channel=channel)["channel"]
        except SlackApiError as exc:
            code = exc.response.get("error")
            fix = "controleer het kanaal-ID; bij een privékanaal: nodig de bot uit met `/invite @VGG-bot`"
            yield problem(f"Kanaal {channel} ({setting}) niet gevonden ({code})", fix)
            continue
        name = f"#{info.get('name') or channel}"
        if info.get("is_archived"):
            yield problem(f"{name} ({setting}) is gearchiveerd", "kies een ander kanaal")
        elif not info.get("is_member"):
            fix = f"nodig de bot uit met `/invite @VGG-bot` in {name}"
            yield problem(f"VGG-bot is geen lid van {name} ({setting})", fix)
        else:
            yield fine(f"Lid van {name} ({setting})")


def check_admins(client: WebClient, settings: Settings) -> Iterator[Finding]:
    """Every ADMIN_USER_IDS id is a member of the workspace (users.info)."""
    names: list[str] = []
    for user_id in settings.admin_user_ids:
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            fix = f"kopieer het lid-ID opnieuw ({BEHEER}, stap 3)"
            yield problem(f"ADMIN_USER_IDS: {user_id} bestaat niet ({exc.response.get('error')})", fix)
            continue
        if user.get("deleted"):
            yield problem(f"ADMIN_USER_IDS: {user_id} is gedeactiveerd", "haal het ID weg of vervang het")
            continue
        names.append(str(user.get("real_name") or user.get("name") or user_id))
    if names:
        yield fine(f"Secretariaat gevonden: {', '.join(names)}")


def check_socket_mode(settings: Settings) -> Finding:
    """apps.connections.open with the app-level token: Slack hands out a WebSocket address."""
    if settings.slack_app_token is None:
        return problem("Socket Mode niet gecontroleerd", "SLACK_APP_TOKEN ontbreekt")
    app_token = settings.slack_app_token.get_secret_value()
    client = WebClient(base_url=settings.slack_api_url, timeout=10)
    try:
        client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        fix = "maak een nieuw App-Level Token met de scope connections:write en zet Socket Mode aan"
        return problem(f"Socket Mode: Slack weigert een verbinding ({exc.response.get('error')})", fix)
    except Exception as exc:
        return problem(
            f"Socket Mode: Slack niet bereikbaar ({exception_summary(exc)})",
            "controleer de netwerkverbinding",
        )
    return fine("Socket Mode: Slack geeft een verbinding")


def check_public_health(settings: Settings, *, timeout: float = 5) -> Finding:
    """HTTP mode: PUBLIC_URL/health answers 200, so Slack's requests reach the bot."""
    if settings.public_url is None:
        return problem("HTTP-modus: /health niet gecontroleerd", "zet PUBLIC_URL", blocking=False)
    url = f"{settings.public_url}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - an http(s) URL by validation
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except Exception as exc:
        fix = f"draait de bot met `--http`, en stuurt de proxy /health door? ({BEHEER}, stap 10)"
        return problem(f"{url} antwoordt niet ({exception_summary(exc)})", fix)
    if status != 200:
        return problem(
            f"{url} antwoordt {status}", "de bot draait, maar de database antwoordt niet: zie het logboek"
        )
    return fine(f"{url} antwoordt")
