"""What the bot keeps to deliver reliably: handled Slack deliveries, scheduled-post claims, the outbox,
review-post places, calendar-feed tokens and the change counter the answer caches read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.domain import Base


class ProcessedEvent(Base):
    """Slack event ids already handled: Slack retries, Bolt does not de-duplicate."""

    __tablename__ = "processed_event"
    __table_args__ = (Index("ix_processed_event_received", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime]


class PostSlot(Base):
    """One scheduled post (digest or reminder) per slot and channel; the unique key makes it happen once."""

    __tablename__ = "post_slot"
    __table_args__ = (UniqueConstraint("kind", "slot_key", "channel", name="uq_post_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    slot_key: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="claimed")  # claimed | posted | skipped
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[datetime]
    # Set (and committed) just before the post is sent: whoever finds it set without a posted_at
    # does not know whether Slack got the post, and looks in the channel's history before posting.
    attempted_at: Mapped[datetime | None] = mapped_column(default=None)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    message_ts: Mapped[str | None] = mapped_column(String(40), default=None)
    permalink: Mapped[str | None] = mapped_column(String(500), default=None)


class OutboxMessage(Base):
    """Web API work that announces a committed change (a review post, a DM): written in the same
    transaction as the change, delivered by any process, once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sending | sent | given_up
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set when an attempt ended without knowing whether Slack got it: the next one looks first.
    uncertain: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    not_before: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(200), default="")


class ReviewPost(Base):
    """Where a proposal's review post went (the review channel, or each admin's DM), for updates."""

    __tablename__ = "review_post"
    __table_args__ = (UniqueConstraint("proposal_id", "channel", name="uq_review_post_place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("agenda_proposal.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(40))
    ts: Mapped[str] = mapped_column(String(40))


class FeedToken(Base):
    """A per-user secret for the subscribable calendar feed; only its hash is stored."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(40), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ChangeCounter(Base):
    """PostgreSQL only: one row whose `n` moves with every committed change to what answers are kept of.

    Bumped by deferred triggers at commit (migration 0002), so it becomes visible together with the
    data; read before the data, it tells an answer cache whether a kept answer may be reused.
    """

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
