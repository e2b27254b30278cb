"""Block Kit as readable terminal text, for the offline shell."""

from __future__ import annotations

import re
from typing import Any

from bot.text.slack import plain_text_from_slack

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def readable(text: str) -> str:
    """Slack text as a terminal shows it: entities decoded, a mention as `@U…` (Slack shows the name)."""
    return _MENTION.sub(r"@\1", plain_text_from_slack(text))


def _element_text(element: dict[str, Any]) -> str:
    text = element.get("text")
    if isinstance(text, dict):
        return readable(str(text.get("text", "")))
    if isinstance(text, str):
        return readable(text)
    return ""


def _actions_lines(block: dict[str, Any]) -> list[str]:
    """Buttons on one line, then each option of a select: every one with the `klik` that chooses it."""
    elements = block.get("elements", [])
    buttons = [
        f"[{_element_text(e)}] (klik {e.get('action_id')} {e.get('value', '')})".rstrip()
        for e in elements
        if e.get("type") == "button"
    ]
    lines = ["  " + "  ".join(buttons)] if buttons else []
    for select in elements:
        if select.get("type") == "static_select":
            label = readable(str((select.get("placeholder") or {}).get("text", "Kies")))
            for option in select.get("options", []):
                text = readable(str(option["text"]["text"]))
                lines.append(f"  {label} {text} (klik {select.get('action_id')} {option.get('value', '')})")
    return lines


def _section_lines(block: dict[str, Any]) -> list[str]:
    lines = [_element_text(block)]
    lines += ["  " + readable(str(field.get("text", ""))) for field in block.get("fields", []) or []]
    accessory = block.get("accessory")
    if accessory and accessory.get("type") == "button":
        lines.append(
            f"  [{_element_text(accessory)}] (klik {accessory.get('action_id')} {accessory.get('value', '')})"
        )
    return lines


def _block_lines(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [f"== {_element_text(block)} =="]
    if kind == "section":
        return _section_lines(block)
    if kind == "context":
        return ["  " + " ".join(_element_text(e) for e in block.get("elements", []))]
    if kind == "divider":
        return ["-" * 40]
    if kind == "actions":
        return _actions_lines(block)
    if kind == "input":
        return [f"  {_element_text({'text': block.get('label', {})})}: ____"]
    return [_element_text(block)]


def render_blocks(blocks: list[dict[str, Any]], fallback: str = "") -> str:
    """One block after the other; buttons as [label] with their action id so the shell can click them."""
    if not blocks:
        return readable(fallback)
    return "\n".join(line.rstrip() for block in blocks for line in _block_lines(block))
