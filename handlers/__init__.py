"""Slack listeners, one module per surface; `register_all` wires them into an App once."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import action_points, actions, commands, conversation, home, open_items, shortcuts
from handlers.commands import VerbHandler


def register_all(app: App, deps: Deps) -> None:
    verbs: dict[str, VerbHandler] = {}
    verbs.update(commands.calendar_verbs())
    verbs.update(commands.proposal_verbs())
    verbs.update(open_items.open_verbs())
    commands.register(app, deps, verbs)
    conversation.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
    open_items.register(app, deps)
    action_points.register(app, deps)
    home.register(app, deps)
