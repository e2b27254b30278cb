"""The benchmark's own smoke test: tiny databases, a few requests, both servers for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import Target, evaluate, percentile
from tests.support.postgres import create_database, drop_database, new_name

ROOT = Path(__file__).resolve().parents[2]


def _smoke(tmp_path: Path, *extra: str) -> dict[str, object]:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "| /ivb volgende | realistic |" in run.stdout
    report: dict[str, object] = json.loads(out.read_text())
    return report


def _check(report: dict[str, object]) -> None:
    scenarios = {s["name"]: s for s in report["scenarios"]}  # type: ignore[attr-defined]
    volgende = scenarios["/ivb volgende"]
    assert volgende["skipped"] == ""
    assert volgende["errors"] == {"bot": 0, "bare": 0}
    assert 0 < volgende["bot"]["p50_ms"] <= volgende["bot"]["max_ms"]
    assert volgende["p50_ratio"] > 0
    for s in scenarios.values():
        # A scenario is measured or says why not; a skipped one never carries figures.
        assert s["skipped"] or "bot" in s
    load = report["concurrency"]
    assert load["bot"]["requests"] == load["bare"]["requests"] > 0  # type: ignore[index]
    assert load["bot"]["errors"] == 0  # type: ignore[index]
    memory = report["memory_mb"]
    assert memory["bot_idle"] > 0  # type: ignore[index]
    assert report["startup_s"]["bot_realistic"] > 0  # type: ignore[index]
    assert [t["name"] for t in report["targets"]] == ["no errors in any scenario"]  # type: ignore[attr-defined]


def test_smoke_run_on_sqlite_measures_both_servers_without_errors(tmp_path: Path) -> None:
    """`python -m bench --smoke` builds tiny SQLite databases, runs every scenario and exits 0."""
    report = _smoke(tmp_path)
    assert report["backend"] == "sqlite"
    _check(report)


@pytest.mark.postgres
def test_smoke_run_on_postgresql_drops_its_databases(tmp_path: Path, postgres_server: str) -> None:
    """With --database-url the databases are built on PostgreSQL and dropped afterwards; only this
    run's databases (its own prefix) are looked at, whatever other runs left on the server."""
    own = new_name("bench_") + "_"
    leftover = "vggbench_" + new_name("leftover_")  # what another run may have left behind
    create_database(postgres_server, leftover)
    try:
        report = _smoke(tmp_path, "--database-url", postgres_server, "--database-prefix", own)
    finally:
        drop_database(postgres_server, leftover)
    assert report["backend"] == "postgresql"
    _check(report)
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_server)
    with engine.connect() as conn:
        query = text("SELECT count(*) FROM pg_database WHERE left(datname, :n) = :prefix")
        left = conn.execute(query, {"n": len(own), "prefix": own}).scalar()
    engine.dispose()
    assert left == 0


def test_percentile_is_nearest_rank() -> None:
    """p50 of 1..100 is 50, p99 is 99, and a single value is every percentile."""
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0


def _report(volgende_ratio: float, throughput_ratio: float) -> dict[str, object]:
    figures = {"p50_ms": 2.0, "p99_ms": 4.0, "max_ms": 5.0}
    measured = {"skipped": "", "bot": figures, "bare": figures, "errors": {"bot": 0, "bare": 0}}
    return {
        "scenarios": [
            {"name": "/ivb volgende", **measured, "p50_ratio": volgende_ratio, "p99_ratio": 1.0},
            {"name": "/ivb open", "skipped": "the bot does not know `/ivb open` yet"},
            {"name": "/ivb kalender", **measured, "p50_ratio": 1.0, "p99_ratio": 1.0},
        ],
        "concurrency": {
            "bot": {"errors": 0},
            "bare": {"errors": 0},
            "throughput_ratio": throughput_ratio,
        },
        "digest": {"skipped": "bot/digest.py does not exist yet"},
        "memory_mb": {"bot_idle": 80.0},
    }


def test_a_missed_target_is_reported_and_a_missing_surface_is_not_a_pass() -> None:
    """A ratio over the limit is a miss; an absent surface is 'not measured' (None), never 'met'."""
    targets = {t.name: t for t in evaluate(_report(1.25, 0.7), smoke=False)}
    assert targets["/ivb volgende p50 vs bare"].met is False
    assert targets["16 clients: throughput vs bare"].met is True
    assert targets["/ivb open (large) p99"].met is None
    assert targets["digest build (large)"].met is None
    assert all(isinstance(t, Target) for t in targets.values())
    assert all(t.met for t in evaluate(_report(1.2, 0.7), smoke=False) if t.met is not None)
