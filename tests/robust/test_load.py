"""Load: 16 concurrent clients against `vggbot run --http` on PostgreSQL: no 5xx, nothing lost,
p99 well under 3 s, memory flat. A 4-second run in CI; a 60-second one behind `-m slow`."""

from __future__ import annotations

import itertools
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.blocks import ids
from storage.db import make_engine, make_session_factory
from storage.models import AgendaProposal
from tests.conftest import AMS, SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.factories import add_meeting
from tests.support.slackclient import HttpResult, SlackSender

CLIENTS = 16
_dm_ids = itertools.count(1)


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)  # titles whose request was answered 200
    rss_kib: list[tuple[float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def latencies(self) -> list[float]:
        return sorted(o.seconds for o in self.outcomes)

    def percentile(self, q: float) -> float:
        values = self.latencies()
        return values[min(len(values) - 1, int(q * len(values)))]


_titles = itertools.count(1)


def propose_by_command(slack: SlackSender) -> HttpResult:
    title = f"Belasting commando {next(_titles)}"
    result = slack.command(f"voorstel {title}")
    result.title = title  # type: ignore[attr-defined]
    return result


def propose_by_dm(slack: SlackSender) -> HttpResult:
    """`agendapunt: …` in a DM, delivered twice (Slack's retry) half of the time: stored once."""
    title = f"Belasting DM {next(_titles)}"
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "U0OFFICIAL1",
        "channel": "D0OFFICIAL1",
        "text": f"agendapunt: {title}",
        "ts": f"1700000001.{next(_dm_ids):06d}",
    }
    event_id = f"EvLOAD{next(_dm_ids):08d}"
    result = slack.event(event, event_id=event_id)
    if random.random() < 0.5:
        retry = slack.event(event, event_id=event_id, retry_num=1)
        assert retry.status == 200
    result.title = title  # type: ignore[attr-defined]
    return result


def dm(slack: SlackSender) -> HttpResult:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "U0OFFICIAL1",
        "channel": "D0OFFICIAL1",
        "text": "wanneer is de volgende ivb?",
        "ts": f"1700000000.{next(_dm_ids):06d}",
    }
    return slack.event(event)


# (kind, request, acceptable statuses): what an office full of officials does.
MIX: list[tuple[str, Callable[[SlackSender], HttpResult], set[int]]] = [
    ("volgende", lambda s: s.command("volgende"), {200}),
    ("volgende kob", lambda s: s.command("volgende kob"), {200}),
    ("kalender", lambda s: s.command("kalender"), {200}),
    ("help", lambda s: s.command("help"), {200}),
    ("onbekend", lambda s: s.command("bla bla"), {200}),
    ("dm", dm, {200}),
    ("voorstel", propose_by_command, {200}),
    ("agendapunt dm", propose_by_dm, {200}),
    ("open", lambda s: s.command("open"), {200}),
    ("open mijn", lambda s: s.command("open mijn"), {200}),
    (
        "klik afgerond",
        lambda s: s.block_action(ids.COMPLETE_ACTION, "999999"),
        {200},
    ),  # unknown point: refusal
    (
        "vervalst",
        lambda s: s.post_raw(
            "text=x", content_type="application/x-www-form-urlencoded", signature="v0=" + "0" * 64
        ),
        {401},
    ),
]


def run_load(bot: BotProcess, seconds: float, warmup: float) -> LoadReport:
    report = LoadReport()
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + warmup + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        slack = SlackSender(bot.base_url, SECRET)
        while time.monotonic() < stop_at:
            kind, request, ok = rng.choice(MIX)
            t0 = time.monotonic()
            try:
                result = request(slack)
            except OSError as exc:
                with lock:
                    report.errors.append(f"{kind}: {exc}")
                continue
            took = time.monotonic() - t0
            with lock:
                if t0 >= start + warmup:
                    report.outcomes.append(Outcome(kind, result.status, took))
                if result.status == 200 and hasattr(result, "title"):
                    report.proposed.append(result.title)
                if result.status not in ok:
                    report.errors.append(f"{kind}: {result.status} {result.body[:100]}")

    def sample_memory() -> None:
        while time.monotonic() < stop_at:
            report.rss_kib.append((time.monotonic() - start, bot.rss_kib()))
            time.sleep(0.25)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=sample_memory))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + warmup + 30)
    return report


def load_test(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack, seconds: float) -> LoadReport:
    engine = make_engine(postgres_url)
    reset_postgres(engine)
    with make_session_factory(engine).begin() as s:
        # The process runs on the real clock: meetings from whenever the test runs.
        now = datetime.now(AMS).replace(second=0, microsecond=0)
        for weeks in (2, 6, 10):
            add_meeting(s, "ivb", now + timedelta(weeks=weeks))
    engine.dispose()
    bot = BotProcess(bot_env(postgres_url, fake_slack.url), tmp_path)
    try:
        report = run_load(bot, seconds, warmup=1.0)
        code, _ = bot.terminate()
    finally:
        bot.kill()
    assert code == 0, bot.log
    count = len(report.outcomes)
    rss = [kib for _, kib in report.rss_kib]
    print(
        f"\nload {seconds:.0f}s x {CLIENTS} clients: {count} requests ({count / seconds:.0f}/s), "
        f"p50 {report.percentile(0.5) * 1000:.0f} ms, p99 {report.percentile(0.99) * 1000:.0f} ms, "
        f"max {max(report.latencies()) * 1000:.0f} ms; RSS {rss[0] // 1024}→{rss[-1] // 1024} MiB "
        f"(max {max(rss) // 1024} MiB)"
    )
    assert not report.errors, report.errors[:10]
    assert all(o.status < 500 for o in report.outcomes)
    assert report.percentile(0.99) < 1.5, "p99 should be well under Slack's 3 s"
    engine = make_engine(postgres_url)
    with make_session_factory(engine).begin() as s:
        stored = list(s.scalars(select(AgendaProposal.title).where(AgendaProposal.title.like("Belasting %"))))
    engine.dispose()
    print(f"proposals: {len(report.proposed)} sent and answered, {len(stored)} stored")
    assert sorted(stored) == sorted(report.proposed), "a proposal was lost or stored twice"
    return report


def memory_growth_kib(report: LoadReport) -> int:
    """Median RSS of the last quarter minus that of the first quarter (after warm-up)."""
    samples = [kib for t, kib in report.rss_kib if t >= 1.0]
    quarter = max(1, len(samples) // 4)
    return int(statistics.median(samples[-quarter:]) - statistics.median(samples[:quarter]))


@pytest.mark.postgres
def test_load_quick(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """16 clients for 4 s: no 5xx, every answer as expected, p99 under 1.5 s."""
    report = load_test(postgres_url, tmp_path, fake_slack, seconds=4)
    assert len(report.outcomes) > 50


@pytest.mark.slow
@pytest.mark.postgres
def test_load_sustained(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """16 clients for 60 s: as the quick run, and resident memory flat (under 8 MiB growth)."""
    report = load_test(postgres_url, tmp_path, fake_slack, seconds=60)
    assert memory_growth_kib(report) < 8 * 1024, report.rss_kib
