"""The chaos run: 16 clients against two `vggbot run --http` processes on one PostgreSQL database, while
processes are killed with kill -9 and restarted and PostgreSQL stops (through a TcpProxy: every
connection reset, new ones refused) — and afterwards nothing is lost, nothing is doubled, and everyone
who met a failure was told.

Each client sends, with a title nobody else uses, `/ivb voorstel «titel»`, a DM `agendapunt: «titel»`
or a new-proposal form, or it clicks a button (an action point that does not exist) or asks
`/ivb volgende`. The scheduler runs in every process: a digest slot and a meeting reminder fall due
during the run.

What "confirmed" and "told" mean, per request (checked for every one):

- command: the acknowledgement (the HTTP answer) names the title as ingediend: *confirmed*; it says
  "tijdelijk niet beschikbaar": *told*.
- form: an empty acknowledgement closes the form; then the author's DM gets a post naming the title:
  *confirmed*. `response_action: errors` saying "tijdelijk niet beschikbaar": *told* (the form stays
  open with what was typed).
- DM event: acknowledged, then the DM gets a post naming the title (*confirmed*) or saying the message
  was not processed, "tijdelijk niet beschikbaar" (*told*).
- click: acknowledged, then an ephemeral message to the clicker in that channel: the refusal (the action
  point does not exist; *answered*) or "tijdelijk niet beschikbaar" (*told*).
- any kind, when PostgreSQL went away while the request's COMMIT was on its way: the answer (in the
  acknowledgement, on the form, in the DM) says "misschien is het gelukt" and to look in
  `/ivb open mijn` first: *told it may be stored*. Such a title may be stored, once.
- no acknowledgement at all (the process was killed with the request in it: connection reset or
  refused): an event is resent as Slack does, with `X-Slack-Retry-Num` 1, 2, 3, and judged by the
  acknowledged attempt, which must exist. A command, form or click is not retried by Slack: Slack shows
  the user its own error (`operation_timeout`, the form says it could not reach the app), so the user
  is *told by Slack*. A form whose author's DM names the title afterwards is *confirmed* all the same.
  Such a request may still be stored, when the process died between its COMMIT and its answer (counted
  as "stored unacknowledged"): stored once and reviewed once like any other; a second try by the user
  is asked "Toch nog een keer?" rather than filed twice.

Then, once the survivors have drained their outbox and every scheduled post is settled (polled, with a
deadline):
- every confirmed title is stored exactly once; no title is stored twice;
- a title *told* "tijdelijk niet beschikbaar" is not stored (the message said nothing was saved);
- every stored proposal has exactly one review post in the review channel, and every confirmation by
  DM was posted once;
- the digest and the reminder were each posted exactly once.
"""

from __future__ import annotations

import http.client
import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from bot.blocks import ids
from storage.db import make_engine, make_session_factory
from storage.models import AgendaProposal, OutboxMessage, PostSlot
from tests.conftest import AMS, SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.factories import add_meeting
from tests.support.proposal_helpers import view_submission
from tests.support.slackclient import HttpResult, SlackSender
from tests.support.tcpproxy import TcpProxy
from tests.support.waiting import wait_for

CLIENTS = 16
PROCESSES = 2
REVIEW_CHANNEL = "C0REVIEW01"
DIGEST_CHANNEL = "C0DIGEST01"
REMINDER_CHANNEL = "C0REMIND01"
UNAVAILABLE = "tijdelijk niet beschikbaar"
NOT_PROCESSED = "niet verwerkt"
MAYBE_STORED = "misschien is het gelukt"
SLACK_RETRIES = 3
# Slack's (and the kernel's) ways of saying "no answer": refused, reset, closed without a status line.
NO_ANSWER = (OSError, http.client.HTTPException)

# How a request ended, as its author saw it.
CONFIRMED = "confirmed"
TOLD = "told"
TOLD_MAYBE = "told it may be stored"  # the database went away during COMMIT
ANSWERED = "answered"  # a click's refusal, a /ivb volgende
TOLD_BY_SLACK = "told by Slack"  # not acknowledged; Slack shows the user an error itself
ACCEPTED = "accepted"  # acknowledged; what the user reads comes after (DM, ephemeral)
OTHER = "other"


