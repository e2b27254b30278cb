import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


def test_manifest_is_valid_against_slacks_schema() -> None:
    """manifest.yml validates against Slack's published app-manifest schema."""
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema is not beside the checkout ({SCHEMA})")
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_manifest_declares_what_the_bot_listens_to() -> None:
    """The slash command, shortcut and events the handlers use are in the manifest."""
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/ivb"]
    assert manifest["features"]["shortcuts"][0]["callback_id"] == "agendeer_bericht"
    assert {"app_home_opened", "app_mention", "message.im"} <= set(
        manifest["settings"]["event_subscriptions"]["bot_events"]
    )
    assert manifest["settings"]["socket_mode_enabled"] is True
