"""create_app: builds the Bolt App with every listener. Nothing here runs at import."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Executor
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.blocks.kit import Reply, build_error, build_not_processed, build_unavailable, build_uncertain
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, Ephemeral, Followup, Followups, PostMessage
from bot.runtime.metrics import metrics, request_labels
from bot.runtime.slack_client import make_posting_client, make_web_client
from handlers import PERFORMERS, register_all
from storage.db import CommitOutcomeUnknown

logger = logging.getLogger(__name__)

OFFLINE_TOKEN = "xoxb-offline"  # noqa: S105 - a placeholder, never sent anywhere
OFFLINE_SECRET = "offline-signing-secret"  # noqa: S105 - the shell dispatches without signatures


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


_QUIET_TOKEN_WARNING = _QuietTokenWarning()  # one instance, so adding it again is a no-op


class MeasuredApp(App):
    """The App, timing every request from dispatch to acknowledgement (`vggbot_request_seconds`).

    With process_before_response the listener has run when `dispatch` returns, so this is the time
    Slack waits for its acknowledgement, in HTTP mode and in Socket Mode alike.
    """

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        try:
            return super().dispatch(req)
        finally:
            metrics().observe_request(*request_labels(req.body), time.perf_counter() - started)


def new_bolt_app(
    *,
    client: WebClient,
    signing_secret: str,
    logger: logging.Logger,
    listener_executor: Executor | None = None,
    app_class: type[App] = App,
) -> App:
    """A Bolt App with VGG-bot's settings and no listeners; the benchmark's bare app is built with it
    too, so the two differ only in their listeners (and the bot's measuring of each request)."""
    return app_class(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
        ssl_check_enabled=True,
        url_verification_enabled=True,
        request_verification_enabled=True,
        logger=logger,
        listener_executor=listener_executor,
    )


def create_app(
    deps: Deps, *, client: WebClient | None = None, listener_executor: Executor | None = None
) -> App:
    """The Bolt App, answering in the acknowledgement (process_before_response) for speed.

    Web API work after the acknowledgement runs on `listener_executor` (a thread pool by default; the
    offline shell passes one that runs after it printed the answer): `deps.followups`.
    """
    settings = deps.settings
    if client is None:
        client = make_web_client(settings)
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else OFFLINE_SECRET
    )
    bolt_logger = logging.getLogger("vggbot.bolt")
    bolt_logger.addFilter(_QUIET_TOKEN_WARNING)
    app = new_bolt_app(client=client, signing_secret=secret, logger=bolt_logger, app_class=MeasuredApp)
    posting = make_posting_client(settings)
    deps.followups = Followups(deps, posting, executor=listener_executor, performers=PERFORMERS)

    app.error(partial(answer_failure, deps))
    register_all(app, deps)
    return app


def answer_failure(deps: Deps, error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Any listener that fails: the official hears that it did not work and to try again; the log gets
    the traceback (not the payload, which holds user text)."""
    kind = str(body.get("type") or ("command" if "command" in body else "?"))
    database = isinstance(error, SQLAlchemyError)
    what = "database error" if database else "unhandled error"
    logger.error("%s in a listener (%s)", what, kind, exc_info=error)
    # Lost during COMMIT: maybe stored, so "nothing was stored, send it again" could make it twice.
    unknown = isinstance(error, CommitOutcomeUnknown)
    reply = build_uncertain() if unknown else build_unavailable() if database else build_error()
    if "command" in body:
        return _json({"response_type": "ephemeral", **reply.as_message()})
    if kind == "view_submission":
        return _json({"response_action": "errors", "errors": _form_errors(body, reply)})
    tell = _tell(body, reply, database=database, unknown=unknown)
    if tell is not None:
        deps.followups.now(tell)
    return BoltResponse(status=200, body="")


def _json(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(payload), headers={"content-type": "application/json"})


def _form_errors(body: dict[str, Any], reply: Reply) -> dict[str, str]:
    """The message on the form's first input, so the modal stays open with what the user typed."""
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    first = next(iter(values), "")
    text = reply.text.removeprefix(":warning: ")
    return {first: text[:150]} if first else {}


def _tell(body: dict[str, Any], reply: Reply, *, database: bool, unknown: bool = False) -> Followup | None:
    """Where the official who met the failure reads about it: next to the click, or in the conversation."""
    user = str((body.get("user") or {}).get("id") or "")
    if body.get("type") in {"block_actions", "message_action", "shortcut"} and user:
        channel = str((body.get("channel") or {}).get("id") or "")
        return Ephemeral(channel, user, reply) if channel else DirectMessage(user, reply)
    event = body.get("event") or {}
    if event.get("type") in {"message", "app_mention"} and event.get("user") and not event.get("bot_id"):
        thread = (
            str(event.get("thread_ts") or event.get("ts") or "") if event["type"] == "app_mention" else ""
        )
        said = reply if unknown else build_not_processed(database=database)
        return PostMessage(str(event.get("channel", "")), said, thread_ts=thread)
    return None
