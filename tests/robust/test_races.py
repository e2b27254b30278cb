"""Two people clicking the same thing within milliseconds: one of them wins, once, on SQLite (whose
transactions now really begin) and on PostgreSQL (the proposal row is locked; agenda places are unique)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy import func, select

from bot.blocks import ids
from bot.runtime.deps import Deps
from bot.services import dialogue
from storage.models import AgendaProposal, AuditEvent, ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal
from tests.support.slackclient import HttpResult, SlackSender

SECOND_ADMIN = "U0ADMIN0002"
CREATED = datetime(2023, 2, 1, 9, 0, tzinfo=AMS)


def at_once(calls: list[Callable[[], HttpResult]]) -> list[HttpResult]:
    """Run every call at the same moment (released together by a barrier)."""
    barrier = threading.Barrier(len(calls))

    def released(call: Callable[[], HttpResult]) -> HttpResult:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(released, calls))
    assert all(r.status == 200 for r in results), [r.status for r in results]
    return results


def audit_actions(deps: Deps, entity: str, entity_id: int) -> list[str]:
    with deps.sessions() as s:
        stmt = select(AuditEvent.action).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        return list(s.scalars(stmt.order_by(AuditEvent.id)))


def test_a_dialogue_submitted_three_times_at_once_is_filed_once(slack: SlackSender, deps: Deps) -> None:
    """Indienen clicked three times within milliseconds (a double tap and a retry): one proposal."""
    now = deps.clock.now()
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        for text in ("ik wil iets agenderen", "Drie keer geklikt", "geen", "ivb"):
            outcome = dialogue.handle_message(
                session=s,
                user_id=OFFICIAL,
                channel_id="D0OFFICIAL1",
                thread_ts="",
                text=text,
                now=now,
                tz=AMS,
            )
    assert outcome.kind == "confirm"
    click = lambda: slack.block_action(ids.SUBMIT_DIALOGUE, outcome.token, user_id=OFFICIAL)  # noqa: E731
    for _ in range(5):
        at_once([click, click, click])
    with deps.sessions() as s:
        titles = list(s.scalars(select(AgendaProposal.title)))
    assert titles == ["Drie keer geklikt"]


def test_owner_and_secretariaat_closing_one_action_point_at_once_close_it_once(
    slack: SlackSender, deps: Deps
) -> None:
    """The owner and the secretariaat press Afgerond at the same moment: one completion in the audit."""
    with deps.sessions.begin() as s:
        points = [add_action(s, "ivb", f"Actie {i}", OFFICIAL, created=CREATED).id for i in range(5)]
    for point in points:
        at_once(
            [
                lambda p=point: slack.block_action(ids.COMPLETE_ACTION, str(p), user_id=OFFICIAL),
                lambda p=point: slack.block_action(ids.COMPLETE_ACTION, str(p), user_id=ADMIN),
            ]
        )
        assert audit_actions(deps, "action_point", point).count("afgerond") == 1


def test_two_admins_deciding_at_once_make_one_decision(slack: SlackSender, deps: Deps) -> None:
    """Agenderen and Aanhouden on one proposal at the same moment by two admins (both buttons showing it
    ingediend): one decision in the audit, the other admin is told it was decided meanwhile."""
    deps.settings = deps.settings.model_copy(update={"admin_user_ids": (ADMIN, SECOND_ADMIN)})
    with deps.sessions.begin() as s:
        meeting = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        proposals = [add_proposal(s, "ivb", f"Voorstel {i}", OFFICIAL, created=CREATED).id for i in range(6)]
    for proposal in proposals:
        at_once(
            [
                lambda p=proposal: slack.block_action(
                    ids.SCHEDULE_PROPOSAL,
                    f"{p}:{meeting.id}~ingediend",
                    user_id=ADMIN,
                    channel_id="D0ADMIN0001",
                ),
                lambda p=proposal: slack.block_action(
                    ids.DEFER_PROPOSAL, f"{p}~ingediend", user_id=SECOND_ADMIN, channel_id="D0ADMIN0002"
                ),
            ]
        )
        decided = [a for a in audit_actions(deps, "proposal", proposal) if a in {"agenderen", "aanhouden"}]
        assert len(decided) == 1, decided


def test_twenty_proposals_agendered_on_one_meeting_at_once_get_twenty_places(
    slack: SlackSender, deps: Deps
) -> None:
    """Twenty Agenderen clicks on one meeting at the same moment: places 1 to 20, none twice."""
    with deps.sessions.begin() as s:
        meeting = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        proposals = [add_proposal(s, "ivb", f"Punt {i}", OFFICIAL, created=CREATED).id for i in range(20)]
    at_once(
        [
            lambda p=proposal: slack.block_action(
                ids.SCHEDULE_PROPOSAL, f"{p}:{meeting.id}", user_id=ADMIN, channel_id="D0ADMIN0001"
            )
            for proposal in proposals
        ]
    )
    with deps.sessions() as s:
        places = list(
            s.scalars(
                select(AgendaProposal.position).where(AgendaProposal.state == ProposalState.GEAGENDEERD)
            )
        )
        assert s.scalar(select(func.count()).select_from(AgendaProposal)) == 20
    assert sorted(p for p in places if p is not None) == list(range(1, 21))
