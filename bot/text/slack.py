"""Slack's text encoding: what users typed, out of Slack's entities; our text, safe for mrkdwn."""

from __future__ import annotations

import html
import re

_SLACK_REF = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]+))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]+))?>")
# A user mention as Slack sends it: `<@U123>` or `<@U123|piet>`.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
# `<@U…>` after escape_mrkdwn: a stored mention (ids only), shown by Slack as the person's current name.
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,20})&gt;")
_LEADING_MENTIONS = re.compile(r"^\s*(?:<@[UW][A-Z0-9]{2,}(?:\|[^>]*)?>\s*)+")
# Half a surrogate pair (`\ud800`) is no text: it cannot be encoded, stored or sent.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_user_text(text: str) -> str:
    """Text as a user sent it, made storable: NULs dropped, lone surrogates replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def plain_text_from_slack(text: str) -> str:
    """What the user typed, from Slack's encoded message text.

    Slack sends `&`, `<`, `>` as entities and mentions as `<@U123|piet>`, channels as `<#C1|naam>`,
    links as `<https://…|tekst>`. Stored text is plain (escaped again only when shown), so entities
    must not be escaped twice. A user mention is kept as `<@U123>`, the id only: no username is stored
    (privacy export and erasure find the id), and Slack shows the person's name when it is displayed.
    """
    text = clean_user_text(text)
    text = _SLACK_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _SLACK_REF.sub(_plain_ref, text)
    return html.unescape(text)


def _plain_ref(match: re.Match[str]) -> str:
    kind, target, label = match.group(1), match.group(2), match.group(3)
    if kind == "@" and _USER_ID.fullmatch(target):
        return f"<@{target}>"
    return ("@" if kind == "!" else kind) + (label or target)


def without_mentions(text: str) -> str:
    """The message without the mentions it starts with (`@VGG-bot agendapunt: …` → `agendapunt: …`),
    as typed; a mention further on (`Nota aan @jan`) stays, as `<@U…>`."""
    return plain_text_from_slack(_LEADING_MENTIONS.sub("", text)).strip()


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences, so user text pings no channel and
    links nowhere; a stored user mention (`<@U…>`, an id) stays a mention, shown as the person's name."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ESCAPED_MENTION.sub(r"<@\1>", escaped)


def escape_sentence(text: str) -> str:
    """`escape_mrkdwn` for a sentence that may already hold escaped parts (`&lt;titel&gt;`): those
    stay as they are, anything raw a user typed into it (`<!channel>`) is escaped."""
    escaped = re.sub(r"&(?!(?:amp|lt|gt);)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _ESCAPED_MENTION.sub(r"<@\1>", escaped)


def mention(user_id: str) -> str:
    """`<@U…>` for a real Slack user id; anything else is shown as (escaped) text."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape_mrkdwn(user_id)


def is_user_id(text: str) -> bool:
    """A Slack user id (`U0123ABCD`, or `W…` on Enterprise Grid)."""
    return bool(_USER_ID.fullmatch(text))
