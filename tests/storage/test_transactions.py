"""Transactions really begin: de-duplication and state changes are atomic on SQLite as on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.runtime.deps import Deps
from bot.services.deliveries import first_delivery
from storage.models import ProcessedEvent
from tests.conftest import AMS

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)


def test_a_delivery_recorded_in_a_failed_transaction_is_forgotten(deps: Deps) -> None:
    """The issue's reproduction: first_delivery inside a transaction that then fails leaves no row, so
    Slack's retry is handled as new (on SQLite the SAVEPOINT used to commit on its own)."""

    def handle_then_fail() -> None:
        with deps.sessions.begin() as session:
            assert first_delivery(session=session, event_id="EvATOMIC1", now=NOW)
            raise RuntimeError("the work after it failed")

    with pytest.raises(RuntimeError):
        handle_then_fail()
    with deps.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
        assert first_delivery(session=session, event_id="EvATOMIC1", now=NOW)
    with deps.sessions.begin() as session:
        assert not first_delivery(session=session, event_id="EvATOMIC1", now=NOW)


def at_once(work: Callable[[], object], times: int) -> list[object]:
    """Run `work` from `times` threads released together; collect results or exceptions."""
    barrier = threading.Barrier(times)
    results: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            outcome: object = work()
        except Exception as exc:  # collected for the assertions, as a thread pool would
            outcome = exc
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_the_same_delivery_at_once_is_handled_once(deps: Deps) -> None:
    """Eight threads record the same event id at the same moment: exactly one is the first."""

    def record() -> bool:
        with deps.sessions.begin() as session:
            return first_delivery(session=session, event_id="EvRACE", now=NOW)

    results = at_once(record, 8)
    assert results.count(True) == 1, results
    assert results.count(False) == 7, results
