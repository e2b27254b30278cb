"""Slack's text encoding: what users typed, out of Slack's entities; our text, safe for mrkdwn."""

from __future__ import annotations

import html
import re

_SLACK_REF = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]+))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]+))?>")
# A user mention as Slack sends it: `<@U123>` or `<@U123|piet>`.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


def plain_text_from_slack(text: str) -> str:
    """What the user typed, from Slack's encoded message text.

    Slack sends `&`, `<`, `>` as entities and mentions as `<@U123|piet>`, channels as `<#C1|naam>`,
    links as `<https://…|tekst>`. Stored text is plain (escaped again only when shown), so entities
    must not be escaped twice and mentions read as `@piet`.
    """
    text = _SLACK_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _SLACK_REF.sub(
        lambda m: ("@" if m.group(1) == "!" else m.group(1)) + (m.group(3) or m.group(2)), text
    )
    return html.unescape(text)


def without_mentions(text: str) -> str:
    """The message without user mentions (`@VGG-bot agendapunt: …` → `agendapunt: …`), as typed."""
    return plain_text_from_slack(USER_MENTION.sub(" ", text.replace("\x00", ""))).strip()


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences, so user text pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    """`<@U…>` for a real Slack user id; anything else is shown as (escaped) text."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape_mrkdwn(user_id)


def is_user_id(text: str) -> bool:
    """A Slack user id (`U0123ABCD`, or `W…` on Enterprise Grid)."""
    return bool(_USER_ID.fullmatch(text))
