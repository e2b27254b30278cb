"""`/ivb`: the verb table, in one place, and the one listener that answers in the acknowledgement.

`/ivb <verb> <rest>`: the verb (Dutch or English) picks a function of a surface module; the reply goes
back in Slack's acknowledgement, as a message only the asker sees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks.help import build_help
from bot.blocks.kit import Reply, build_refused
from bot.runtime.deps import Deps
from bot.services.errors import NotAllowed, Refused
from bot.services.overleggen import read_overleggen
from bot.text.dutch import normalise
from handlers import action_points, feed, meetings, minutes, open_items, proposals
from handlers.command import Command
from handlers.payload import delivery_id

logger = logging.getLogger(__name__)

Verb = Callable[[Deps, Command], Reply | None]

# Every word a user may type, mapped to the verb it means.
WORDS = {
    "volgende": "volgende",
    "next": "volgende",
    "wanneer": "volgende",
    "agenda": "agenda",
    "voorstel": "voorstel",
    "voorstellen": "voorstel",
    "propose": "voorstel",
    "proposal": "voorstel",
    "open": "open",
    "openstaand": "open",
    "kalender": "kalender",
    "calendar": "kalender",
    "actie": "actie",
    "actiepunt": "actie",
    "action": "actie",
    "besluiten": "besluiten",
    "besluitenlijst": "besluiten",
    "besluit": "besluiten",
    "decisions": "besluiten",
    "minutes": "besluiten",
    "help": "help",
    "hulp": "help",
    "?": "help",
}
# `/ivb kalender abonneren` and `/ivb kalender intrekken`: the feed link.
SUBSCRIBE_WORDS = frozenset({"abonneren", "abonneer", "abonnement", "subscribe", "feed", "link"})
REVOKE_WORDS = frozenset({"intrekken", "trek in", "stop", "revoke", "unsubscribe"})

VERBS: dict[str, Verb] = {
    "volgende": meetings.next_meeting,
    "kalender": meetings.calendar,
    "kalender abonneren": feed.subscribe,
    "kalender intrekken": feed.revoke,
    "agenda": proposals.agenda,
    "voorstel": proposals.propose,
    "open": open_items.open_items,
    "actie": action_points.create,
    "besluiten": minutes.besluiten,
}


def parse(text: str) -> tuple[str, str, str]:
    """`/ivb` text → (verb, rest, the word as typed); verb "" for nothing typed, "?" for an unknown word."""
    cleaned = text.replace("\x00", "").strip()
    if not cleaned:
        return "", "", ""
    word, _, rest = cleaned.partition(" ")
    verb = WORDS.get(word.lower().rstrip(":"), "?")
    rest = rest.strip()
    if verb == "kalender" and normalise(rest) in SUBSCRIBE_WORDS | REVOKE_WORDS:
        verb = "kalender abonneren" if normalise(rest) in SUBSCRIBE_WORDS else "kalender intrekken"
    return verb, rest, word


def help_reply(deps: Deps, unknown: str = "") -> Reply:
    with deps.reads() as session:
        return build_help(read_overleggen(session=session), unknown=unknown)


def answer(deps: Deps, verb: str, word: str, command: Command) -> Reply | None:
    """Run one verb; a refusal becomes its Dutch sentence (anything else reaches the app's error handler)."""
    handler = VERBS.get(verb)
    if handler is None:
        return help_reply(deps, unknown="" if verb in {"", "help"} else word)
    try:
        return handler(deps, command)
    except (Refused, NotAllowed) as exc:
        return build_refused(exc)


def ivb(deps: Deps, ack: Ack, command: dict[str, Any], client: WebClient, request: BoltRequest) -> None:
    verb, rest, word = parse(str(command.get("text", "")))
    plain = Command(
        user_id=str(command.get("user_id", "")),
        channel_id=str(command.get("channel_id", "")),
        text=rest,
        trigger_id=str(command.get("trigger_id", "")),
        client=client,
        delivery=delivery_id(request),
    )
    reply = answer(deps, verb, word, plain)
    if reply is None:
        ack()
    else:
        ack(response_type="ephemeral", **reply.as_message())


def opened_link(ack: Ack) -> None:
    """A link button (join the online meeting): Slack opens the link and tells us; nothing to do."""
    ack()


def register(app: App, deps: Deps) -> None:
    app.command("/ivb")(partial(ivb, deps))
    app.action(ids.JOIN_MEETING)(opened_link)
