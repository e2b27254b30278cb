"""Times the digest build in-process on the large database (no Slack call: only the building)."""

from __future__ import annotations

import importlib.util
import time
from datetime import datetime
from typing import Any

from storage.db import make_engine, make_session_factory


def measure_digest(database_url: str, *, now: datetime, runs: int) -> dict[str, Any]:
    """p50 / p99 / max of building the digest `runs` times, or why it was skipped."""
    if importlib.util.find_spec("bot.digest") is None:
        return {"skipped": "bot/digest.py does not exist yet"}
    from bench.run import summary

    build = _digest_builder()
    if build is None:
        return {"skipped": "bot.digest has no build function this benchmark knows; update bench/digest.py"}
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        build(sessions, now)  # warm-up: imports, the first connection, Babel's locale data
        times: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            build(sessions, now)
            times.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    return {"how": "in-process", "runs": runs, **summary(times)}


def _digest_builder() -> Any:
    return None
