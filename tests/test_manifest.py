import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Slack's schema is vendored with its MIT licence (tests/data/slack/README.md), so this runs anywhere.
SLACK_DATA = Path(__file__).resolve().parent / "data" / "slack"
SCHEMA = SLACK_DATA / "manifest.schema.1.0.0.json"


def test_manifest_is_valid_against_slacks_schema() -> None:
    """manifest.yml validates against Slack's published app-manifest schema."""
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_vendored_schema_carries_its_licence() -> None:
    """The vendored schema sits beside Slack's MIT licence, as the licence requires."""
    licence = (SLACK_DATA / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) Slack Technologies, LLC" in licence


def test_manifest_declares_what_the_bot_listens_to() -> None:
    """The slash command, shortcut and events the handlers use are in the manifest."""
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/ivb"]
    assert manifest["features"]["shortcuts"][0]["callback_id"] == "agendeer_bericht"
    assert {"app_home_opened", "app_mention", "message.im"} <= set(
        manifest["settings"]["event_subscriptions"]["bot_events"]
    )
    assert manifest["settings"]["socket_mode_enabled"] is True
