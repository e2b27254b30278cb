"""`/ivb`: the verb table, in one place, and the one listener that answers in the acknowledgement.

`/ivb VERB REST`: the verb (Dutch or English) picks a function of a surface module; the reply goes
back in Slack's acknowledgement, as a message only the asker sees. A mistyped verb gets "Bedoel je …?"
with the answer; words that are no command are read as a question (`bot.text.intents`) and answered
as the matching command would (`answer_question`, which DMs and mentions use as well).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks.answers import (
    build_deadline_lead,
    build_did_you_mean,
    build_did_you_mean_only,
    build_greeting,
    build_thanks,
    with_lead,
)
from bot.blocks.help import build_help
from bot.blocks.kit import Reply, build_refused
from bot.runtime.deps import Deps
from bot.services import meetings as meeting_service
from bot.services.errors import NotAllowed, Refused
from bot.services.overleggen import overleg_names, read_overleg, read_overleggen
from bot.text.dutch import normalise
from bot.text.intents import COMMAND_FOR_KIND, Intent, read_intent
from bot.text.slack import clean_user_text
from bot.text.suggestions import suggest_verb
from handlers import action_points, feed, meetings, minutes, open_items, proposals
from handlers.command import Command, channel_overleg
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
# Verbs that only read: a mistyped one is answered at once; one that changes something is only asked about.
READING = frozenset({"volgende", "kalender", "agenda", "open", "besluiten", "help"})
# Verbs whose text is an overleg (after `mijn` for open): in an overleg's own channel, none means that one.
SCOPED = frozenset({"volgende", "agenda", "open", "besluiten"})


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


def scoped(verb: str, command: Command) -> Command:
    """In an overleg's own channel a verb that names no overleg means that overleg."""
    key = command.channel_overleg
    if not key or verb not in SCOPED:
        return command
    words = command.text.split()
    if verb == "open" and all(word.lower() in open_items.MINE_WORDS for word in words):
        return replace(command, text=" ".join([*words, key]))
    return command if words else replace(command, text=key)


def run(deps: Deps, verb: str, command: Command, *, overleg_raises: bool = False) -> Reply | None:
    """One verb; a refusal becomes its Dutch sentence (anything else reaches the app's error handler),
    except an unknown overleg when `overleg_raises`: the caller then reads the text as a question."""
    handler = VERBS.get(verb)
    if handler is None:
        return help_reply(deps)
    try:
        return handler(deps, scoped(verb, command))
    except Refused as exc:
        if overleg_raises and exc.field == "overleg":
            raise
        return build_refused(exc)
    except NotAllowed as exc:
        return build_refused(exc)


def respond(deps: Deps, text: str, request: Command) -> Reply | None:
    """The answer to `/ivb TEXT`: the verb's, a typo's with "Bedoel je …?", a question's, or the help."""
    verb, rest, word = parse(text)
    command = replace(request, text=rest)
    if verb in {"", "help"}:
        return help_reply(deps)
    if verb in VERBS:
        try:
            return run(deps, verb, command, overleg_raises=verb in SCOPED)
        except Refused as exc:
            # `/ivb wanneer is de volgende ivb?`: what follows the verb is no overleg but a question.
            return _question(deps, text, command) or build_refused(exc)
    return _typo(deps, word, rest, command) or _question(deps, text, command) or help_reply(deps, word)


def _typo(deps: Deps, word: str, rest: str, command: Command) -> Reply | None:
    """`/ivb volgnde kob`: "Bedoel je `/ivb volgende kob`?" and its answer; None when it is no typo."""
    meant = suggest_verb(word, WORDS)
    if meant is None:
        return None
    typed = " ".join([meant, rest]).strip().replace("`", "'")[:80]
    verb, rest, _ = parse(typed)
    if verb not in READING:
        return build_did_you_mean_only(typed)
    try:
        reply = run(deps, verb, replace(command, text=rest), overleg_raises=True)
    except Refused:
        return None  # `/ivb wanner is de volgende ivb?`: a question after all
    return None if reply is None else build_did_you_mean(typed, reply)


def _question(deps: Deps, text: str, command: Command) -> Reply | None:
    """Words that are no command, read as a question; None when they ask nothing the bot knows."""
    with deps.reads() as session:
        names = overleg_names(read_overleggen(session=session))
    intent = read_intent(text, overleg_names=names)
    if intent.kind == "direct_proposal" and intent.proposal is not None:
        proposal = intent.proposal
        typed = f"{proposal.overleg}: {proposal.title}" if proposal.overleg else proposal.title
        return run(deps, "voorstel", replace(command, text=typed))
    if intent.kind == "propose":
        return run(deps, "voorstel", replace(command, text=""))  # the form
    if intent.kind == "unknown":
        return None
    return answer_question(deps, intent, command)


def answer_question(deps: Deps, intent: Intent, asker: Command) -> Reply:
    """The answer to a question in words: what the matching `/ivb` command answers, the deadline first
    when that is what was asked. Used by `/ivb` and by DMs and mentions alike."""
    if intent.kind == "greeting":
        return build_greeting()
    if intent.kind == "thanks":
        return build_thanks()
    verb = COMMAND_FOR_KIND.get(intent.kind, "help")
    overleg = intent.overleg or asker.channel_overleg
    text = overleg or ""
    if intent.kind == "open":
        text = " ".join(part for part in ("mijn" if intent.mine else "", overleg) if part)
    reply = run(deps, verb, replace(asker, text=text)) or help_reply(deps)
    if intent.kind == "next_meeting" and intent.asks_deadline:
        lead = _deadline_lead(deps, overleg)
        return with_lead(lead, reply) if lead is not None else reply
    return reply


def _deadline_lead(deps: Deps, overleg: str) -> Reply | None:
    now = deps.clock.now()
    with deps.reads() as session:
        try:
            body = read_overleg(session=session, text=overleg)
        except Refused:
            return None
        info = meeting_service.read_next_meeting(session=session, overleg=body, now=now, tz=deps.settings.tz)
    return build_deadline_lead(info, tz=deps.settings.tz, now=now)


def ivb(deps: Deps, ack: Ack, command: dict[str, Any], client: WebClient, request: BoltRequest) -> None:
    channel_id = str(command.get("channel_id", ""))
    asked = Command(
        user_id=str(command.get("user_id", "")),
        channel_id=channel_id,
        text="",
        trigger_id=str(command.get("trigger_id", "")),
        client=client,
        channel_overleg=channel_overleg(deps, channel_id),
        delivery=delivery_id(request),
    )
    reply = respond(deps, clean_user_text(str(command.get("text", ""))), asked)
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
