"""kill -9 in the middle of the proposal dialogue: after a restart the dialogue continues where it was,
and the proposal lands once."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.blocks import ids
from storage.db import make_engine, make_session_factory
from storage.models import AgendaProposal, Conversation
from tests.conftest import AMS, OFFICIAL, SECRET
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.factories import add_meeting
from tests.support.proposal_helpers import button_values, send_dm, wait_posts
from tests.support.slackclient import SlackSender

DM = "D" + OFFICIAL[1:]


def test_dialogue_survives_kill_9(sqlite_template: Path, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """Title given, then SIGKILL; a new process takes the next answer as the explanation and files it once."""
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        # The processes run on the real clock: the meeting is a month from whenever the test runs.
        add_meeting(s, "ivb", datetime.now(AMS).replace(second=0, microsecond=0) + timedelta(days=30))
    first = BotProcess(bot_env(url, fake_slack.url), tmp_path)
    try:
        slack = SlackSender(first.base_url, SECRET)
        send_dm(slack, "ik wil iets agenderen", user=OFFICIAL)
        wait_posts(
            fake_slack,
            DM,
            1,
        )
        send_dm(slack, "Cameratoezicht stationsgebied", user=OFFICIAL)
        wait_posts(fake_slack, DM, 2)
        first.sigkill()
    finally:
        first.kill()
    with sessions.begin() as s:
        assert (
            s.scalar(select(func.count()).select_from(Conversation)) == 1
        )  # the dialogue is in the database
    second = BotProcess(bot_env(url, fake_slack.url), tmp_path)
    try:
        slack = SlackSender(second.base_url, SECRET)
        send_dm(slack, "geen", user=OFFICIAL)  # the explanation: the step after the title
        send_dm(slack, "ivb", user=OFFICIAL)
        summary = wait_posts(fake_slack, DM, 4)[-1]
        assert "Klopt dit?" in summary["blocks"][0]["text"]["text"]
        assert "Cameratoezicht stationsgebied" in str(summary["blocks"])
        (value,) = button_values(summary, ids.SUBMIT_DIALOGUE)
        assert slack.block_action(ids.SUBMIT_DIALOGUE, value, user_id=OFFICIAL, channel_id=DM).status == 200
        assert "is ingediend" in wait_posts(fake_slack, DM, 5)[-1]["blocks"][0]["text"]["text"]
        # A second click (Slack's retry, an impatient user) files nothing more.
        assert slack.block_action(ids.SUBMIT_DIALOGUE, value, user_id=OFFICIAL, channel_id=DM).status == 200
        code, _ = second.terminate()
    finally:
        second.kill()
    assert code == 0
    with sessions.begin() as s:
        titles = list(s.scalars(select(AgendaProposal.title)))
        assert titles == ["Cameratoezicht stationsgebied"]
        # Only the receipt is left, kept a day so the summary's old buttons can say what was filed.
        left = select(func.count()).select_from(Conversation).where(Conversation.step != "ingediend")
        assert s.scalar(left) == 0
    engine.dispose()
