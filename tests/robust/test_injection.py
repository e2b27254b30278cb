"""Mrkdwn injection: a user's text is shown escaped, so it pings no channel or group and links nowhere.

A person mentioned in it (`<@U…>`, stored as the id since issue 14) is shown by Slack as that person's
current name: a live user mention, exactly what the user could have typed in Slack itself."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from bot.runtime.deps import Deps
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories_open import add_action, add_proposal
from tests.support.slackclient import SlackSender

INJECTIONS = [
    "<!channel>",
    "<!here|iedereen>",
    "<@U0ADMIN0001>",
    "<#C0GENERAL01>",
    "<https://evil.example|klik hier>",
    "<!subteam^S0123>",
    "&lt;!channel&gt;",
]
# A live Slack control sequence other than a plain user mention: "<" then !, #, a URL scheme, or an @
# that is not a well-formed `<@U…>`, unescaped.
LIVE = re.compile(r"<(?:!|#|https?:|mailto:|@(?![UW][A-Z0-9]{2,20}>))")


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


def test_stored_texts_are_escaped_in_open_items(slack: SlackSender, deps: Deps) -> None:
    """Titles and action texts stored with mentions and links show escaped in `/ivb open`, for anyone."""
    created = datetime(2023, 2, 1, 9, 0, tzinfo=AMS)
    with deps.sessions.begin() as s:
        for i, attack in enumerate(INJECTIONS):
            add_proposal(s, "ivb", f"Voorstel {i} {attack}", OFFICIAL, created=created)
            add_action(s, "ivb", f"Actie {i} {attack}", OFFICIAL, created=created)
    for user in (OFFICIAL, ADMIN):
        for text in ("open", "open mijn", "open ivb"):
            body = slack.command(text, user_id=user).json()
            if not (user == ADMIN and text == "open mijn"):  # the secretariaat owns none of them
                assert "Voorstel 0" in json.dumps(body) or "Actie 0" in json.dumps(body), body
            stray = live_controls(body)
            assert stray == [], (user, text, json.dumps(body)[:800])
            assert "<!channel>" not in json.dumps(body), "an injected channel ping went live"


def test_refusals_repeat_typed_words_escaped(slack: SlackSender) -> None:
    """`/ivb actie <!channel> ping @persoon …`: the "unknown overleg" answer repeats the words without a
    live channel ping, also when they were typed as literal text."""
    for typed in ("<!channel> ping", "&lt;!channel&gt; ping"):
        body = slack.command(f"actie {typed} <@U0PIET0001|piet> Nota rondsturen", user_id=ADMIN).json()
        assert "overleg" in json.dumps(body), body
        assert live_controls(body) == [], json.dumps(body)[:500]
