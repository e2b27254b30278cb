"""Times the digest build in-process on the large database: the queries and the Block Kit, no Slack call."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.digest import build_digest_message
from bot.services.digest import build_digest
from storage.db import make_engine, make_session_factory

TZ = ZoneInfo("Europe/Amsterdam")
WEEKS_AHEAD = 6  # the DIGEST_WEEKS_AHEAD default
INTERVAL = timedelta(days=14)  # the DIGEST_INTERVAL_DAYS default


def measure_digest(database_url: str, *, now: datetime, runs: int) -> dict[str, Any]:
    """p50 / p99 / max of building the digest for `now` `runs` times, or why it was skipped."""
    from bench.run import summary  # shared statistics; imported here to keep bench.run the entry point

    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        times: list[float] = []
        for n in range(runs + 1):
            with sessions.begin() as session:
                started = time.perf_counter()
                content = build_digest(
                    session=session,
                    at=now,
                    since=now - INTERVAL,
                    tz=TZ,
                    weeks_ahead=WEEKS_AHEAD,
                )
                build_digest_message(content, tz=TZ)
                elapsed = time.perf_counter() - started
            if n:  # the first run warms imports, the connection and Babel's locale data
                times.append(elapsed)
    finally:
        engine.dispose()
    return {"how": "in-process, build_digest + build_digest_message", "runs": runs, **summary(times)}