@dataclass(frozen=True)
class Scenario:
    seconds: float
    kills: tuple[float, ...]  # seconds into the run: kill -9 one process, start a new one
    stop: tuple[float, float]  # PostgreSQL away from .. to (seconds into the run)
    digest_at: float
    reminder_at: float


@dataclass
class Request:
    n: int
    kind: str  # command | dm | form | click | read
    title: str = ""
    user: str = ""
    channel: str = ""
    outcome: str = ""
    detail: str = ""
    retries: int = 0
    pid: int = 0  # the process that acknowledged it
    acked_at: float = 0.0


@dataclass
class Run:
    """The processes (replaced as they are killed), and every request the clients sent."""

    env: dict[str, str]
    cwd: Path
    procs: list[BotProcess] = field(default_factory=list)
    dead: list[BotProcess] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    kills: int = 0
    killed_at: dict[int, float] = field(default_factory=dict)

    def start(self) -> None:
        proc = BotProcess(self.env, self.cwd)
        with self.lock:
            self.procs.append(proc)

    def kill_one(self, rng: random.Random) -> None:
        with self.lock:
            victim = rng.choice(self.procs)
            self.procs.remove(victim)
            self.dead.append(victim)
        victim.sigkill()
        self.killed_at[victim.proc.pid] = time.monotonic()
        self.kills += 1
        self.start()

    def sender(self, rng: random.Random) -> SlackSender:
        """A live process, as a load balancer picks one (a process just killed may still be picked)."""
        with self.lock:
            proc = rng.choice(self.procs)
        sender = SlackSender(proc.base_url, SECRET)
        sender.pid = proc.proc.pid  # type: ignore[attr-defined]
        return sender


_numbers = itertools.count(1)


def _title(kind: str, n: int) -> str:
    return f"Chaos {kind} {n:05d}"


def send_command(slack: SlackSender, req: Request) -> None:
    result = slack.command(f"voorstel {req.title}", user_id=req.user)
    req.outcome, req.detail = _judge_body(result, lambda body: f"«{req.title}»" in body, CONFIRMED)


def send_read(slack: SlackSender, req: Request) -> None:
    result = slack.command("volgende", user_id=req.user)
    req.outcome, req.detail = _judge_body(result, lambda body: "vergadering" in body, ANSWERED)


def send_form(slack: SlackSender, req: Request) -> None:
    result = view_submission(slack, ids.NEW_PROPOSAL_VIEW, {ids.TITLE_BLOCK: req.title}, user=req.user)
    if result.status != 200:
        req.outcome, req.detail = OTHER, f"{result.status} {result.body[:200]}"
    elif not result.body:
        req.outcome = ACCEPTED
    elif result.json().get("response_action") == "errors" and UNAVAILABLE in str(result.json()["errors"]):
        req.outcome = TOLD
    elif result.json().get("response_action") == "errors" and MAYBE_STORED in str(result.json()["errors"]):
        req.outcome = TOLD_MAYBE
    else:
        req.outcome, req.detail = OTHER, result.body[:200]


def send_click(slack: SlackSender, req: Request) -> None:
    result = slack.block_action(ids.COMPLETE_ACTION, "999999", user_id=req.user, channel_id=req.channel)
    req.outcome = ACCEPTED if result.status == 200 else OTHER
    req.detail = f"{result.status} {result.body[:200]}"


def _judge_body(result: HttpResult, good: Callable[[str], bool], if_good: str) -> tuple[str, str]:
    """A command's acknowledgement: its text and blocks."""
    if result.status != 200:
        return OTHER, f"{result.status} {result.body[:200]}"
    text = str(result.json().get("text", "")) + str(result.json().get("blocks", ""))
    if UNAVAILABLE in text:
        return TOLD, ""
    if MAYBE_STORED in text:
        return TOLD_MAYBE, ""
    return (if_good, "") if good(text) else (OTHER, text[:200])


