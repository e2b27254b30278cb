"""Times the digest build in-process on the large database: the queries and the Block Kit, no Slack call."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage.db import make_engine, make_session_factory

TZ = ZoneInfo("Europe/Amsterdam")
WEEKS_AHEAD = 6  # the DIGEST_WEEKS_AHEAD default
INTERVAL = timedelta(days=14)  # the DIGEST_INTERVAL_DAYS default


def _builder() -> tuple[Callable[[Session, datetime], object] | None, str]:
    """bot.digest.build_digest (+ bot.blocks_digest.build_digest_message when present), or why not."""
    if importlib.util.find_spec("bot.digest") is None:
        return None, "bot/digest.py does not exist yet"
    digest = importlib.import_module("bot.digest")
    build = getattr(digest, "build_digest", None)
    if build is None:
        return None, "bot.digest has no build_digest; update bench/digest.py"
    wanted = {"session", "at", "since", "next_at", "tz", "weeks_ahead"}
    if not wanted <= set(inspect.signature(build).parameters):
        return None, "bot.digest.build_digest changed its arguments; update bench/digest.py"
    render: Any = None
    if importlib.util.find_spec("bot.blocks_digest") is not None:
        render = getattr(importlib.import_module("bot.blocks_digest"), "build_digest_message", None)

    def run(session: Session, at: datetime) -> object:
        content = build(
            session=session, at=at, since=at - INTERVAL, next_at=at + INTERVAL, tz=TZ, weeks_ahead=WEEKS_AHEAD
        )
        return render(content, tz=TZ) if render is not None else content

    return run, ""


def measure_digest(database_url: str, *, now: datetime, runs: int) -> dict[str, Any]:
    """p50 / p99 / max of building the digest for `now` `runs` times, or why it was skipped."""
    from bench.run import summary  # shared statistics; imported here to keep bench.run the entry point

    run, reason = _builder()
    if run is None:
        return {"skipped": reason}
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    try:
        times: list[float] = []
        for n in range(runs + 1):
            with sessions.begin() as session:
                started = time.perf_counter()
                run(session, now)
                elapsed = time.perf_counter() - started
            if n:  # the first run warms imports, the connection and Babel's locale data
                times.append(elapsed)
    finally:
        engine.dispose()
    return {"how": "in-process, build_digest + build_digest_message", "runs": runs, **summary(times)}
