"""Web API work that follows an answer: posts, DMs, review posts, forms. The one ack-then-work mechanism.

A listener answers Slack inside the acknowledgement and hands what must reach Slack afterwards to
`deps.followups` as typed items:
- `after_commit(session, *items)`: for what announces a database change (a review post, a DM about a
  decision). The items run only once the listener's transaction has committed, and never after a
  rollback.
- `now(*items)`: for what belongs to the request itself (opening a form with its short-lived trigger).
Items run in order on a worker (the shell runs them after it printed the answer); each stands alone:
one failing is logged and the others still run. `Respond` answers through a `response_url` (replacing
the clicked message in place). Composite kinds (a review post, the Home tab, a dialogue's summary) are
carried out by performers that the handlers register (handlers/__init__.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.blocks.kit import Reply

if TYPE_CHECKING:
    from bot.runtime.deps import Deps

logger = logging.getLogger(__name__)

_PENDING = "vggbot_followups"
RESPOND_TIMEOUT = 10
_HOOKED = "vggbot_followups_hooked"


@dataclass(frozen=True)
class PostMessage:
    channel: str
    reply: Reply
    thread_ts: str = ""


@dataclass(frozen=True)
class UpdateMessage:
    channel: str
    ts: str
    reply: Reply


@dataclass(frozen=True)
class DirectMessage:
    user_id: str
    reply: Reply


@dataclass(frozen=True)
class Ephemeral:
    """Only `user_id` sees it, in `channel` (the answer to a click)."""

    channel: str
    user_id: str
    reply: Reply
    thread_ts: str = ""


@dataclass(frozen=True)
class Respond:
    """Answer through a click's or command's `response_url`; `replace_original` swaps the message in
    place (an ephemeral one too, which chat.update cannot reach)."""

    url: str
    reply: Reply
    replace_original: bool = True


@dataclass(frozen=True)
class PostSummary:
    """Post a dialogue's summary (or its question) and remember where, so typing `ja` can close it."""

    channel: str
    reply: Reply
    token: str
    thread_ts: str = ""


@dataclass(frozen=True)
class OpenView:
    trigger_id: str
    view: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class SendReview:
    """Post a new proposal for the secretariaat (REVIEW_CHANNEL, or a DM to each admin)."""

    proposal_id: int


@dataclass(frozen=True)
class UpdateReview:
    """Show a decision on the proposal's review post (and on the message that was clicked)."""

    proposal_id: int
    channel: str = ""
    ts: str = ""


@dataclass(frozen=True)
class PublishHome:
    user_id: str


Followup = (
    PostMessage
    | UpdateMessage
    | DirectMessage
    | Ephemeral
    | Respond
    | OpenView
    | PostSummary
    | SendReview
    | UpdateReview
    | PublishHome
)
Performer = Callable[["Deps", WebClient, Any], None]


def open_dm(client: WebClient, user_id: str) -> str:
    opened = client.conversations_open(users=user_id)
    return str(opened["channel"]["id"])


def respond(item: Respond) -> None:
    """POST the reply to the response_url (Slack keeps one valid for 30 minutes, five uses)."""
    body = {"replace_original": item.replace_original, **item.reply.as_message()}
    if not item.replace_original:
        body["response_type"] = "ephemeral"
    answer = WebhookClient(item.url, timeout=RESPOND_TIMEOUT).send_dict(body)
    if answer.status_code != HTTPStatus.OK:
        logger.warning("response_url answered %s", answer.status_code)


def _perform_basic(client: WebClient, item: Followup) -> bool:
    """Carry out a plain Web API item; False when it is a composite kind."""
    if isinstance(item, PostMessage):
        reply = item.reply
        client.chat_postMessage(
            channel=item.channel, text=reply.text, blocks=reply.blocks, thread_ts=item.thread_ts or None
        )
    elif isinstance(item, UpdateMessage):
        client.chat_update(channel=item.channel, ts=item.ts, **item.reply.as_message())
    elif isinstance(item, DirectMessage):
        client.chat_postMessage(channel=open_dm(client, item.user_id), **item.reply.as_message())
    elif isinstance(item, Ephemeral):
        client.chat_postEphemeral(
            channel=item.channel,
            user=item.user_id,
            thread_ts=item.thread_ts or None,
            **item.reply.as_message(),
        )
    elif isinstance(item, Respond):
        respond(item)
    elif isinstance(item, OpenView):
        client.views_open(trigger_id=item.trigger_id, view=item.view)
    else:
        return False
    return True


class Followups:
    """One per process: runs follow-ups on `executor`, composite kinds through `performers`."""

    def __init__(
        self,
        deps: Deps,
        client: WebClient,
        *,
        executor: Executor | None = None,
        performers: Mapping[type, Performer] | None = None,
    ) -> None:
        self._deps = deps
        self._client = client
        self._executor = executor or ThreadPoolExecutor(max_workers=4, thread_name_prefix="followups")
        self._performers = dict(performers or {})

    def now(self, *items: Followup) -> None:
        if items:
            self._executor.submit(self.run, list(items))

    def after_commit(self, session: Session, *items: Followup) -> None:
        """Run `items` once `session`'s transaction has committed; drop them if it rolls back."""
        if not session.info.get(_HOOKED):
            session.info[_HOOKED] = True
            event.listen(session, "after_commit", self._committed)
            event.listen(session, "after_rollback", _rolled_back)
        session.info.setdefault(_PENDING, []).extend(items)

    def _committed(self, session: Session) -> None:
        self.now(*session.info.pop(_PENDING, []))

    def shutdown(self) -> None:
        """Finish what was handed over (on SIGTERM: nothing that was promised is dropped)."""
        self._executor.shutdown(wait=True)

    def run(self, items: list[Followup]) -> None:
        """Carry out `items` in order; a failure is logged and the next one still runs."""
        for item in items:
            try:
                if not _perform_basic(self._client, item):
                    self._performers[type(item)](self._deps, self._client, item)
            except SlackApiError as exc:
                logger.warning(
                    "could not send %s: Slack answered %s", type(item).__name__, exc.response.get("error")
                )
            except Exception:
                logger.exception("could not send %s", type(item).__name__)


def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