def dm_event(req: Request) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": req.user,
        "channel": req.channel,
        "text": f"agendapunt: {req.title}",
        "ts": f"1700000000.{req.n:06d}",
    }


def send_dm(run: Run, rng: random.Random, req: Request) -> None:
    """A DM event; not acknowledged, it comes again as Slack sends it again (X-Slack-Retry-Num)."""
    event_id = f"EvCHAOS{req.n:08d}"
    for retry in range(SLACK_RETRIES + 1):
        slack = run.sender(rng)
        try:
            result = slack.event(dm_event(req), event_id=event_id, retry_num=retry or None)
        except NO_ANSWER as exc:
            req.retries, req.detail = retry + 1, type(exc).__name__
            continue
        req.outcome = ACCEPTED if result.status == 200 else OTHER
        req.detail = f"{result.status} {result.body[:200]}"
        req.pid, req.acked_at = slack.pid, time.monotonic()  # type: ignore[attr-defined]
        return
    req.outcome = OTHER  # Slack gives up after three retries: lost


SENDERS: dict[str, Callable[[SlackSender, Request], None]] = {
    "command": send_command,
    "form": send_form,
    "click": send_click,
    "read": send_read,
}
# What an office does, weighted towards proposals (they are what can be lost or doubled).
MIX = ["command"] * 3 + ["dm"] * 3 + ["form"] * 3 + ["click", "read"]


def client(run: Run, n: int, stop_at: float) -> None:
    rng = random.Random(n)
    while time.monotonic() < stop_at:
        number = next(_numbers)
        kind = rng.choice(MIX)
        req = Request(number, kind, user=f"U0CH{number:06d}", channel=f"D0CH{number:06d}")
        if kind in {"command", "dm", "form"}:
            req.title = _title(kind, number)
        if kind == "click":
            req.channel = f"C0CK{number:06d}"
        with run.lock:
            run.requests.append(req)
        if kind == "dm":
            send_dm(run, rng, req)
            continue
        slack = run.sender(rng)
        try:
            SENDERS[kind](slack, req)
        except NO_ANSWER as exc:
            req.outcome, req.detail = TOLD_BY_SLACK, type(exc).__name__
        else:
            req.pid, req.acked_at = slack.pid, time.monotonic()  # type: ignore[attr-defined]


def drive(run: Run, proxy: TcpProxy, scenario: Scenario) -> None:
    """The clients for `scenario.seconds`, the kills and the PostgreSQL stop at their moments."""
    start = time.monotonic()
    stop_at = start + scenario.seconds
    threads = [threading.Thread(target=client, args=(run, n, stop_at)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    rng = random.Random(99)
    plan: list[tuple[float, Callable[[], None]]] = [(at, lambda: run.kill_one(rng)) for at in scenario.kills]
    plan += [(scenario.stop[0], proxy.cut), (scenario.stop[1], proxy.restore)]
    for at, act in sorted(plan, key=lambda p: p[0]):
        # The load generator's own timeline (not an assertion): wait for the next fault's moment.
        time.sleep(max(0.0, start + at - time.monotonic()))
        act()
    for t in threads:
        t.join(scenario.seconds + 60)


# --- afterwards --------------------------------------------------------------------------------


def stored_titles(engine: Engine) -> Counter[str]:
    with make_session_factory(engine).begin() as s:
        return Counter(s.scalars(select(AgendaProposal.title).where(AgendaProposal.title.like("Chaos %"))))


def settled(engine: Engine) -> bool:
    """Nothing waits in the outbox and no scheduled post is half-done: no post can still come."""
    with make_session_factory(engine).begin() as s:
        waiting = s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(["pending", "sending"]))
        )
        open_slots = s.scalar(select(func.count()).select_from(PostSlot).where(PostSlot.status == "claimed"))
        slots = s.scalar(select(func.count()).select_from(PostSlot))
    return waiting == 0 and open_slots == 0 and (slots or 0) >= 2


