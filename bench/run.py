"""The benchmark: VGG-bot against a bare Bolt app, side by side, on the same server and settings."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import client
from bench.data import LARGE, REALISTIC, TINY_LARGE, TINY_REALISTIC, Databases
from bench.digest import measure_digest
from bot.blocks.kit import build_error, build_unavailable
from bot.offline.web_api import Call, OfflineWebApi

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret-0123456789"  # noqa: S105 - loopback only, made up for the run
BOT_TOKEN = "xoxb-bench-token"  # noqa: S105 - sent only to the fake Slack on loopback
ADMIN = "U0BENCH0000"
HTTP_THREADS = 8  # the Settings default, given to both servers explicitly
CLIENTS = 16

# The bot's own failure answers (as they appear in the JSON body), and its "unknown command" help.
ERROR_MARKERS = tuple(json.dumps(reply.text)[1:-1].encode() for reply in (build_error(), build_unavailable()))
UNKNOWN_MARKER = "Dat commando ken ik niet"


@dataclass
class Target:
    name: str
    limit: str
    value: str
    met: bool | None  # None: not measured (the surface does not exist yet)
    note: str = ""


@dataclass
class Server:
    """A subprocess serving /slack/events; `started` and `healthy_after` time its start."""

    label: str
    proc: subprocess.Popen[bytes]
    port: int
    healthy_after: float
    log: Path

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return math.nan

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used (from /proc, so the machine's load does not count)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, slack_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_", "DATABASE_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack_url,
        DATABASE_URL=database_url,
        ADMIN_USER_IDS=ADMIN,
        HTTP_THREADS=str(HTTP_THREADS),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def _vggbot_command() -> list[str]:
    script = Path(sys.executable).parent / "vggbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.runtime.cli"]


def start_server(label: str, argv: list[str], env: dict[str, str], port: int, workdir: Path) -> Server:
    """Start a server and wait until GET /health answers 200; the time from exec to healthy is recorded."""
    log = workdir / f"{label}.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        # cwd is the temp dir, so a developer's .env cannot change the settings of the run.
        proc = subprocess.Popen(argv, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    conn = client.Connection(port, SECRET, timeout=2)
    deadline = started + 60
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"{label} exited with {proc.returncode} at start; see {log}:\n{log.read_text()}"
            )
        if conn.get("/health") == 200:
            conn.close()
            return Server(label, proc, port, time.perf_counter() - started, log)
        conn.close()
        time.sleep(0.01)
    proc.kill()
    raise RuntimeError(f"{label} did not become healthy within 60 s; see {log}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3) if ms else math.nan,
    }


def ok(response: client.Response) -> bool:
    """HTTP 200 and not one of the bot's failure answers (an unknown command counts as a failure too)."""
    if response.status != 200 or UNKNOWN_MARKER.encode() in response.body:
        return False
    return not any(marker in response.body for marker in ERROR_MARKERS)


@dataclass
class Scenario:
    name: str
    database: str
    make: Callable[[], client.Request]
    results: dict[str, Any] = field(default_factory=dict)
    skipped: str = ""


def run_pairs(
    scenario: Scenario, bot: client.Connection, bare: client.Connection, *, warmup: int, pairs: int
) -> None:
    """A, B, A, B…: the same request to the bot and to the bare app, alternating, so drift hits both."""
    for _ in range(warmup):
        bot.send(scenario.make())
        bare.send(scenario.make())
    bot_times: list[float] = []
    bare_times: list[float] = []
    errors = {"bot": 0, "bare": 0}
    for _ in range(pairs):
        response = bot.send(scenario.make())
        bot_times.append(response.seconds)
        errors["bot"] += not ok(response)
        response = bare.send(scenario.make())
        bare_times.append(response.seconds)
        errors["bare"] += not ok(response)
    bot_s, bare_s = summary(bot_times), summary(bare_times)
    pair_ratios = sorted(a / b for a, b in zip(bot_times, bare_times, strict=True) if b > 0)
    scenario.results = {
        "pairs": pairs,
        "bot": bot_s,
        "bare": bare_s,
        "p50_ratio": round(bot_s["p50_ms"] / bare_s["p50_ms"], 2),
        "p99_ratio": round(bot_s["p99_ms"] / bare_s["p99_ms"], 2),
        "median_pair_ratio": round(percentile(pair_ratios, 50), 2),
        "errors": errors,
    }


def run_concurrent(port: int, makes: list[Callable[[], client.Request]], total: int) -> dict[str, Any]:
    """CLIENTS threads, each on its own keep-alive connection, share `total` requests."""
    lock = threading.Lock()
    remaining = [total]
    errors = [0]
    times: list[float] = []

    def worker(index: int) -> None:
        conn = client.Connection(port, SECRET)
        n = index
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                response = conn.send(makes[n % len(makes)]())
                n += 1
                with lock:
                    times.append(response.seconds)
                    errors[0] += not ok(response)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"requests": total, "seconds": elapsed, "errors": errors[0], "times": times}


