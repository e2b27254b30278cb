"""Database away: commands answer within 3 s that the agenda is unavailable, /health says 503,
and the bot recovers by itself when the database returns, with nothing half-written."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.blocks import ids
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.settings import Settings
from storage.db import CommitOutcomeUnknown, make_engine, make_session_factory
from storage.models import Meeting
from tests.conftest import AMS, OFFICIAL, SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env, serving
from tests.support.factories import add_meeting
from tests.support.proposal_helpers import view_submission
from tests.support.slackclient import HttpResult, SlackSender
from tests.support.tcpproxy import TcpProxy
from tests.support.waiting import wait_for

UNAVAILABLE = "tijdelijk niet beschikbaar"
LIMIT_SECONDS = 3.0


def timed(call: object) -> tuple[HttpResult, float]:
    start = time.monotonic()
    result = call()  # type: ignore[operator]
    return result, time.monotonic() - start


def assert_unavailable_fast(slack: SlackSender) -> None:
    result, elapsed = timed(lambda: slack.command("volgende"))
    assert result.status == 200, result.body
    assert UNAVAILABLE in result.json()["text"]
    assert elapsed < LIMIT_SECONDS, f"answer took {elapsed:.2f} s"
    health, elapsed = timed(slack.health)
    assert health.status == 503
    assert elapsed < LIMIT_SECONDS, f"/health took {elapsed:.2f} s"


def assert_answers_normally(slack: SlackSender) -> None:
    result = slack.command("volgende")
    assert result.status == 200
    assert "maandag 20 maart 2023, 09:30" in str(result.json()["blocks"])
    assert slack.health().status == 200


def meeting_count(deps: Deps) -> int:
    with deps.sessions.begin() as s:
        return int(s.scalar(select(func.count()).select_from(Meeting)) or 0)


def add_meeting_in_own_transaction(deps: Deps) -> None:
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))


def make_deps(settings: Settings, url: str, clock: FixedClock) -> Deps:
    engine = make_engine(url)
    return Deps(
        settings=settings.model_copy(update={"database_url": url}),
        engine=engine,
        sessions=make_session_factory(engine),
        clock=clock,
    )


@pytest.fixture
def pg_via_proxy(
    postgres_url: str, plain_settings: Settings, clock: FixedClock
) -> Iterator[tuple[Deps, TcpProxy]]:
    """A bot whose PostgreSQL connections all run through a proxy the test can cut."""
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    direct.dispose()
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        deps = make_deps(plain_settings, proxied, clock)
        with deps.sessions.begin() as s:
            add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        yield deps, proxy
        deps.answers.close()
        deps.engine.dispose()


@pytest.mark.postgres
def test_postgres_stopped_answers_fast_and_recovers(pg_via_proxy: tuple[Deps, TcpProxy]) -> None:
    """PostgreSQL stops (connections reset, port refused): Dutch answer within 3 s, 503; back unaided."""
    deps, proxy = pg_via_proxy
    with serving(deps) as slack:
        assert_answers_normally(slack)
        proxy.cut()
        # The kept answer is right until the watcher notices, a moment later (nothing can commit on a
        # stopped server); from then on it is not vouched for, and the database's trouble is reported.
        wait_for(lambda: deps.answers.version() is None, what="the watcher notices")
        assert_unavailable_fast(slack)
        assert_unavailable_fast(slack)  # and again, with the pool now empty
        proxy.restore()
        assert_answers_normally(slack)


@pytest.mark.postgres
def test_postgres_unreachable_network_answers_fast(pg_via_proxy: tuple[Deps, TcpProxy]) -> None:
    """A network that swallows packets: connect_timeout ends the wait, within 3 s; back without restart."""
    deps, proxy = pg_via_proxy
    with serving(deps) as slack:
        assert_answers_normally(slack)
        proxy.blackhole()
        wait_for(lambda: deps.answers.version() is None, what="the watcher notices")
        assert_unavailable_fast(slack)
        proxy.restore()
        assert_answers_normally(slack)


@pytest.mark.postgres
def test_postgres_cut_before_commit_leaves_nothing(pg_via_proxy: tuple[Deps, TcpProxy]) -> None:
    """A transaction that loses the database before COMMIT leaves no row behind."""
    deps, proxy = pg_via_proxy
    before = meeting_count(deps)
    session = deps.sessions()
    session.begin()
    add_meeting(session, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))  # flushed: the INSERT ran
    proxy.cut()
    with pytest.raises(OperationalError):
        session.commit()
    session.close()
    proxy.restore()
    assert meeting_count(deps) == before


@pytest.fixture
def sqlite_bot(
    sqlite_template: Path, tmp_path: Path, plain_settings: Settings, clock: FixedClock
) -> Iterator[Deps]:
    path = tmp_path / "locked.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    deps = make_deps(plain_settings, f"sqlite:///{path}", clock)
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
    yield deps
    deps.answers.close()
    deps.engine.dispose()


def sqlite_path(deps: Deps) -> str:
    return str(make_url(deps.settings.database_url).database)


def test_sqlite_locked_file_answers_fast_and_recovers(sqlite_bot: Deps) -> None:
    """Another process holds the SQLite file exclusively: Dutch answer within 3 s, 503; fine once released."""
    sqlite_bot.engine.dispose()  # the holder can only lock the file exclusively while nobody has it open
    holder = sqlite3.connect(sqlite_path(sqlite_bot), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE overleg SET sort_order = sort_order")
    with serving(sqlite_bot) as slack:
        try:
            assert_unavailable_fast(slack)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert_answers_normally(slack)


def test_sqlite_writer_lock_still_serves_reads(sqlite_bot: Deps) -> None:
    """BEGIN EXCLUSIVE elsewhere (WAL): reads still answer; a write gives up within 3 s, leaving nothing."""
    with serving(sqlite_bot) as slack:
        holder = sqlite3.connect(sqlite_path(sqlite_bot), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            assert_answers_normally(slack)
            start = time.monotonic()
            with pytest.raises(OperationalError):
                add_meeting_in_own_transaction(sqlite_bot)
            assert time.monotonic() - start < LIMIT_SECONDS
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert meeting_count(sqlite_bot) == 1


def _clicks_and_forms_answer_while_away(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """A click gets an ephemeral Dutch answer; a form keeps its text and shows the message on its field;
    a DM is answered that it was not processed."""
    fake_slack.reset()
    click = slack.block_action(ids.COMPLETE_ACTION, "1", user_id=OFFICIAL)
    assert click.status == 200
    told = wait_for(lambda: fake_slack.calls_to("chat.postEphemeral"), what="the ephemeral answer")
    assert UNAVAILABLE in told[0].args["text"]
    assert told[0].args["user"] == OFFICIAL
    form = view_submission(slack, ids.NEW_PROPOSAL_VIEW, {ids.TITLE_BLOCK: "Hennepconvenant"}, user=OFFICIAL)
    assert form.status == 200
    body = form.json()
    assert body["response_action"] == "errors"
    assert UNAVAILABLE in body["errors"][ids.TITLE_BLOCK]
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0OFFICIAL1",
        "user": OFFICIAL,
        "text": "agendapunt: Hennepconvenant",
        "ts": "1700000000.000100",
    }
    assert slack.event(dm).status == 200
    posts = wait_for(lambda: fake_slack.calls_to("chat.postMessage"), what="the DM answer")
    assert "niet verwerkt" in posts[0].args["text"]


@pytest.mark.postgres
def test_postgres_stopped_clicks_forms_and_dms_are_told(
    pg_via_proxy: tuple[Deps, TcpProxy], fake_slack: FakeSlack
) -> None:
    """With PostgreSQL away, every kind of request tells the official, in Dutch, that it did not work."""
    deps, proxy = pg_via_proxy
    with serving(deps) as slack:
        proxy.cut()
        try:
            _clicks_and_forms_answer_while_away(slack, fake_slack)
        finally:
            proxy.restore()


def test_sqlite_locked_clicks_forms_and_dms_are_told(sqlite_bot: Deps, fake_slack: FakeSlack) -> None:
    """With the SQLite file held by another process, clicks, forms and DMs are answered in Dutch."""
    sqlite_bot.engine.dispose()
    holder = sqlite3.connect(sqlite_path(sqlite_bot), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE overleg SET sort_order = sort_order")
    try:
        with serving(sqlite_bot) as slack:
            _clicks_and_forms_answer_while_away(slack, fake_slack)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.postgres
def test_postgres_frozen_with_connections_open_answers_fast_and_recovers(
    postgres_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """PostgreSQL frozen (SIGSTOP: connections open and acknowledged, no answers): `vggbot run --http`
    answers commands and /health within 3 s, not after the freeze; a proposal sent meanwhile is refused
    (so a retry files it once), and everything answers normally once the server moves again."""
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    with make_session_factory(direct).begin() as s:
        add_meeting(s, "ivb", datetime(2030, 3, 18, 9, 30, tzinfo=AMS))
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        bot = BotProcess(bot_env(proxied, fake_slack.url), tmp_path)
        try:
            slack = SlackSender(bot.base_url, SECRET)
            assert slack.command("volgende").status == 200
            proxy.freeze()
            for _ in range(2):
                result, elapsed = timed(lambda: slack.command("voorstel Bevroren voorstel"))
                assert result.status == 200
                assert UNAVAILABLE in result.json()["text"]
                assert elapsed < LIMIT_SECONDS, f"answer took {elapsed:.2f} s"
                health, elapsed = timed(slack.health)
                assert health.status == 503
                assert elapsed < LIMIT_SECONDS, f"/health took {elapsed:.2f} s"
            proxy.thaw()
            wait_for(lambda: slack.health().status == 200, what="healthy again")
            assert "volgende vergadering" in str(slack.command("volgende").json())
        finally:
            bot.kill()
    with direct.connect() as conn:
        titles = conn.execute(text("SELECT title FROM agenda_proposal")).scalars().all()
    direct.dispose()
    assert "Bevroren voorstel" not in titles  # told it failed, so nothing half-done behind the user's back


@pytest.mark.postgres
def test_connection_lost_during_commit_is_unknown_not_nothing(pg_via_proxy: tuple[Deps, TcpProxy]) -> None:
    """A connection lost while COMMIT is on its way raises CommitOutcomeUnknown (the server may have
    committed); one lost before, at a statement, stays a plain OperationalError (nothing was stored)."""
    deps, proxy = pg_via_proxy
    proxy.cut()
    with pytest.raises(OperationalError) as before:
        add_meeting_in_own_transaction(deps)
    assert not isinstance(before.value, CommitOutcomeUnknown)
    proxy.restore()
    cut_once = _cut_at_next_commit(deps, proxy)
    with pytest.raises(CommitOutcomeUnknown):
        add_meeting_in_own_transaction(deps)
    event.remove(deps.engine, "commit", cut_once)
    proxy.restore()
    assert meeting_count(deps) in {1, 2}  # either is true to what the caller was told


def _cut_at_next_commit(deps: Deps, proxy: TcpProxy) -> Any:
    """Reset every connection as the next COMMIT is sent (after the bot's own commit hooks)."""
    armed = [True]

    def cut(_conn: object) -> None:
        if armed.pop() if armed else False:
            proxy.cut()

    event.listen(deps.engine, "commit", cut)
    return cut


@pytest.mark.postgres
def test_proposal_lost_during_commit_is_told_it_may_be_stored(
    pg_via_proxy: tuple[Deps, TcpProxy], fake_slack: FakeSlack
) -> None:
    """PostgreSQL goes away while a proposal's COMMIT is on its way: the official reads that it may have
    worked and to check `/ivb open mijn` first, never "nothing was stored, send it again". Before, the
    chaos run found six proposals stored whose authors had been told nothing was saved."""
    deps, proxy = pg_via_proxy
    with serving(deps) as slack:
        cut = _cut_at_next_commit(deps, proxy)
        answer = slack.command("voorstel Cameratoezicht stationsgebied", user_id=OFFICIAL).json()
        event.remove(deps.engine, "commit", cut)
        proxy.restore()
        assert "misschien is het gelukt" in answer["text"]
        assert "open mijn" in answer["text"]
        cut = _cut_at_next_commit(deps, proxy)
        dm = {
            "type": "message",
            "channel_type": "im",
            "channel": "D0OFFICIAL1",
            "user": OFFICIAL,
            "text": "agendapunt: Hennepconvenant",
            "ts": "1700000000.000200",
        }
        assert slack.event(dm).status == 200
        event.remove(deps.engine, "commit", cut)
        proxy.restore()
        posts = wait_for(lambda: fake_slack.calls_to("chat.postMessage"), what="the DM answer")
        assert "misschien is het gelukt" in posts[0].args["text"]
        assert "niets opgeslagen" not in posts[0].args["text"]
