"""A replayed request (the same signed body sent again within Slack's five minutes) creates nothing new."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.blocks import ids
from bot.runtime.deps import Deps
from storage.models import ActionPoint, AgendaProposal, FeedToken
from tests.conftest import ADMIN, OFFICIAL
from tests.support.slackclient import SlackSender, sign


def _replay(slack: SlackSender, body: str, content_type: str, times: int = 5) -> list[int]:
    """The identical body with the identical timestamp and signature, `times` times."""
    ts = str(int(time.time()))
    signature = sign(slack.secret, ts, body)
    return [
        slack.post_raw(body, content_type=content_type, timestamp=ts, signature=signature).status
        for _ in range(times)
    ]


def _count(deps: Deps, model: type) -> int:
    with deps.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _command(text: str, user: str) -> str:
    return urlencode(
        {
            "team_id": "T0FAKE0001",
            "channel_id": "C0GENERAL01",
            "user_id": user,
            "command": "/ivb",
            "text": text,
            "trigger_id": "1.2.3",
            "response_url": "http://127.0.0.1:9/r",
        }
    )


def test_a_replayed_voorstel_command_stores_one_proposal(slack: SlackSender, deps: Deps) -> None:
    """`/ivb voorstel …` sent five times with the same signature: one proposal, four 'al verwerkt'."""
    statuses = _replay(
        slack, _command("voorstel Hennepconvenant", OFFICIAL), "application/x-www-form-urlencoded"
    )
    assert statuses == [200] * 5
    assert _count(deps, AgendaProposal) == 1


def test_a_replayed_actie_command_and_feed_link_change_nothing_more(slack: SlackSender, deps: Deps) -> None:
    """An action point and a feed link are made once, however often the signed request is replayed."""
    _replay(
        slack,
        _command("actie <@U0PIET0001|piet> Notitie rondsturen", ADMIN),
        "application/x-www-form-urlencoded",
    )
    _replay(slack, _command("kalender abonneren", OFFICIAL), "application/x-www-form-urlencoded")
    assert _count(deps, ActionPoint) == 1
    assert _count(deps, FeedToken) == 1


def test_a_replayed_form_submission_stores_one_proposal(slack: SlackSender, deps: Deps) -> None:
    """The `voorstel_nieuw` submission replayed five times: one proposal."""
    state = {
        ids.TITLE_BLOCK: {ids.INPUT_VALUE: {"type": "plain_text_input", "value": "Cameratoezicht"}},
        ids.OVERLEG_BLOCK: {ids.INPUT_VALUE: {"type": "static_select", "selected_option": {"value": "ivb"}}},
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0FAKE0001"},
        "user": {"id": OFFICIAL},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": ids.NEW_PROPOSAL_VIEW,
            "private_metadata": "",
            "state": {"values": state},
        },
    }
    body = urlencode({"payload": json.dumps(payload)})
    assert _replay(slack, body, "application/x-www-form-urlencoded") == [200] * 5
    assert _count(deps, AgendaProposal) == 1
