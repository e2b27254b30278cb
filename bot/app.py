"""create_app: builds the Bolt App with every listener. Nothing here runs at import."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack_client import make_web_client
from handlers import register_all

logger = logging.getLogger(__name__)

OFFLINE_TOKEN = "xoxb-offline"  # noqa: S105 - a placeholder, never sent anywhere
OFFLINE_SECRET = "offline-signing-secret"  # noqa: S105 - the shell dispatches without signatures


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


_QUIET_TOKEN_WARNING = _QuietTokenWarning()  # one instance, so adding it again is a no-op


def new_bolt_app(
    *,
    client: WebClient,
    signing_secret: str,
    logger: logging.Logger,
    listener_executor: Executor | None = None,
) -> App:
    """A Bolt App with VGG-bot's settings and no listeners; the benchmark's bare app is built with it
    too, so the two differ only in their listeners."""
    return App(
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

    Lazy listeners (Web API work after the acknowledgement) run on `listener_executor`: Bolt's thread
    pool by default; the offline shell passes an inline one so its output stays in order.
    """
    settings = deps.settings
    if client is None:
        client = make_web_client(settings)
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else OFFLINE_SECRET
    )
    bolt_logger = logging.getLogger("vggbot.bolt")
    bolt_logger.addFilter(_QUIET_TOKEN_WARNING)
    app = new_bolt_app(
        client=client, signing_secret=secret, logger=bolt_logger, listener_executor=listener_executor
    )

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        # The traceback goes to the log; the payload (which holds user text) does not.
        logger.error("unhandled error in a listener (%s)", body.get("type", "?"), exc_info=error)
        return BoltResponse(status=200, body="")

    register_all(app, deps)
    return app
