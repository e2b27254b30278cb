"""Message shortcut `agendeer_bericht`: turn any message into a proposal via the pre-filled form."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import proposals
from bot.deps import Deps
from bot.formatting import plain_text_from_slack
from handlers.actions import new_proposal_view

logger = logging.getLogger(__name__)

SHORTCUT = "agendeer_bericht"


def register(app: App, deps: Deps) -> None:
    def ack_shortcut(ack: Ack) -> None:
        ack()

    def open_prefilled(body: dict[str, Any], client: WebClient) -> None:
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
        ts = str(message.get("ts") or body.get("message_ts") or "")
        text = plain_text_from_slack(str(message.get("text") or "").replace("\x00", "")).strip()
        first_line = text.split("\n", 1)[0].strip()
        with deps.sessions.begin() as session:
            earlier = proposals.proposals_from_source(session=session, channel=channel, ts=ts)
        permalink = ""
        try:
            permalink = str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "")
        except SlackApiError as exc:
            logger.warning("no permalink for a shortcut message: %s", exc.response.get("error"))
        view = new_proposal_view(
            deps,
            title=first_line[: proposals.TITLE_LIMIT],
            explanation=text[: proposals.EXPLANATION_LIMIT],
            metadata={"channel": channel, "ts": ts, "permalink": permalink},
            duplicate_of=[p.id for p in earlier] or None,
        )
        client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)

    app.shortcut(SHORTCUT)(ack=ack_shortcut, lazy=[open_prefilled])
