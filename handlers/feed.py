"""`/ivb kalender abonneren|intrekken`: a private calendar-feed link, shown only to its owner."""

from __future__ import annotations

from bot.blocks.feed import build_feed_revoked, build_feed_subscribed
from bot.blocks.kit import ALREADY_DONE, Reply, simple
from bot.runtime.deps import Deps
from bot.services import feed_tokens
from bot.services.deliveries import first_delivery
from handlers.command import Command


def subscribe(deps: Deps, command: Command) -> Reply:
    """A new personal link (the previous one stops working)."""
    with deps.sessions.begin() as session:
        if not first_delivery(session=session, event_id=command.delivery, now=deps.clock.now()):
            return simple(ALREADY_DONE)
        had = feed_tokens.revoke_feed_tokens(session=session, user_id=command.user_id, now=deps.clock.now())
        token = feed_tokens.create_feed_token(session=session, user_id=command.user_id, now=deps.clock.now())
    url = feed_tokens.feed_url(deps.settings.public_url, token)
    return build_feed_subscribed(url, revoked_earlier=had > 0)


def revoke(deps: Deps, command: Command) -> Reply:
    with deps.sessions.begin() as session:
        count = feed_tokens.revoke_feed_tokens(session=session, user_id=command.user_id, now=deps.clock.now())
    return build_feed_revoked(count)
