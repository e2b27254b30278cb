"""Web API work that follows an answer: posts, DMs, review posts, forms. The one ack-then-work mechanism.

A listener answers Slack inside the acknowledgement and hands what must reach Slack afterwards to
`deps.followups` as typed items:
- `after_commit(session, *items)`: what announces a database change (a review post, a DM about a
  decision). The items are written to the outbox in the listener's own transaction, so they exist if
  and only if the change does; any process delivers them, once (bot/runtime/outbox.py).
- `now(*items)`: what belongs to the request itself and is worthless later (a form to open with a
  trigger that expires in 3 s, a refusal that changed nothing). Not stored; sent right away.
`Respond` answers through a `response_url` (replacing the clicked message in place). Composite kinds
(a review post, the Home tab, a dialogue's summary) are carried out by performers the handlers
register (handlers/__init__.py).
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.blocks.kit import Reply
from bot.runtime.posting import Poster, ResponseUrlError
from storage.models import OutboxMessage

if TYPE_CHECKING:
    from bot.runtime.deps import Deps
    from bot.runtime.outbox import Outbox

logger = logging.getLogger(__name__)

_HOOKED = "vggbot_outbox_hooked"
RESPOND_TIMEOUT = 10
# An answer that is not stored (a refusal, "tijdelijk niet beschikbaar", a form to open) gets this long
# to reach Slack before the acknowledgement leaves. A process killed after its acknowledgement then
# cannot have swallowed the answer; killed before, Slack shows the user its own error. A slow Slack
# delays the acknowledgement by at most this, and the answer still follows.
ANSWER_WAIT_SECONDS = 0.5


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
    """Show a proposal as it is now on every one of its review posts."""

    proposal_id: int


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
Performer = Callable[["Deps", Poster, Any], None]

# The kinds that may wait in the outbox, by the name stored with them.
STORED_KINDS: dict[str, type] = {
    "post": PostMessage,
    "update": UpdateMessage,
    "dm": DirectMessage,
    "ephemeral": Ephemeral,
    "review": SendReview,
    "review_update": UpdateReview,
    "home": PublishHome,
    "respond": Respond,
    "summary": PostSummary,
}
_KIND_NAMES = {cls: name for name, cls in STORED_KINDS.items()}


def dump(item: Followup) -> tuple[str, dict[str, Any]]:
    """(kind, payload) to store; a kind that cannot wait (a form to open) is refused."""
    kind = _KIND_NAMES.get(type(item))
    if kind is None:
        raise TypeError(f"{type(item).__name__} cannot wait in the outbox; use followups.now")
    return kind, dataclasses.asdict(item)


def load(kind: str, payload: dict[str, Any]) -> Followup:
    values = dict(payload)
    if isinstance(values.get("reply"), dict):
        values["reply"] = Reply(**values["reply"])
    item: Followup = STORED_KINDS[kind](**values)
    return item


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
        raise ResponseUrlError(answer.status_code, str(answer.body or "")[:100])


class Followups:
    """One per process: stores follow-ups in the outbox, runs `now` items and outbox deliveries on
    `executor` (a thread pool; the offline shell runs them after it printed the answer)."""

    def __init__(
        self,
        deps: Deps,
        client: WebClient,
        *,
        executor: Executor | None = None,
        performers: Mapping[type, Performer] | None = None,
    ) -> None:
        from bot.runtime.outbox import Outbox  # noqa: PLC0415 - outbox needs this module's kinds

        self._deps = deps
        self.client = client
        owned = executor is None
        self._executor = executor or ThreadPoolExecutor(max_workers=4, thread_name_prefix="followups")
        # In a served process answers have threads of their own (never queued behind outbox deliveries)
        # and are waited for; a given executor (the shell, tests) decides itself when things run.
        self._answers = (
            ThreadPoolExecutor(max_workers=8, thread_name_prefix="answers") if owned else self._executor
        )
        self._answer_wait = ANSWER_WAIT_SECONDS if owned else 0.0
        self._performers = dict(performers or {})
        self.outbox: Outbox = Outbox(deps, client, self.perform)

    def now(self, *items: Followup) -> None:
        """Send `items` now, waiting up to ANSWER_WAIT_SECONDS for them (in a served process)."""
        if items:
            sent = self._answers.submit(self._run_now, list(items))
            if self._answer_wait:
                wait([sent], timeout=self._answer_wait)

    def after_commit(self, session: Session, *items: Followup) -> None:
        """Store `items` in `session`'s transaction; once it commits, any process may deliver them."""
        now = self._deps.clock.now()
        for item in items:
            kind, payload = dump(item)
            session.add(OutboxMessage(kind=kind, payload=payload, created_at=now, not_before=now))
        if not session.info.get(_HOOKED):
            session.info[_HOOKED] = True
            event.listen(session, "after_commit", self._committed)

    def _committed(self, _session: Session) -> None:
        self._executor.submit(self.deliver_due)

    def deliver_due(self) -> int:
        """Deliver what is due in the outbox now (after a commit, and on every poll). Never raises."""
        try:
            return self.outbox.deliver_due()
        except Exception:
            logger.exception("delivering the outbox failed; the next poll tries again")
            return 0

    def shutdown(self) -> None:
        """Finish what was handed over (on SIGTERM); what was not started waits in the outbox."""
        self._answers.shutdown(wait=True)
        self._executor.shutdown(wait=True)

    def _run_now(self, items: list[Followup]) -> None:
        for item in items:
            try:
                self.perform(item, Poster(self.client, key=f"now:{uuid.uuid4().hex}"))
            except Exception:
                logger.warning("could not send %s", type(item).__name__, exc_info=True)

    def perform(self, item: Followup, poster: Poster) -> None:
        """Carry out one item; raises when Slack (or the network) fails, so the outbox can retry."""
        client = self.client
        if isinstance(item, PostMessage):
            poster.post(item.channel, item.reply, thread_ts=item.thread_ts)
        elif isinstance(item, DirectMessage):
            poster.post(open_dm(client, item.user_id), item.reply)
        elif isinstance(item, UpdateMessage):
            client.chat_update(channel=item.channel, ts=item.ts, **item.reply.as_message())
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
            self._performers[type(item)](self._deps, poster, item)
