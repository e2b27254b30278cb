"""Measure `/ivb open`, `/ivb open mijn`, the Home view and the CSV report on a large database.

    .venv/bin/python bench/open_items_scale.py [DATABASE_URL]

Builds a fresh database (a temporary SQLite file when no URL is given; for PostgreSQL give an
empty database), fills it with 5,000 meetings, 50,000 proposals and 20,000 action points, and
prints timings (median of 5 runs) of the services and builders behind each answer, then of the
same answers end to end over HTTP (signed requests to the app on waitress, fake Slack Web API).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr

from bench import client
from bench.data import LARGE, Texts, fill
from bot.blocks.action_points import Viewer
from bot.blocks.home import build_home
from bot.blocks.open_items import build_open_items
from bot.offline.web_api import OfflineWebApi
from bot.runtime.app import create_app
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from bot.services.home import home_data
from bot.services.open_items import open_page, report_rows
from storage.db import make_engine, make_session_factory
from storage.queries.open_items import OpenFilter

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
ME = "U0OFFICIAL1"
SECRET = "bench-signing-secret"  # noqa: S105 - signs loopback requests to a throwaway server
USERS = [ME] + [f"U0USER{i:04d}" for i in range(200)]


def timed(label: str, work: Callable[[], object], runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    print(f"{label:<28} median {statistics.median(times) * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms")


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/large.sqlite3"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    t0 = time.perf_counter()
    counts = fill(engine, LARGE, now=NOW, texts=Texts(users=USERS))
    print(f"{engine.dialect.name}: filled {counts} in {time.perf_counter() - t0:.1f} s")
    today = NOW.date()

    def open_all() -> object:
        with sessions.begin() as s:
            page = open_page(session=s, flt=OpenFilter(), viewer_id=ME, now=NOW, tz=AMS)
            viewer = Viewer(ME, False)
            return build_open_items(
                page, viewer=viewer, scope="", scope_label="", mine=False, today=today, tz=AMS
            )

    def open_mine() -> object:
        with sessions.begin() as s:
            page = open_page(session=s, flt=OpenFilter(user_id=ME), viewer_id=ME, now=NOW, tz=AMS)
            viewer = Viewer(ME, False)
            return build_open_items(
                page, viewer=viewer, scope="mijn", scope_label="van jou", mine=True, today=today, tz=AMS
            )

    def open_deep_page() -> object:
        with sessions.begin() as s:
            return open_page(
                session=s,
                flt=OpenFilter(),
                viewer_id=ME,
                now=NOW,
                tz=AMS,
                proposal_offset=10_000,
                action_offset=10_000,
            )

    def home() -> object:
        with sessions.begin() as s:
            data = home_data(session=s, user_id=ME, now=NOW, tz=AMS)
            return build_home(data, viewer=Viewer(ME, False), today=today, tz=AMS)

    def report() -> object:
        with sessions.begin() as s:
            return sum(1 for _ in report_rows(session=s, flt=OpenFilter(), now=NOW, tz=AMS))

    timed("/ivb open", open_all)
    timed("/ivb open mijn", open_mine)
    timed("/ivb open (offset 10000)", open_deep_page)
    timed("Home view", home)
    timed("CSV report (all open)", report, runs=3)
    engine.dispose()
    http_round_trips(url)


def http_round_trips(url: str) -> None:
    """The same answers end to end: signed requests to the real app on waitress, fake Slack Web API."""
    with OfflineWebApi() as fake:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token=SecretStr("xoxb-bench"),
            slack_signing_secret=SecretStr(SECRET),
            slack_api_url=fake.url,
            database_url=url,
            admin_user_ids=("U0ADMIN0001",),
        )
        engine = make_engine(url)
        deps = Deps(
            settings=settings, engine=engine, sessions=make_session_factory(engine), clock=FixedClock(NOW)
        )
        wsgi = SlackWSGI(create_app(deps, client=make_web_client(settings)), deps)
        server = HttpServer(wsgi, host="127.0.0.1", port=0, threads=4, poll=0.05)
        thread = threading.Thread(target=server.serve, daemon=True)
        thread.start()
        slack = client.Connection(server.port, SECRET)
        timed("HTTP /ivb open", lambda: slack.send(client.command("open", user_id=ME)))
        timed("HTTP /ivb open mijn", lambda: slack.send(client.command("open mijn", user_id=ME)))
        timed("HTTP app_home_opened", lambda: slack.send(client.app_home_opened(user_id=ME)))
        slack.close()
        server.stop()
        thread.join(timeout=5)
        engine.dispose()


if __name__ == "__main__":
    main()
