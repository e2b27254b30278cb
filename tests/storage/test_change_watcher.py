"""The PostgreSQL change watcher: it hears of commits by NOTIFY, and its own connection may be
dropped, frozen or closed without a stale answer."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.changes import PostgresChangeWatcher
from storage.db import make_engine, make_session_factory
from tests.conftest import AMS, reset_postgres
from tests.support.factories import add_meeting
from tests.support.tcpproxy import TcpProxy
from tests.support.waiting import wait_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def direct(postgres_url: str) -> Iterator[Engine]:
    """An engine straight to the test database: "another replica" that commits. Watchers of earlier
    tests that nobody closed are collected first, so the connections counted here are this test's."""
    engine = make_engine(postgres_url)
    reset_postgres(engine)
    gc.collect()
    wait_for(lambda: watcher_connections(engine) == 0, what="earlier watchers gone")
    yield engine
    engine.dispose()


@pytest.fixture
def proxied(postgres_url: str, direct: Engine) -> Iterator[tuple[Engine, TcpProxy]]:
    """An engine whose connections run through a proxy the test can cut or freeze."""
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = make_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        yield engine, proxy
        engine.dispose()


def commit_a_meeting(engine: Engine, day: int) -> None:
    with make_session_factory(engine).begin() as s:
        add_meeting(s, "ivb", datetime(2023, 5, day, 9, 30, tzinfo=AMS))


def watcher_connections(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = 'vggbot-change-watcher'"
            )
        ).scalar()
    return int(found or 0)


def test_a_dropped_connection_is_replaced_at_once(proxied: tuple[Engine, TcpProxy], direct: Engine) -> None:
    """Every connection reset under the watcher (as when PostgreSQL restarts): it connects again at once
    and tells again (nothing committed meanwhile, so the version stays), and a commit by another
    connection then moves the version."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine)
    before = watcher.version()
    assert before is not None
    proxy.restore()  # resets every open connection, accepts new ones
    wait_for(lambda: watcher_connections(direct) == 1 and watcher.version() == before, what="listening again")
    commit_a_meeting(direct, 1)
    wait_for(lambda: watcher.version() not in {before, None}, what="the commit heard of")
    watcher.close()


def test_another_replicas_commit_is_heard_without_asking(direct: Engine, postgres_url: str) -> None:
    """A watcher that never asks the server (trust an hour) still learns of another connection's
    commit: PostgreSQL's notification arrives on its listening connection."""
    engine = make_engine(postgres_url)
    watcher = PostgresChangeWatcher(engine, trust=3600)
    before = watcher.version()
    assert before is not None
    commit_a_meeting(direct, 4)
    wait_for(lambda: watcher.version() not in {before, None}, what="the notification")
    watcher.close()
    engine.dispose()


def test_a_commit_in_this_process_moves_the_version_at_once(postgres_url: str, direct: Engine) -> None:
    """Its own engine's commit moves the version when the connection is back in the pool, before any
    notification could arrive: an official's own change shows in the very next answer."""
    engine = make_engine(postgres_url)
    watcher = PostgresChangeWatcher(engine, trust=3600)
    before = watcher.version()
    assert before is not None
    with make_session_factory(engine).begin() as s:
        add_meeting(s, "ivb", datetime(2023, 5, 5, 9, 30, tzinfo=AMS))
        assert watcher.version() == before  # not before the commit
    assert watcher.version() != before
    watcher.close()
    engine.dispose()


def test_a_frozen_server_means_cannot_tell_and_the_watcher_recovers(
    proxied: tuple[Engine, TcpProxy], direct: Engine
) -> None:
    """A server that stops answering (connections open): the listening connection simply goes quiet,
    and once the server has not answered for the watcher's trust, the version is None ("cannot tell",
    the caller reads the database itself) instead of vouching for what it has not heard; after the
    thaw it tells again, and a commit made meanwhile shows."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine, pause=0, trust=0.2)
    before = watcher.version()
    assert before is not None
    proxy.freeze()
    try:
        wait_for(lambda: watcher.version() is None, timeout=2, what="cannot tell")
        commit_a_meeting(direct, 2)  # straight to the server, past the frozen proxy
    finally:
        proxy.thaw()
    wait_for(lambda: watcher.version() not in {before, None}, what="the commit made meanwhile")
    watcher.close()


def test_a_refused_connection_pauses_the_watcher(proxied: tuple[Engine, TcpProxy]) -> None:
    """The server gone (connections refused): None, and for the pause no new attempt is made."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine, pause=3600)
    assert watcher.version() is not None
    proxy.cut()
    wait_for(lambda: watcher.version() is None, what="cannot tell")
    proxy.restore()
    assert watcher.version() is None  # still pausing: it did not try
    watcher.close()


def test_connections_are_kept_for_reuse_and_closed_with_the_watcher(
    proxied: tuple[Engine, TcpProxy], direct: Engine
) -> None:
    """Reads one after another share one kept connection; close() ends it."""
    engine, _proxy = proxied
    watcher = PostgresChangeWatcher(engine)
    versions = {watcher.version() for _ in range(5)}
    assert len(versions) == 1
    assert None not in versions
    assert watcher_connections(direct) == 1
    watcher.close()
    assert watcher.version() is None  # closed: it vouches for nothing
    wait_for(lambda: watcher_connections(direct) == 0, what="the kept connection closed")
