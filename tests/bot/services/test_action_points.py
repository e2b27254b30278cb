"""Action point service: who may create, close, reopen and move; every change is audited."""

from datetime import date, datetime

import pytest

from bot.runtime.deps import Deps
from bot.services.action_points import (
    change_due_date,
    complete_action_point,
    create_action_point,
    reopen_action_point,
)
from bot.services.errors import NotAllowed, Refused
from storage.models import ActionPoint, ActionStatus
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import add_meeting, audit_trail

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
OTHER = "U0OTHER0001"


def _create(deps: Deps, **overrides: object) -> int:
    args: dict[str, object] = {
        "actor_id": ADMIN,
        "is_admin": True,
        "owner_id": OFFICIAL,
        "text": "Notitie rondsturen",
        "due_date": date(2023, 3, 15),
        "now": NOW,
    }
    args.update(overrides)
    with deps.sessions.begin() as s:
        return create_action_point(session=s, **args).id  # type: ignore[arg-type]


def test_create_pins_the_latest_held_meeting_and_audits(deps: Deps) -> None:
    """A new action point belongs to the overleg's latest held meeting; the creation is audited."""
    with deps.sessions.begin() as s:
        held = add_meeting(s, "ivb", datetime(2023, 2, 20, 9, 30, tzinfo=AMS)).id
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
    point_id = _create(deps)
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, point_id)
        assert point is not None
        assert point.meeting_id == held
        assert point.status == ActionStatus.OPEN
        trail = audit_trail(s, "action_point", point_id)
        assert [(e.action, e.actor_id) for e in trail] == [("aangemaakt", ADMIN)]


def test_only_admins_create(deps: Deps) -> None:
    """An official cannot create an action point; nothing is stored."""
    with pytest.raises(NotAllowed, match="secretariaat"):
        _create(deps, actor_id=OFFICIAL, is_admin=False)
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("text", "   ", "Wat moet er gebeuren"), ("owner_id", "piet", "ken ik niet")],
)
def test_bad_input_is_refused(deps: Deps, field: str, value: str, message: str) -> None:
    """Empty text or an owner that is no Slack id: a Dutch refusal, nothing stored."""
    with pytest.raises(Refused, match=message):
        _create(deps, **{field: value})
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


def test_owner_closes_reopens_and_moves_with_audit(deps: Deps) -> None:
    """The owner closes, reopens and moves the due date; each step is one audit event."""
    point_id = _create(deps)
    with deps.sessions.begin() as s:
        complete_action_point(session=s, action_id=point_id, actor_id=OFFICIAL, is_admin=False, now=NOW)
    with deps.sessions.begin() as s, pytest.raises(NotAllowed, match="al afgerond"):
        complete_action_point(session=s, action_id=point_id, actor_id=OFFICIAL, is_admin=False, now=NOW)
    with deps.sessions.begin() as s:
        reopen_action_point(session=s, action_id=point_id, actor_id=OFFICIAL, is_admin=False, now=NOW)
        change_due_date(
            session=s,
            action_id=point_id,
            actor_id=OFFICIAL,
            is_admin=False,
            due_date=date(2023, 4, 1),
            now=NOW,
        )
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, point_id)
        assert point is not None
        assert point.status == ActionStatus.OPEN
        assert point.due_date == date(2023, 4, 1)
        trail = [(e.action, e.from_value, e.to_value) for e in audit_trail(s, "action_point", point_id)]
        assert trail[1:] == [
            ("afgerond", "open", "afgerond"),
            ("heropend", "afgerond", "open"),
            ("deadline", "2023-03-15", "2023-04-01"),
        ]


def test_someone_else_cannot_change_it(deps: Deps) -> None:
    """Another official can neither close, reopen nor move an action point; it stays as it was."""
    point_id = _create(deps)
    for change in (complete_action_point, reopen_action_point):
        with deps.sessions.begin() as s, pytest.raises(NotAllowed, match="eigenaar"):
            change(session=s, action_id=point_id, actor_id=OTHER, is_admin=False, now=NOW)
    with deps.sessions.begin() as s, pytest.raises(NotAllowed, match="eigenaar"):
        change_due_date(session=s, action_id=point_id, actor_id=OTHER, is_admin=False, due_date=None, now=NOW)
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, point_id)
        assert point is not None
        assert (point.status, point.due_date) == (ActionStatus.OPEN, date(2023, 3, 15))
        assert len(audit_trail(s, "action_point", point_id)) == 1


def test_admin_may_close_anyones(deps: Deps) -> None:
    """The secretariaat closes an action point of someone else."""
    point_id = _create(deps)
    with deps.sessions.begin() as s:
        complete_action_point(session=s, action_id=point_id, actor_id=ADMIN, is_admin=True, now=NOW)
        point = s.get(ActionPoint, point_id)
        assert point is not None
        assert point.completed_by == ADMIN
