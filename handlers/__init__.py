"""Slack listeners, one module per surface; `register_all` wires them into an App once."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import actions, commands, conversation, shortcuts
from handlers.commands import VerbHandler


def register_all(app: App, deps: Deps) -> None:
    verbs: dict[str, VerbHandler] = {}
    verbs.update(commands.calendar_verbs())
    verbs.update(commands.proposal_verbs())
    commands.register(app, deps, verbs)
    conversation.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
