"""Plain values out of Slack's interaction payloads (who clicked, what, where, the form's fields)."""

from __future__ import annotations

import hashlib
from typing import Any

from slack_bolt.request import BoltRequest

from bot.blocks.kit import Reply
from bot.runtime.followups import DirectMessage, Ephemeral, Followup, Respond
from bot.services.errors import Refused
from bot.text.slack import clean_user_text

BAD_BUTTON = "Deze knop klopt niet (meer). Vraag het overzicht opnieuw op."


def delivery_id(request: BoltRequest) -> str:
    """This delivery's identity: the same signed request sent again (a replay, within Slack's five
    minutes) has the same one. "" in Socket Mode, where Slack delivers each envelope once."""
    headers = request.headers
    signature = (headers.get("x-slack-signature") or [""])[0]
    if not signature:
        return ""
    timestamp = (headers.get("x-slack-request-timestamp") or [""])[0]
    return "req:" + hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()[:40]


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def action_of(body: dict[str, Any]) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    return action if isinstance(action, dict) else {}


def action_value(body: dict[str, Any]) -> str:
    """A button's value, or the value of the option chosen in a select."""
    action = action_of(body)
    selected = action.get("selected_option") or {}
    return str(action.get("value") or selected.get("value") or "")


def button_ids(value: str) -> tuple[int, int | None, str]:
    """A button's value `12`, `12:34` (item:meeting) or `12 reden…` -> (item, meeting, rest); a forged
    or broken value is refused."""
    head, _, rest = value.strip().partition(" ")
    item, _, meeting = head.partition(":")
    try:
        return int(item), int(meeting) if meeting else None, rest.strip()
    except ValueError:
        raise Refused(BAD_BUTTON) from None


def shown_state(value: str) -> tuple[str, str]:
    """`12:34~ingediend reden` -> (`12:34 reden`, "ingediend"): the state the button showed, if any."""
    head, space, rest = value.strip().partition(" ")
    head, _, state = head.partition("~")
    return head + space + rest, state


def clicked_message(body: dict[str, Any]) -> tuple[str, str]:
    """(channel, ts) of the message whose button was clicked; ("", "") on the Home tab or in the shell."""
    container = body.get("container") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    ts = str(container.get("message_ts") or "")
    return channel, "" if ts == "0" else ts  # the offline shell's clicks come from no real message


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """Every input of a submitted view as block_id -> text, chosen option, user or date; ticked
    checkboxes as their values joined by commas. Text is made storable (`clean_user_text`)."""
    out: dict[str, str] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        for element in inputs.values():
            selected = element.get("selected_option") or {}
            ticked = ",".join(str(o.get("value", "")) for o in element.get("selected_options") or [])
            out[block_id] = clean_user_text(
                str(
                    element.get("value")
                    or selected.get("value")
                    or element.get("selected_user")
                    or element.get("selected_date")
                    or ticked
                    or ""
                )
            )
    return out


def in_place(body: dict[str, Any], user_id: str, reply: Reply) -> Followup:
    """A "Meer" click's answer through its response_url (replacing the message); else a new message."""
    if body.get("response_url"):
        return Respond(str(body["response_url"]), reply, replace_original=True)
    channel = str((body.get("channel") or {}).get("id", ""))
    return Ephemeral(channel, user_id, reply) if channel else DirectMessage(user_id, reply)
