"""Slack listeners, one module per surface; `register_all` wires them into an App once.

Listeners are module-level functions whose first argument is the process's `Deps` (bound at
registration, so no middleware runs per request): they turn a payload into plain values, call a service inside
`with deps.sessions.begin()`, build blocks and reply (the acknowledgement, or `deps.followups`).
`ivb` holds the `/ivb` verb table; a verb is a function `(deps, Command) -> Reply | None` in its
surface's module. `payload` and `command` are helpers, not listeners.
May import: `bot.services`, `bot.blocks`, `bot.text`, `bot.runtime` (deps, follow-ups, answer cache).
A listener module never imports another listener module (only `ivb` imports the verbs it dispatches),
and never queries the database itself.
"""

from __future__ import annotations

from slack_bolt import App

from bot.runtime.deps import Deps
from bot.runtime.followups import Performer, PostSummary, PublishHome, SendReview, UpdateReview
from handlers import (
    action_points,
    confidential,
    dialogue,
    home,
    ivb,
    meetings,
    minutes,
    open_items,
    proposals,
    review,
)

# What the composite follow-ups do, after the acknowledgement.
PERFORMERS: dict[type, Performer] = {
    SendReview: review.send_review,
    UpdateReview: review.update_review,
    PublishHome: home.publish_home,
    PostSummary: dialogue.post_summary,
}


def register_all(app: App, deps: Deps) -> None:
    """Every listener, with the process's dependencies bound to it (`functools.partial`)."""
    for surface in (ivb, meetings, proposals, review, confidential, open_items, action_points, home, minutes):
        surface.register(app, deps)
    # Questions in a DM or mention get what `/ivb` answers: the answerer is handed over, not imported.
    dialogue.register(app, deps, answer=ivb.answer_question)
