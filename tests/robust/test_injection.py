"""Mrkdwn and mention injection: a user's text is shown escaped, so it pings nobody and links nowhere."""

from __future__ import annotations

import json
import re

import pytest

from tests.slackclient import SlackSender

INJECTIONS = [
    "<!channel>",
    "<!here|iedereen>",
    "<@U0ADMIN0001>",
    "<#C0GENERAL01>",
    "<https://evil.example|klik hier>",
    "<!subteam^S0123>",
    "&lt;!channel&gt;",
]
# A live Slack control sequence: "<" then !, @, # or a URL scheme, unescaped.
LIVE = re.compile(r"<(?:!|@|#|https?:|mailto:)")


def live_controls(message: dict[str, object]) -> list[str]:
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return [m for text in texts for m in LIVE.findall(text)]


@pytest.mark.parametrize("template", ["volgende {}", "{}", "kalender {}", "help {}"])
def test_command_echoes_are_escaped(slack: SlackSender, template: str) -> None:
    """Whatever `/ivb` echoes back of the user's words carries no live mention, channel ping or link."""
    # The bot's own mentions (the secretariaat) may appear; nothing more than in a harmless request.
    allowed = len(live_controls(slack.command(template.format("gewoon")).json()))
    for attack in INJECTIONS:
        body = slack.command(template.format(attack)).json()
        assert len(live_controls(body)) <= allowed, (attack, json.dumps(body)[:500])
