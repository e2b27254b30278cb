"""`/ivb kalender abonneren|intrekken`: a private calendar-feed link, shown only to its owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import feed
from bot.blocks import Reply
from bot.blocks_feed import build_feed_revoked, build_feed_subscribed

if TYPE_CHECKING:
    from handlers.commands import CommandContext

SUBSCRIBE_WORDS = frozenset({"abonneren", "abonneer", "abonnement", "subscribe", "feed", "link"})
REVOKE_WORDS = frozenset({"intrekken", "trek in", "stop", "revoke", "unsubscribe"})


def feed_subcommand(ctx: CommandContext) -> Reply | None:
    """The reply for a feed word after `kalender`, or None when the text is something else."""
    word = ctx.text.strip().lower()
    deps = ctx.deps
    now = deps.clock.now()
    if word in SUBSCRIBE_WORDS:
        with deps.sessions.begin() as session:
            had = feed.revoke_feed_tokens(session=session, user_id=ctx.user_id, now=now)
            token = feed.create_feed_token(session=session, user_id=ctx.user_id, now=now)
        return build_feed_subscribed(feed.feed_url(deps.settings.public_url, token), revoked_earlier=had > 0)
    if word in REVOKE_WORDS:
        with deps.sessions.begin() as session:
            count = feed.revoke_feed_tokens(session=session, user_id=ctx.user_id, now=now)
        return build_feed_revoked(count)
    return None
