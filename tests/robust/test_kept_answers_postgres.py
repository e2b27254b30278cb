"""Kept answers on PostgreSQL when the database misbehaves: connections dropped under the change
watcher (a restarted server), another replica committing, a frozen server. Never stale, never stuck."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.runtime.clock import FixedClock
from bot.runtime.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.models import Meeting
from tests.conftest import AMS, OFFICIAL, SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env, serving
from tests.robust.test_database_away import UNAVAILABLE, make_deps
from tests.support.factories import add_meeting
from tests.support.factories_open import add_proposal
from tests.support.slackclient import SlackSender
from tests.support.tcpproxy import TcpProxy
from tests.support.waiting import wait_for

pytestmark = pytest.mark.postgres

LIMIT_SECONDS = 3.0
# The watcher's trust (1 s after the server last answered) plus its wait for an answer (0.5 s).
TRUSTED_SECONDS = 1.5


def volgende(slack: SlackSender) -> str:
    result = slack.command("volgende")
    assert result.status == 200, result.body
    return str(result.json())


def test_dropped_connections_still_give_the_right_answer_and_a_commit_shows(
    postgres_url: str, plain_settings: Settings, clock: FixedClock
) -> None:
    """Every connection reset (the watcher's and the pool's, as when PostgreSQL restarts): the next
    `/ivb volgende` answers correctly from a kept answer the watcher still vouches for; a proposal
    committed by another process then shows as soon as its notification arrives."""
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    with make_session_factory(direct).begin() as s:
        meeting_id = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS)).id
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        deps = make_deps(plain_settings, proxied, clock)
        try:
            with serving(deps) as slack:
                assert "nog geen agendavoorstellen" in volgende(slack)
                proxy.restore()  # resets every open connection, accepts new ones
                assert "nog geen agendavoorstellen" in volgende(slack)
                # The watcher reconnected by itself, it did not give up.
                wait_for(lambda: deps.answers.version() is not None, what="the watcher back")
                with make_session_factory(direct).begin() as s:
                    meeting = s.get(Meeting, meeting_id)
                    created = clock.now()
                    add_proposal(
                        s, "ivb", "Evaluatie jaarwisseling", OFFICIAL, created=created, meeting=meeting
                    )
                # Heard of by PostgreSQL's notification, which passes the test's proxy thread first:
                # milliseconds here, microseconds without it (storage/changes_postgres.py).
                wait_for(lambda: "Voorstellen: 1 ingediend" in volgende(slack), timeout=1, what="the commit")
        finally:
            deps.answers.close()
            deps.engine.dispose()
    direct.dispose()


def test_frozen_postgres_kept_answer_is_not_given_blindly_and_answers_fast(
    postgres_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """`vggbot run --http` with `/ivb volgende` kept, then PostgreSQL frozen: every answer comes within
    3 s; the kept answer only while the watcher heard from the server less than a second ago (its
    trust; nothing can commit on a frozen server), then "tijdelijk niet beschikbaar", and after the
    thaw the normal answer again."""
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    with make_session_factory(direct).begin() as s:
        add_meeting(s, "ivb", datetime(2030, 3, 18, 9, 30, tzinfo=AMS))
    direct.dispose()
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        bot = BotProcess(bot_env(proxied, fake_slack.url), tmp_path)
        try:
            slack = SlackSender(bot.base_url, SECRET)
            for _ in range(3):
                assert "volgende vergadering" in volgende(slack)
            proxy.freeze()
            frozen_at = time.monotonic()
            unavailable = 0
            while unavailable < 2:
                start = time.monotonic()
                answer = volgende(slack)
                elapsed = time.monotonic() - start
                assert elapsed < LIMIT_SECONDS, f"answer took {elapsed:.2f} s"
                if UNAVAILABLE in answer:
                    unavailable += 1
                    continue
                assert unavailable == 0, "a kept answer after the watcher said it cannot tell"
                assert "volgende vergadering" in answer
                assert time.monotonic() - frozen_at < TRUSTED_SECONDS, "kept answer given unchecked"
            proxy.thaw()
            wait_for(lambda: slack.health().status == 200, what="healthy again")
            assert "volgende vergadering" in volgende(slack)
        finally:
            bot.kill()