def posts_naming(fake: FakeSlack, channel: str, title: str) -> list[str]:
    return [m["text"] for m in fake.posted(channel) if f"«{title}»" in m["text"]]


def ephemerals(fake: FakeSlack) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for call in fake.calls_to("chat.postEphemeral"):
        key = (str(call.args.get("channel")), str(call.args.get("user")))
        found.setdefault(key, []).append(str(call.args.get("text", "")))
    return found


def final_outcome(req: Request, fake: FakeSlack, clicks: dict[tuple[str, str], list[str]]) -> str:
    """What the author of an acknowledged request read afterwards (see the module's docstring)."""
    unacked_form = req.kind == "form" and req.outcome == TOLD_BY_SLACK  # its DM may still come
    if req.outcome != ACCEPTED and not unacked_form:
        return req.outcome
    if req.kind == "click":
        said = clicks.get((req.channel, req.user), [])
        if any(UNAVAILABLE in text for text in said):
            return TOLD
        return ANSWERED if said else ACCEPTED
    dm = req.channel if req.kind == "dm" else "D" + req.user[1:]
    texts = [m["text"] for m in fake.posted(dm)]
    if any(f"«{req.title}»" in text for text in texts):
        return CONFIRMED
    if any(NOT_PROCESSED in text and UNAVAILABLE in text for text in texts):
        return TOLD
    if any(MAYBE_STORED in text for text in texts):
        return TOLD_MAYBE
    return req.outcome


def diagnose(run: Run, engine: Engine) -> str:
    with make_session_factory(engine).begin() as s:
        outbox = s.execute(select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.last_error)).all()
        slots = s.execute(select(PostSlot.kind, PostSlot.slot_key, PostSlot.status)).all()
    waiting = Counter((kind, status, error) for kind, status, error in outbox if status != "sent")
    logs = [
        line
        for proc in run.procs + run.dead
        for line in proc.log_lines
        if "ERROR" in line or "WARNING" in line
    ]
    return f"not drained: outbox {dict(waiting)}, slots {slots}\n" + "".join(logs[-40:])


def drained(run: Run, engine: Engine, fake: FakeSlack) -> bool:
    if not settled(engine):
        return False
    clicks = ephemerals(fake)
    return all(final_outcome(r, fake, clicks) != ACCEPTED for r in run.requests)


def chaos(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack, scenario: Scenario) -> None:
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    now = datetime.now(AMS).replace(microsecond=0)
    with make_session_factory(direct).begin() as s:
        for weeks in (6, 10):
            add_meeting(s, "ivb", now + timedelta(weeks=weeks))
        # Its reminder is due an hour before it starts (REMINDER_TIME is later that day): during the run.
        add_meeting(s, "kob", now + timedelta(hours=1, seconds=scenario.reminder_at + 5))
    digest_at = (now + timedelta(seconds=scenario.digest_at + 5)).replace(tzinfo=None)
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        env = bot_env(
            proxied,
            fake_slack.url,
            REVIEW_CHANNEL=REVIEW_CHANNEL,
            DIGEST_CHANNEL=DIGEST_CHANNEL,
            DIGEST_START=digest_at.isoformat(),
            DIGEST_INTERVAL_DAYS="14",
            DIGEST_HOLIDAYS="post",
            OVERLEG_CHANNELS=f"kob:{REMINDER_CHANNEL}",
            REMINDER_TIME="23:59:59",
            SCHEDULER_POLL_SECONDS="1",
            OUTBOX_POLL_SECONDS="1",
            SLOT_CLAIM_TIMEOUT_MINUTES="0.5",
            OUTBOX_LEASE_SECONDS="15",
        )
        run = Run(env, tmp_path)
        try:
            for _ in range(PROCESSES):
                run.start()
            drive(run, proxy, scenario)
            try:
                wait_for(lambda: drained(run, direct, fake_slack), timeout=120, what="the survivors to drain")
            except AssertionError:
                print(diagnose(run, direct))  # then check() names what is missing
        finally:
            for proc in run.procs + run.dead:
                proc.kill()
                (tmp_path / f"bot-{proc.proc.pid}.log").write_text(proc.log)  # for a post-mortem
    check(run, direct, fake_slack, scenario)
    direct.dispose()


