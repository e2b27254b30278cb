"""Action points' owners hear by DM: the day before the due date and once when it is overdue, each
exactly once however many replicas run; a moved due date gets its own DM; done ones get none."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from itertools import chain
from threading import Barrier

import pytest
from sqlalchemy import select

from bot.blocks import ids
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from bot.schedule.jobs import action_dms_job, due_posts_job
from bot.services import action_reminders
from bot.services.action_reminders import ACTION_DUE_TOMORROW, ACTION_OVERDUE
from storage.db import make_engine, make_session_factory
from storage.models import ActionPoint, ActionStatus, Overleg, PostSlot
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack
from tests.support.proposal_helpers import button_values, posts
from tests.support.slackclient import SlackSender

OWNER = "U0OWNER0001"
OWNER_DM = "D" + OWNER[1:]
OTHER = "U0OWNER0002"
DUE = date(2023, 10, 20)  # a Friday
DAY_BEFORE = datetime(2023, 10, 19, 8, 0, tzinfo=AMS)  # REMINDER_TIME on the Thursday
DAY_AFTER = datetime(2023, 10, 21, 8, 0, tzinfo=AMS)


def _add(deps: Deps, text: str, *, owner: str = OWNER, due: date = DUE, done: bool = False) -> int:
    with deps.sessions.begin() as s:
        ivb = s.scalar(select(Overleg.id).where(Overleg.key == "ivb"))
        assert ivb is not None
        point = ActionPoint(
            overleg_id=ivb,
            text=text,
            owner_id=owner,
            due_date=due,
            status=ActionStatus.AFGEROND if done else ActionStatus.OPEN,
            created_by="U0ADMIN0001",
        )
        s.add(point)
        s.flush()
        return point.id


@pytest.fixture
def replica(deps: Deps) -> Iterator[Deps]:
    """A second process on the same database."""
    engine = make_engine(deps.settings.database_url)
    yield Deps(settings=deps.settings, engine=engine, sessions=make_session_factory(engine), clock=deps.clock)
    engine.dispose()


def test_day_before_dm_goes_once_on_two_replicas(deps: Deps, replica: Deps, fake_slack: FakeSlack) -> None:
    """Two replicas run the job at the same moment, then again: the owner gets one DM, with Afgerond
    and a date picker for a new due date."""
    point = _add(deps, "Evaluatie <jaarwisseling> rondsturen")
    barrier = Barrier(2)

    def run(each: Deps) -> list[str]:
        barrier.wait()
        return [o.status for o in action_dms_job(each, make_web_client(each.settings), DAY_BEFORE)]

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(chain.from_iterable(pool.map(run, [deps, replica])))
    assert statuses[-1] == "posted"
    assert statuses.count("posted") == 1
    # Later runs pass a sent DM over without claiming it again.
    assert action_dms_job(replica, make_web_client(deps.settings), DAY_BEFORE + timedelta(hours=3)) == []
    (dm,) = posts(fake_slack, OWNER_DM)
    assert "Morgen (vr 20 okt) is de deadline" in dm["blocks"][0]["text"]["text"]
    assert "Evaluatie &lt;jaarwisseling&gt; rondsturen" in dm["blocks"][0]["text"]["text"]
    assert button_values(dm, ids.COMPLETE_ACTION) == [str(point)]
    picker = dm["blocks"][1]["elements"][1]
    assert (picker["action_id"], picker["initial_date"]) == (ids.MOVE_ACTION_DUE, "2023-10-20")
    assert dm["text"].startswith("Morgen deadline:")


def test_not_before_the_reminder_time_and_not_on_the_due_day(deps: Deps, fake_slack: FakeSlack) -> None:
    """At 07:59 the day before nothing goes; on the due day itself (not late yet) nothing either."""
    _add(deps, "Notitie")
    client = make_web_client(deps.settings)
    assert action_dms_job(deps, client, DAY_BEFORE - timedelta(minutes=1)) == []
    assert action_dms_job(deps, client, datetime(2023, 10, 20, 9, 0, tzinfo=AMS)) == []
    assert posts(fake_slack, OWNER_DM) == []


def test_overdue_dm_goes_once(deps: Deps, replica: Deps, fake_slack: FakeSlack) -> None:
    """The morning after the due date the owner hears it is late, once; the days after, nothing more."""
    _add(deps, "Notitie")
    client = make_web_client(deps.settings)
    assert [o.status for o in action_dms_job(deps, client, DAY_AFTER)] == ["posted"]
    assert action_dms_job(replica, client, DAY_AFTER) == []
    assert action_dms_job(deps, client, DAY_AFTER + timedelta(days=2)) == []
    (dm,) = posts(fake_slack, OWNER_DM)
    assert "*Te laat:* je actiepunt stond op uiterlijk vr 20 okt" in dm["blocks"][0]["text"]["text"]
    with deps.sessions.begin() as s:
        kinds = list(s.scalars(select(PostSlot.kind).where(PostSlot.channel == OWNER)))
    assert kinds == [ACTION_OVERDUE]


def test_a_moved_due_date_gets_a_new_day_before_dm(deps: Deps, fake_slack: FakeSlack) -> None:
    """Reminded for the 20th, then moved to the 27th: a new DM on the 26th, for the new date."""
    point = _add(deps, "Notitie")
    client = make_web_client(deps.settings)
    assert [o.status for o in action_dms_job(deps, client, DAY_BEFORE)] == ["posted"]
    with deps.sessions.begin() as s:
        s.get_one(ActionPoint, point).due_date = date(2023, 10, 27)
    assert action_dms_job(deps, client, DAY_AFTER) == []  # the 20th is no longer its due date
    moved = datetime(2023, 10, 26, 8, 0, tzinfo=AMS)
    assert [o.status for o in action_dms_job(deps, client, moved)] == ["posted"]
    first, second = posts(fake_slack, OWNER_DM)
    assert "vr 20 okt" in first["blocks"][0]["text"]["text"]
    assert "vr 27 okt" in second["blocks"][0]["text"]["text"]
    with deps.sessions.begin() as s:
        keys = sorted(s.scalars(select(PostSlot.slot_key).where(PostSlot.kind == ACTION_DUE_TOMORROW)))
    assert keys == [f"{point}:2023-10-20", f"{point}:2023-10-27"]


def test_done_action_points_get_no_dm(deps: Deps, fake_slack: FakeSlack) -> None:
    """An action point marked Afgerond gets neither the day-before nor the overdue DM; each owner only
    hears of their own."""
    _add(deps, "Al af", done=True)
    _add(deps, "Van een ander", owner=OTHER)
    client = make_web_client(deps.settings)
    action_dms_job(deps, client, DAY_BEFORE)
    due_posts_job(deps, client, DAY_AFTER)  # the periodic job runs it too
    assert posts(fake_slack, OWNER_DM) == []
    other = posts(fake_slack, "D" + OTHER[1:])
    assert len(other) == 2
    assert all("Van een ander" in json_text for json_text in (str(m) for m in other))


def test_afgerond_in_the_dm_closes_it_and_no_overdue_dm_follows(
    deps: Deps, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """The owner clicks Afgerond in the day-before DM: the action point is done and the overdue DM
    never comes."""
    point = _add(deps, "Notitie")
    client = make_web_client(deps.settings)
    assert [o.status for o in action_dms_job(deps, client, DAY_BEFORE)] == ["posted"]
    (dm,) = posts(fake_slack, OWNER_DM)
    (value,) = button_values(dm, ids.COMPLETE_ACTION)
    assert slack.block_action(ids.COMPLETE_ACTION, value, user_id=OWNER, channel_id=OWNER_DM).status == 200
    with deps.sessions.begin() as s:
        assert s.get_one(ActionPoint, point).status == ActionStatus.AFGEROND
    assert action_dms_job(deps, client, DAY_AFTER) == []


def test_a_busy_day_goes_out_in_batches_without_repeats(
    deps: Deps, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More DMs due than one run sends: the next run sends the rest, none twice."""
    monkeypatch.setattr(action_reminders, "BATCH", 2)
    for n in range(3):
        _add(deps, f"Punt {n}", owner=f"U0OWNER010{n}")
    client = make_web_client(deps.settings)
    assert [o.status for o in action_dms_job(deps, client, DAY_BEFORE)] == ["posted", "posted"]
    assert [o.status for o in action_dms_job(deps, client, DAY_BEFORE)] == ["posted"]
    assert action_dms_job(deps, client, DAY_BEFORE) == []
    sent = [str(c.args["channel"]) for c in fake_slack.calls_to("chat.postMessage")]
    assert sorted(sent) == ["D0OWNER0100", "D0OWNER0101", "D0OWNER0102"]
