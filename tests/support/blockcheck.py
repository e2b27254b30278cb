"""Validates Block Kit payloads with slack_sdk.models, the way Slack would reject them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def assert_valid_blocks(blocks: list[dict[str, Any]], *, limit: int = 50) -> None:
    assert len(blocks) <= limit, f"{len(blocks)} blocks, Slack allows {limit}"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block {raw.get('type')}"
        block.validate_json()  # raises SlackObjectFormationError past Slack's limits
        if raw.get("type") == "section" and "text" in raw:
            assert len(raw["text"]["text"]) <= 3000
        if raw.get("type") == "header":
            assert len(raw["text"]["text"]) <= 150


def assert_valid_message(message: dict[str, Any]) -> None:
    assert message.get("text"), "every message needs fallback text"
    assert_valid_blocks(message.get("blocks") or [])


def assert_valid_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    assert_valid_blocks(view.get("blocks") or [], limit=100)
