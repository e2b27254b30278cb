"""What a `/ivb` verb gets: the plain values of the request."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient


@dataclass(frozen=True)
class Command:
    user_id: str
    channel_id: str
    text: str  # what follows the verb
    trigger_id: str
    client: WebClient  # for the few verbs that must ask Slack inside the acknowledgement
    delivery: str = ""  # handlers.payload.delivery_id: a replayed request has the same one
