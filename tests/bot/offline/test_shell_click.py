"""The offline shell's `klik <action_id> <value>` reaches the same button handlers as Slack."""

import io
from datetime import datetime
from typing import Any

from bot.offline.shell import Shell
from bot.runtime.deps import Deps
from storage.models import ActionPoint, ActionStatus
from tests.conftest import AMS, OFFICIAL
from tests.support.factories_open import add_action


def test_klik_closes_an_action_point(bolt_app: Any, deps: Deps) -> None:
    """`klik actiepunt_afgerond <id>` in the shell closes the owner's action point."""
    with deps.sessions.begin() as s:
        item_id = add_action(s, "ivb", "Notitie", OFFICIAL, created=datetime(2023, 2, 1, tzinfo=AMS)).id
    shell = Shell(bolt_app, io.StringIO(), user_id=OFFICIAL)
    assert shell.handle(f"klik actiepunt_afgerond {item_id}")
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, item_id)
        assert point is not None
        assert point.status == ActionStatus.AFGEROND
