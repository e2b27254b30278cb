"""What a `/ivb` verb gets: the plain values of the request; and the shape of a question's answerer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.text.intents import Intent

if TYPE_CHECKING:
    from bot.blocks.kit import Reply
    from bot.runtime.deps import Deps


@dataclass(frozen=True)
class Command:
    user_id: str
    channel_id: str
    text: str  # what follows the verb
    trigger_id: str
    client: WebClient  # for the few verbs that must ask Slack inside the acknowledgement
    delivery: str = ""  # handlers.payload.delivery_id: a replayed request has the same one
    # The overleg whose own channel this is (OVERLEG_CHANNELS): what a verb without an overleg means here.
    channel_overleg: str = ""


# A question in words answered as the matching `/ivb` command would (handlers.ivb.answer_question);
# handed to the DM and mention listener at registration, so no listener imports another.
QuestionAnswerer = Callable[["Deps", Intent, Command], "Reply"]


def channel_overleg(deps: Deps, channel_id: str) -> str:
    """The key of the overleg whose own channel this is (OVERLEG_CHANNELS), or ""."""
    channels = deps.settings.overleg_channels
    return next((key for key, channel in channels.items() if channel and channel == channel_id), "")