def check(run: Run, engine: Engine, fake: FakeSlack, scenario: Scenario) -> None:
    stored = stored_titles(engine)
    clicks = ephemerals(fake)
    outcomes = {req.n: final_outcome(req, fake, clicks) for req in run.requests}
    proposals = [r for r in run.requests if r.title]
    confirmed = [r for r in proposals if outcomes[r.n] == CONFIRMED]
    told = [r for r in run.requests if outcomes[r.n] in {TOLD, TOLD_MAYBE, TOLD_BY_SLACK}]
    review = fake.posted(REVIEW_CHANNEL)
    unacknowledged = [r for r in told if outcomes[r.n] == TOLD_BY_SLACK and stored[r.title]]
    print(
        f"\nchaos {scenario.seconds:.0f}s x {CLIENTS} clients, {run.kills} x kill -9, "
        f"PostgreSQL away {scenario.stop[1] - scenario.stop[0]:.0f}s: {len(run.requests)} requests "
        f"({len(proposals)} proposals), {sum(stored.values())} stored, {len(confirmed)} confirmed, "
        f"{len(told)} told ({sum(outcomes[r.n] == TOLD_BY_SLACK for r in told)} by Slack), "
        f"{sum(r.retries for r in run.requests)} event retries, "
        f"{len(unacknowledged)} stored unacknowledged; posts: {len(review)} review, "
        f"{len(fake.posted(DIGEST_CHANNEL))} digest, {len(fake.posted(REMINDER_CHANNEL))} reminder; "
        f"outcomes {dict(Counter(outcomes.values()))}"
    )
    wrong = [r for r in run.requests if outcomes[r.n] in {OTHER, ACCEPTED}]
    assert not wrong, [
        (r.kind, r.title, outcomes[r.n], r.detail, run.killed_at.get(r.pid, 0) - r.acked_at)
        for r in wrong[:10]
    ]
    assert [t for t, count in stored.items() if count > 1] == [], "a title stored twice"
    lost = [r.title for r in confirmed if stored[r.title] != 1]
    assert lost == [], "confirmed but not stored"
    told_but_stored = [r.title for r in told if r.title and stored[r.title] and outcomes[r.n] == TOLD]
    assert told_but_stored == [], "told nothing was stored, yet it was"
    for title in stored:
        assert len(posts_naming(fake, REVIEW_CHANNEL, title)) == 1, f"review posts of {title}"
    for r in confirmed:
        if r.kind != "command":
            dm = r.channel if r.kind == "dm" else "D" + r.user[1:]
            assert len(posts_naming(fake, dm, r.title)) == 1, f"confirmations of {r.title}"
    with make_session_factory(engine).begin() as s:
        given_up = s.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "given_up")
        )
    assert given_up == 0, "the outbox gave up on a message"
    assert len(fake.posted(DIGEST_CHANNEL)) == 1, "the digest"
    assert len(fake.posted(REMINDER_CHANNEL)) == 1, "the reminder"
    assert len(confirmed) > 0
    assert len(told) > 0


@pytest.mark.postgres
@pytest.mark.timeout(360)
def test_chaos_short(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """12 s of 16 clients, one kill -9 and a 4-s PostgreSQL stop: every confirmed proposal stored once
    and reviewed once, the digest and the reminder posted once, everyone who met a failure told."""
    chaos(
        postgres_url,
        tmp_path,
        fake_slack,
        Scenario(12, kills=(3.0,), stop=(6.0, 10.0), digest_at=4, reminder_at=7),
    )


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.timeout(600)
def test_chaos_sustained(postgres_url: str, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """60 s of 16 clients, four kill -9 restarts and a 20-s PostgreSQL stop: as the short run."""
    chaos(
        postgres_url,
        tmp_path,
        fake_slack,
        Scenario(60, kills=(6.0, 14.0, 46.0, 54.0), stop=(20.0, 40.0), digest_at=10, reminder_at=30),
    )