def concurrency(
    bot: Server, bare: Server, makes: list[Callable[[], client.Request]], total: int
) -> dict[str, Any]:
    """Two rounds each, bot and bare alternating, so a slow moment of the machine hits both."""
    out: dict[str, Any] = {}
    rounds: dict[str, list[dict[str, Any]]] = {"bot": [], "bare": []}
    cpu = {"bot": 0.0, "bare": 0.0}
    for _ in range(2):
        for label, server in (("bot", bot), ("bare", bare)):
            before = server.cpu_seconds()
            rounds[label].append(run_concurrent(server.port, makes, total // 2))
            cpu[label] += server.cpu_seconds() - before
    for label, runs in rounds.items():
        seconds = sum(r["seconds"] for r in runs)
        times = [t for r in runs for t in r["times"]]
        out[label] = {
            "requests": sum(r["requests"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            "throughput_rps": round(sum(r["requests"] for r in runs) / seconds, 1),
            "server_cpu_ms_per_request": round(cpu[label] * 1000 / sum(r["requests"] for r in runs), 3),
            **summary(times),
        }
    out["throughput_ratio"] = round(out["bot"]["throughput_rps"] / out["bare"]["throughput_rps"], 2)
    return out


def _command_maker(word: str) -> Callable[[], client.Request]:
    return lambda: client.command(word)


def probe_command(conn: client.Connection, text: str) -> str:
    """'' when the bot answers `/ivb <text>` with something of its own; else why the scenario is skipped."""
    response = conn.send(client.command(text))
    if response.status != 200:
        return f"/ivb {text} answered HTTP {response.status}"
    if UNKNOWN_MARKER.encode() in response.body:
        return f"the bot does not know `/ivb {text}` yet (it answers with help)"
    # A failure answer is not a reason to skip: the scenario runs and its errors are counted.
    return ""


class WebApi(OfflineWebApi):
    """The offline Web API stand-in, counting calls per method (the Home-tab probe needs them)."""

    def __init__(self) -> None:
        super().__init__(on_call=self._count)
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def _count(self, call: Call) -> None:
        with self._lock:
            self._counts[call.method] = self._counts.get(call.method, 0) + 1

    def count(self, method: str) -> int:
        with self._lock:
            return self._counts.get(method, 0)


def probe_home(conn: client.Connection, fake: WebApi) -> str:
    """'' when an app_home_opened event makes the bot publish a view (in the request or lazily)."""
    before = fake.count("views.publish")
    response = conn.send(client.app_home_opened())
    if response.status != 200:
        return f"app_home_opened answered HTTP {response.status}"
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if fake.count("views.publish") > before:
            return ""
        time.sleep(0.02)
    return "the bot has no Home tab yet (app_home_opened publishes no view)"


@dataclass
class Plan:
    smoke: bool
    pairs: int
    warmup: int
    concurrent_total: int
    digest_runs: int


def plan_for(args: argparse.Namespace) -> Plan:
    if args.smoke:
        return Plan(
            True, pairs=args.pairs or 5, warmup=2, concurrent_total=args.concurrent or 32, digest_runs=2
        )
    return Plan(
        False, pairs=args.pairs or 300, warmup=30, concurrent_total=args.concurrent or 2000, digest_runs=15
    )


def fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def trio(figures: dict[str, float]) -> str:
    return f"{fmt(figures['p50_ms'])} / {fmt(figures['p99_ms'])} / {fmt(figures['max_ms'])}"


def _load_row(figures: dict[str, Any]) -> str:
    return (
        f"{figures['throughput_rps']} req/s, {figures['errors']} errors, "
        f"p50 / p99 {fmt(figures['p50_ms'])} / {fmt(figures['p99_ms'])}, "
        f"server CPU {figures['server_cpu_ms_per_request']:.2f} ms/req"
    )


def table(report: dict[str, Any]) -> str:
    lines = [
        "| scenario | database | VGG-bot p50 / p99 / max (ms) | bare Bolt p50 / p99 / max (ms)"
        " | ratio p50 / p99 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in report["scenarios"]:
        if s.get("skipped"):
            lines.append(f"| {s['name']} | {s['database']} | skipped: {s['skipped']} | | |")
            continue
        ratio = f"{s['p50_ratio']:.2f}× / {s['p99_ratio']:.2f}×"
        lines.append(f"| {s['name']} | {s['database']} | {trio(s['bot'])} | {trio(s['bare'])} | {ratio} |")
    c = report["concurrency"]
    lines.append(
        f"| {CLIENTS} clients, {c['bot']['requests']} requests ({c['mix']}) | realistic"
        f" | {_load_row(c['bot'])} | {_load_row(c['bare'])}"
        f" | {c['throughput_ratio']:.2f}× throughput |"
    )
    m = report["memory_mb"]
    lines.append(
        "| resident memory idle / after load (MB) | realistic"
        f" | {m['bot_idle']:.1f} / {m['bot_after_load']:.1f}"
        f" | {m['bare_idle']:.1f} / {m['bare_after_load']:.1f} | |"
    )
    st = report["startup_s"]
    lines.append(
        "| start to healthy /health (s) | realistic / large"
        f" | {st['bot_realistic']:.2f} / {st['bot_large']:.2f} | {st['bare']:.2f} | |"
    )
    d = report["digest"]
    if d.get("skipped"):
        lines.append(f"| digest build | large | skipped: {d['skipped']} | | |")
    else:
        lines.append(f"| digest build ({d['how']}, {d['runs']} runs) | large | {trio(d)} | | |")
    lines += ["", "| target | limit | measured | met |", "| --- | --- | --- | --- |"]
    for t in report["targets"]:
        met = "n/a" if t["met"] is None else ("yes" if t["met"] else "NO")
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(f"| {t['name']} | {t['limit']} | {t['value']}{note} | {met} |")
    return "\n".join(lines)


def _latency_targets(report: dict[str, Any]) -> list[Target]:
    """Issue 14's: VGG-bot's kept answers cost little more than Bolt itself, on either database."""
    by_name = {s["name"]: s for s in report["scenarios"]}
    v = by_name["/ivb volgende"]
    targets = [
        Target("/ivb volgende p50 vs bare", "≤ 1.2×", f"{v['p50_ratio']:.2f}×", v["p50_ratio"] <= 1.2),
        Target("/ivb volgende p99 vs bare", "≤ 1.5×", f"{v['p99_ratio']:.2f}×", v["p99_ratio"] <= 1.5),
    ]
    for name in ("/ivb open", "/ivb kalender"):
        s = by_name[name]
        if s.get("skipped"):
            targets.append(
                Target(f"{name} (large) p50 vs bare", "≤ 1.5×", "not measured", None, s["skipped"])
            )
            targets.append(Target(f"{name} (large) p99", "< 100 ms", "not measured", None, s["skipped"]))
            continue
        p50, p99 = s["p50_ratio"], s["bot"]["p99_ms"]
        targets.append(Target(f"{name} (large) p50 vs bare", "≤ 1.5×", f"{p50:.2f}×", p50 <= 1.5))
        targets.append(Target(f"{name} (large) p99", "< 100 ms", f"{fmt(p99)} ms", p99 < 100))
    return targets


def evaluate(report: dict[str, Any], smoke: bool) -> list[Target]:
    """Every target (issue 6's, tightened by issue 14); in a smoke run only "no errors" counts (tiny
    sizes say nothing of speed)."""
    c = report["concurrency"]
    errors = c["bot"]["errors"] + c["bare"]["errors"]
    errors += sum(s["errors"]["bot"] + s["errors"]["bare"] for s in report["scenarios"] if not s["skipped"])
    targets = [Target("no errors in any scenario", "0", str(errors), errors == 0)]
    if smoke:
        return targets
    targets += _latency_targets(report)
    ratio = c["throughput_ratio"]
    targets.append(
        Target(f"{CLIENTS} clients: throughput vs bare", "≥ 60%", f"{ratio * 100:.0f}%", ratio >= 0.6)
    )
    d = report["digest"]
    if d.get("skipped"):
        targets.append(Target("digest build (large)", "< 200 ms", "not measured", None, d["skipped"]))
    else:
        p99 = d["p99_ms"]
        targets.append(Target("digest build (large), p99", "< 200 ms", f"{fmt(p99)} ms", p99 < 200))
    idle = report["memory_mb"]["bot_idle"]
    targets.append(Target("idle resident memory", "< 150 MB", f"{idle:.1f} MB", idle < 150))
    return targets


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return "?"
    return out.stdout.strip() or "?"


def _bot_phase(
    db_name: str,
    *,
    url: str,
    scenarios: list[Scenario],
    bare: Server,
    bare_conn: client.Connection,
    ctx: dict[str, Any],
) -> None:
    """One VGG-bot process on one database: its scenarios, and on the realistic one load and memory."""
    plan: Plan = ctx["plan"]
    fake: WebApi = ctx["fake"]
    report: dict[str, Any] = ctx["report"]
    port = _free_port()
    argv = [*_vggbot_command(), "run", "--http", "--host", "127.0.0.1", "--port", str(port)]
    bot = start_server(f"bot-{db_name}", argv, _env(url, fake.url), port, ctx["workdir"])
    try:
        report["startup_s"][f"bot_{db_name}"] = round(bot.healthy_after, 3)
        bot_conn = client.Connection(port, SECRET)
        for scenario in (s for s in scenarios if s.database == db_name):
            if scenario.name == "app_home_opened":
                scenario.skipped = probe_home(bot_conn, fake)
            else:
                scenario.skipped = probe_command(bot_conn, scenario.name.removeprefix("/ivb "))
            if scenario.skipped:
                print(f"bench: skipping {scenario.name}: {scenario.skipped}", file=sys.stderr)
                continue
            run_pairs(scenario, bot_conn, bare_conn, warmup=plan.warmup, pairs=plan.pairs)
            print(f"bench: {scenario.name}: {scenario.results}", file=sys.stderr)
        if db_name == "realistic":
            memory = report["memory_mb"]
            memory["bot_idle"], memory["bare_idle"] = round(bot.rss_mb(), 1), round(bare.rss_mb(), 1)
            # A mix of the commands officials use, on the realistic database.
            words = ["volgende", "kalender"]
            if not probe_command(bot_conn, "open"):
                words.append("open")
            makes = [_command_maker(word) for word in words]
            report["concurrency"] = concurrency(bot, bare, makes, plan.concurrent_total)
            report["concurrency"]["mix"] = ", ".join(f"/ivb {w}" for w in words)
            print(f"bench: concurrency: {report['concurrency']}", file=sys.stderr)
            memory["bot_after_load"], memory["bare_after_load"] = (
                round(bot.rss_mb(), 1),
                round(bare.rss_mb(), 1),
            )
        bot_conn.close()
    finally:
        bot.stop()


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    plan = plan_for(args)
    now = datetime.now(UTC)
    report: dict[str, Any] = {
        "date": now.isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "smoke": plan.smoke,
        "backend": "postgresql" if args.database_url else "sqlite",
        "http_threads": HTTP_THREADS,
        "databases": {},
        "memory_mb": {},
        "startup_s": {},
    }
    sizes = (TINY_REALISTIC, TINY_LARGE) if plan.smoke else (REALISTIC, LARGE)
    scenarios = [
        Scenario("/ivb volgende", "realistic", _command_maker("volgende")),
        Scenario("/ivb open", "large", _command_maker("open")),
        Scenario("/ivb kalender", "large", _command_maker("kalender")),
        Scenario("app_home_opened", "large", client.app_home_opened),
    ]
    with tempfile.TemporaryDirectory(prefix="vggbench-") as tmp, WebApi() as fake:
        dbs = Databases(tmp, args.database_url, prefix=args.database_prefix)
        try:
            urls: dict[str, str] = {}
            for size in sizes:
                started = time.perf_counter()
                urls[size.name], counts = dbs.build(size, now=now)
                built = {**counts, "build_s": round(time.perf_counter() - started, 2)}
                report["databases"][size.name] = built
                print(f"bench: {size.name} database: {built}", file=sys.stderr)
            bare_port = _free_port()
            bare_argv = [sys.executable, "-m", "bench.bare_app", "--port", str(bare_port)]
            bare = start_server("bare", bare_argv, _env(urls["realistic"], fake.url), bare_port, Path(tmp))
            try:
                report["startup_s"]["bare"] = round(bare.healthy_after, 3)
                bare_conn = client.Connection(bare_port, SECRET)
                ctx = {"plan": plan, "fake": fake, "report": report, "workdir": Path(tmp)}
                for db_name in ("realistic", "large"):
                    _bot_phase(
                        db_name,
                        url=urls[db_name],
                        scenarios=scenarios,
                        bare=bare,
                        bare_conn=bare_conn,
                        ctx=ctx,
                    )
                bare_conn.close()
            finally:
                bare.stop()
            report["scenarios"] = [
                {"name": s.name, "database": s.database, "skipped": s.skipped, **s.results} for s in scenarios
            ]
            report["digest"] = measure_digest(urls["large"], now=now, runs=plan.digest_runs)
        finally:
            dbs.drop_all()
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["targets"] = [t.__dict__ for t in evaluate(report, plan.smoke)]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="tiny databases, a few requests; only errors count"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"), help="where to write the JSON")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server URL to build the databases on (default: SQLite files)",
    )
    parser.add_argument(
        "--database-prefix",
        default="vggbench_",
        help="PostgreSQL: the benchmark's database names start with this (default vggbench_)",
    )
    parser.add_argument("--pairs", type=int, default=0, help="measured request pairs per scenario")
    parser.add_argument("--concurrent", type=int, default=0, help="requests per server at 16 clients")
    args = parser.parse_args(argv)
    report = benchmark(args)
    print(table(report))
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nfigures written to {args.out}")
    missed = [t for t in report["targets"] if t["met"] is False]
    if missed:
        print("targets missed: " + ", ".join(t["name"] for t in missed), file=sys.stderr)
        return 1
    return 0
