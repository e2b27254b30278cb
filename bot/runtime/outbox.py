"""Delivering the outbox: each stored follow-up is claimed for one attempt at a time, by any process.

The claim is committed before Slack is called, so an attempt is on record even if the process dies
during it. A later attempt (a retry after a failure, or a takeover of a claim whose sender went quiet)
first looks in the conversation's history for the key the earlier attempt posted with
(bot/runtime/posting.py), so a post that did reach Slack is never posted again.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import update

from bot.runtime.posting import Poster, ResponseUrlError, outcome_unknown
from storage.models import OutboxMessage
from storage.queries import outbox as queries

if TYPE_CHECKING:
    from bot.runtime.deps import Deps
    from bot.runtime.followups import Followup

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # OUTBOX_LEASE_SECONDS' default: longer than any one attempt
BATCH = 20
MAX_ATTEMPTS = 12  # with the backoff below: about half a day of trying
KEEP_DONE = timedelta(days=7)
# Slack's answers that no retry will change: the message itself is wrong or its place is gone.
FINAL_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "message_not_found",
        "cant_update_message",
    }
)


@dataclass(frozen=True)
class Attempt:
    message_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    look_since: datetime | None  # when an earlier attempt started: look before posting again


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 600))


class Outbox:
    def __init__(self, deps: Deps, client: WebClient, perform: Callable[[Followup, Poster], None]) -> None:
        self._deps = deps
        self._client = client
        self._perform = perform
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def deliver_due(self) -> int:
        """Attempt every message that is due; returns how many were sent."""
        sent = 0
        while True:
            attempts = self._claim()
            for index, attempt in enumerate(attempts):
                # The batch was claimed at once: a later message may have waited past the lease behind
                # slow posts and been taken over meanwhile. Renew the claim first, or leave it.
                if index and not self._renew(attempt):
                    continue
                sent += self._deliver(attempt)
            if len(attempts) < BATCH:
                return sent

    def _claim(self) -> list[Attempt]:
        now = self._deps.clock.now()
        lease = timedelta(seconds=self._deps.settings.outbox_lease_seconds)
        claimed: list[Attempt] = []
        with self._deps.sessions.begin() as session:
            for row in queries.due_for_update(session=session, now=now, lease=lease, limit=BATCH):
                if row.status == queries.SENDING:
                    logger.warning("outbox message %s: its sender went quiet; taking it over", row.id)
                claimed.append(Attempt(row.id, row.kind, dict(row.payload), row.attempts + 1, row.claimed_at))
                row.status, row.claimed_by, row.claimed_at = queries.SENDING, self.owner, now
                row.attempts += 1
        return claimed

    def _renew(self, attempt: Attempt) -> bool:
        """Restart the lease of a claimed message; False when another process took it over."""
        with self._deps.sessions.begin() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == attempt.message_id,
                    OutboxMessage.claimed_by == self.owner,
                    OutboxMessage.status == queries.SENDING,
                )
                .values(claimed_at=self._deps.clock.now())
            )
        if getattr(result, "rowcount", 0) == 1:
            return True
        logger.warning("outbox message %s was taken over while it waited in a batch", attempt.message_id)
        return False

    def _deliver(self, attempt: Attempt) -> int:
        from bot.runtime.followups import load  # noqa: PLC0415 - followups imports this module

        try:
            item = load(attempt.kind, attempt.payload)
        except (KeyError, TypeError):
            logger.exception("outbox message %s cannot be read; given up", attempt.message_id)
            self._finish(attempt, status=queries.GIVEN_UP, error="onleesbaar")
            return 0
        poster = Poster(self._client, key=f"outbox:{attempt.message_id}", look_since=attempt.look_since)
        try:
            self._perform(item, poster)
        except Exception as exc:
            self._failed(attempt, exc)
            return 0
        self._finish(attempt, status=queries.SENT)
        return 1

    def _failed(self, attempt: Attempt, error: Exception) -> None:
        slack_error = str(error.response.get("error")) if isinstance(error, SlackApiError) else ""
        # A response_url that refuses (expired after 30 minutes, used five times) never accepts it later.
        refused_url = (
            isinstance(error, ResponseUrlError) and 400 <= error.status < 500 and error.status != 429
        )
        reason = slack_error or (error.error if isinstance(error, ResponseUrlError) else type(error).__name__)
        # Each log line follows the row it reports (given up, or back to pending for a later attempt).
        if slack_error in FINAL_ERRORS or refused_url or attempt.attempts >= MAX_ATTEMPTS:
            self._finish(attempt, status=queries.GIVEN_UP, error=reason)
            logger.error(
                "gave up on outbox message %s (%s) after %d attempts: %s",
                attempt.message_id,
                attempt.kind,
                attempt.attempts,
                reason,
            )
            return
        unknown = outcome_unknown(error)
        self._finish(
            attempt, status=queries.PENDING, error=reason, retry=backoff(attempt.attempts), unknown=unknown
        )
        logger.warning(
            "outbox message %s (%s) failed (%s%s); trying again later",
            attempt.message_id,
            attempt.kind,
            reason,
            ", maybe delivered: will look first" if unknown else "",
        )

    def _finish(
        self,
        attempt: Attempt,
        *,
        status: str,
        error: str = "",
        retry: timedelta | None = None,
        unknown: bool = False,
    ) -> None:
        """Record the attempt's outcome, unless another process took the message over meanwhile."""
        now = self._deps.clock.now()
        values: dict[str, Any] = {"status": status, "last_error": error[:200], "uncertain": unknown}
        if status == queries.SENT:
            values["sent_at"] = now
        if retry is not None:
            values["not_before"] = now + retry
        with self._deps.sessions.begin() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == attempt.message_id, OutboxMessage.claimed_by == self.owner)
                .values(**values)
            )


def forget_done(deps: Deps, *, now: datetime) -> int:
    """Sent and given-up messages older than a week go (the log has what was given up)."""
    with deps.sessions.begin() as session:
        return queries.delete_done_before(session=session, before=now - KEEP_DONE)
