"""Authorisation matrix: every button, pressed through a forged payload by an official, the owner and
an admin; only who may act changes anything (checked on the server, whatever the buttons showed)."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.blocks import ids
from bot.runtime.deps import Deps
from storage.models import ActionPoint, ActionStatus, AgendaProposal, Meeting, ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal
from tests.support.slackclient import SlackSender

OTHER = "U0OFFICIAL2"
ROLES = {"official": OTHER, "owner": OFFICIAL, "admin": ADMIN}
CREATED = datetime(2023, 2, 1, 9, 0, tzinfo=AMS)
NEW_DUE = date(2023, 4, 3)


def fresh_point(deps: Deps, status: ActionStatus) -> int:
    with deps.sessions.begin() as s:
        return add_action(
            s, "ivb", "Notitie opstellen", OFFICIAL, created=CREATED, due=date(2023, 3, 15), status=status
        ).id


def point(deps: Deps, point_id: int) -> ActionPoint:
    with deps.sessions.begin() as s:
        found = s.scalars(select(ActionPoint).where(ActionPoint.id == point_id)).one()
        s.expunge(found)
        return found


def press(slack: SlackSender, action_id: str, point_id: int, user: str) -> int:
    if action_id == ids.MOVE_ACTION_DUE:
        picker = {
            "type": "datepicker",
            "action_id": ids.MOVE_ACTION_DUE,
            "block_id": f"{ids.ACTION_DUE_BLOCK_PREFIX}{point_id}",
            "selected_date": NEW_DUE.isoformat(),
            "action_ts": f"{time.time():.6f}",
        }
        return slack.block_action(ids.MOVE_ACTION_DUE, user_id=user, extra={"actions": [picker]}).status
    return slack.block_action(action_id, str(point_id), user_id=user).status


# (button, status before, what an allowed press leaves behind)
CASES = [
    (ids.COMPLETE_ACTION, ActionStatus.OPEN, (ActionStatus.AFGEROND, date(2023, 3, 15))),
    (ids.REOPEN_ACTION, ActionStatus.AFGEROND, (ActionStatus.OPEN, date(2023, 3, 15))),
    (ids.MOVE_ACTION_DUE, ActionStatus.OPEN, (ActionStatus.OPEN, NEW_DUE)),
]
ALLOWED = {"official": False, "owner": True, "admin": True}


@pytest.mark.parametrize(("action_id", "before", "after"), CASES)
def test_action_point_buttons(
    slack: SlackSender, deps: Deps, action_id: str, before: ActionStatus, after: tuple[ActionStatus, date]
) -> None:
    """Afronden, heropenen, nieuwe datum: owner and secretariaat may; another official changes nothing."""
    for role, user in ROLES.items():
        point_id = fresh_point(deps, before)
        assert press(slack, action_id, point_id, user) == 200
        found = point(deps, point_id)
        expected = after if ALLOWED[role] else (before, date(2023, 3, 15))
        assert (found.status, found.due_date) == expected, (action_id, role)


@pytest.mark.parametrize("value", ["", "abc", "-1", "999999", "1 OR 1=1", "1:2", "1.0", "x" * 3000])
def test_action_point_buttons_with_forged_ids(slack: SlackSender, deps: Deps, value: str) -> None:
    """Made-up or malformed ids: a polite refusal (200), nothing changes."""
    point_id = fresh_point(deps, ActionStatus.OPEN)
    assert point_id == 1  # so "1 OR 1=1" would hit it if ids were not parsed strictly
    assert slack.block_action(ids.COMPLETE_ACTION, value, user_id=ADMIN).status == 200
    assert point(deps, point_id).status == ActionStatus.OPEN


# --- proposals -------------------------------------------------------------------------------


def fresh_proposal(deps: Deps, meeting_id: int) -> int:
    with deps.sessions.begin() as s:
        meeting = s.get_one(Meeting, meeting_id)
        return add_proposal(s, "ivb", "Hennepconvenant", OFFICIAL, created=CREATED, meeting=meeting).id


def proposal_state(deps: Deps, proposal_id: int) -> ProposalState:
    with deps.sessions.begin() as s:
        return s.get_one(AgendaProposal, proposal_id).state


# (button, value template, role -> the state an allowed press leaves; other roles leave it ingediend)
PROPOSAL_CASES = [
    (ids.SCHEDULE_PROPOSAL, "{p}", {"admin": ProposalState.GEAGENDEERD}),
    (ids.SCHEDULE_PROPOSAL_ON, "{p}:{m}", {"admin": ProposalState.GEAGENDEERD}),
    (ids.DEFER_PROPOSAL, "{p}", {"admin": ProposalState.AANGEHOUDEN}),
    (ids.REJECT_PROPOSAL, "{p} past niet", {"admin": ProposalState.AFGEWEZEN}),
    (ids.WITHDRAW_PROPOSAL, "{p}", {"owner": ProposalState.INGETROKKEN}),
]


@pytest.mark.parametrize(("action_id", "template", "allowed"), PROPOSAL_CASES)
def test_proposal_buttons(
    slack: SlackSender, deps: Deps, action_id: str, template: str, allowed: dict[str, ProposalState]
) -> None:
    """Agenderen, aanhouden, afwijzen: only the secretariaat; intrekken: only the proposer."""
    with deps.sessions.begin() as s:
        meeting_id = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS)).id
    for role, user in ROLES.items():
        proposal_id = fresh_proposal(deps, meeting_id)
        value = template.format(p=proposal_id, m=meeting_id)
        assert slack.block_action(action_id, value, user_id=user).status == 200
        expected = allowed.get(role, ProposalState.INGEDIEND)
        assert proposal_state(deps, proposal_id) == expected, (action_id, role)
