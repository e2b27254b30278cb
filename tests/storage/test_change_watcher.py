"""The PostgreSQL change watcher's own connections: dropped, frozen, closed, and never stale."""

from __future__ import annotations

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
    """An engine straight to the test database: "another replica" that commits."""
    engine = make_engine(postgres_url)
    reset_postgres(engine)
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


def test_a_dropped_connection_is_replaced_in_the_same_read(
    proxied: tuple[Engine, TcpProxy], direct: Engine
) -> None:
    """Every connection reset under the watcher (as when PostgreSQL restarts): the next read connects
    again and still tells, and a commit by another connection moves the version."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine)
    before = watcher.version()
    assert before is not None
    proxy.restore()  # resets every open connection, accepts new ones
    assert watcher.version() == before
    commit_a_meeting(direct, 1)
    after = watcher.version()
    assert after is not None
    assert after[1] == before[1] + 1
    watcher.close()


def test_a_frozen_server_means_cannot_tell_and_the_watcher_recovers(
    proxied: tuple[Engine, TcpProxy], direct: Engine
) -> None:
    """A server that stops answering (connections open): the read gives up with None ("cannot tell",
    the caller reads the database itself) instead of hanging; after the thaw it tells again, and a
    commit made meanwhile shows."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine, pause=0)
    before = watcher.version()
    assert before is not None
    proxy.freeze()
    try:
        assert watcher.version() is None
        commit_a_meeting(direct, 2)  # straight to the server, past the frozen proxy
    finally:
        proxy.thaw()
    after = watcher.version()
    assert after is not None
    assert after[1] == before[1] + 1
    watcher.close()


def test_a_refused_connection_pauses_the_watcher(proxied: tuple[Engine, TcpProxy]) -> None:
    """The server gone (connections refused): None, and for the pause no new attempt is made, so
    every request in an outage goes straight to the database read that reports it."""
    engine, proxy = proxied
    watcher = PostgresChangeWatcher(engine, pause=3600)
    assert watcher.version() is not None
    proxy.cut()
    assert watcher.version() is None
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
    wait_for(lambda: watcher_connections(direct) == 0, what="the kept connection closed")
