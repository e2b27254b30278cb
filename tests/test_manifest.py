import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.runtime.doctor_checks import REQUIRED_SCOPES

ROOT = Path(__file__).resolve().parent.parent
# Slack's schema is vendored with its MIT licence (tests/data/slack/README.md), so this runs anywhere.
SLACK_DATA = Path(__file__).resolve().parent / "data" / "slack"
SCHEMA = SLACK_DATA / "manifest.schema.1.0.0.json"
SOCKET_MANIFEST = ROOT / "manifest.yml"
HTTP_MANIFEST = ROOT / "manifest.http.yml"
EVENTS_URL = "https://vggbot.example.nl/slack/events"


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("manifest", [SOCKET_MANIFEST, HTTP_MANIFEST], ids=lambda p: p.name)
def test_manifest_is_valid_against_slacks_schema(manifest: Path) -> None:
    """Both manifests validate against Slack's published app-manifest schema."""
    jsonschema.validate(_load(manifest), json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_vendored_schema_carries_its_licence() -> None:
    """The vendored schema sits beside Slack's MIT licence, as the licence requires."""
    licence = (SLACK_DATA / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) Slack Technologies, LLC" in licence


@pytest.mark.parametrize("manifest", [SOCKET_MANIFEST, HTTP_MANIFEST], ids=lambda p: p.name)
def test_manifest_declares_what_the_bot_listens_to(manifest: Path) -> None:
    """The slash command, shortcut and events the handlers use are in both manifests."""
    data = _load(manifest)
    assert [c["command"] for c in data["features"]["slash_commands"]] == ["/ivb"]
    assert data["features"]["shortcuts"][0]["callback_id"] == "agendeer_bericht"
    assert {"app_home_opened", "app_mention", "message.im"} <= set(
        data["settings"]["event_subscriptions"]["bot_events"]
    )


@pytest.mark.parametrize("manifest", [SOCKET_MANIFEST, HTTP_MANIFEST], ids=lambda p: p.name)
def test_manifest_asks_for_the_history_and_user_scopes(manifest: Path) -> None:
    """Both manifests ask for channel history (look before posting again) and users:read."""
    scopes = set(_load(manifest)["oauth_config"]["scopes"]["bot"])
    assert {"channels:history", "groups:history", "users:read"} <= scopes


def test_socket_manifest_needs_no_public_url() -> None:
    """manifest.yml is Socket Mode and names no request URL anywhere."""
    data = _load(SOCKET_MANIFEST)
    assert data["settings"]["socket_mode_enabled"] is True
    assert "http" not in json.dumps(data["settings"])
    assert all("url" not in command for command in data["features"]["slash_commands"])


def test_http_manifest_sends_everything_to_slack_events() -> None:
    """manifest.http.yml turns Socket Mode off and points all four URL fields at /slack/events."""
    data = _load(HTTP_MANIFEST)
    settings = data["settings"]
    assert settings["socket_mode_enabled"] is False
    assert [c["url"] for c in data["features"]["slash_commands"]] == [EVENTS_URL]
    assert settings["event_subscriptions"]["request_url"] == EVENTS_URL
    assert settings["interactivity"]["request_url"] == EVENTS_URL
    assert settings["interactivity"]["message_menu_options_url"] == EVENTS_URL


def test_manifests_differ_only_in_the_http_mode_fields() -> None:
    """Without its URLs and with Socket Mode on, manifest.http.yml is exactly manifest.yml."""
    http = copy.deepcopy(_load(HTTP_MANIFEST))
    for command in http["features"]["slash_commands"]:
        del command["url"]
    del http["settings"]["event_subscriptions"]["request_url"]
    del http["settings"]["interactivity"]["request_url"]
    del http["settings"]["interactivity"]["message_menu_options_url"]
    http["settings"]["socket_mode_enabled"] = True
    assert http == _load(SOCKET_MANIFEST)


@pytest.mark.parametrize("manifest", [SOCKET_MANIFEST, HTTP_MANIFEST], ids=lambda p: p.name)
def test_doctor_checks_exactly_the_scopes_the_manifest_asks_for(manifest: Path) -> None:
    """`vggbot doctor` ships the manifest's scope list (the installed package has no manifest.yml)."""
    scopes = _load(manifest)["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == sorted(REQUIRED_SCOPES)
