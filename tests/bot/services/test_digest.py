"""The digest's content, its Block Kit within Slack's limits, and its speed on a large database."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bench.data import LARGE, Texts, fill
from bot.blocks.digest import build_digest_message
from bot.offline.render import render_blocks
from bot.runtime.deps import Deps
from bot.schedule.jobs import digest_for_slot
from bot.schedule.slots import schedule_from
from bot.services.digest import Digest, build_digest
from storage.models import (
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    MeetingStatus,
    Overleg,
)
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting

SLOT = datetime(2023, 10, 17, 9, 0, tzinfo=AMS)  # slot 1 of the default schedule


def _digest(deps: Deps, at: datetime = SLOT) -> Digest:
    schedule = schedule_from(deps.settings)
    slot = schedule.due_slot(at)
    assert slot is not None
    with deps.sessions.begin() as s:
        return digest_for_slot(session=s, schedule=schedule, slot=slot, weeks_ahead=6)


def _overleg_id(deps: Deps, key: str) -> int:
    with deps.sessions.begin() as s:
        overleg = s.scalar(select(Overleg).where(Overleg.key == key))
        assert overleg is not None
        return overleg.id


def test_digest_lists_meetings_deadlines_proposals_and_actions(deps: Deps) -> None:
    """Meetings (moved and cancelled marked), deadlines in the window, new proposals, due action points."""
    ivb = _overleg_id(deps, "ivb")
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 11, 13, 9, 30, tzinfo=AMS), location="Provinciehuis <b>")
        add_meeting(s, "kob", datetime(2023, 10, 26, 14, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
        add_meeting(s, "3noord", datetime(2023, 11, 2, 10, 0, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "ivb", datetime(2024, 3, 18, 9, 30, tzinfo=AMS))  # beyond the six weeks
        s.add_all(
            [
                AgendaProposal(
                    overleg_id=ivb,
                    title="Cameratoezicht <!channel>",
                    proposer_id="U0OFFICIAL1",
                    created_at=datetime(2023, 10, 10, 12, 0, tzinfo=AMS),
                ),
                AgendaProposal(
                    overleg_id=ivb,
                    title="Te oud",
                    proposer_id="U0OFFICIAL1",
                    created_at=datetime(2023, 9, 1, 12, 0, tzinfo=AMS),
                ),
                ActionPoint(
                    overleg_id=ivb,
                    text="Evaluatie jaarwisseling",
                    owner_id="U0OFFICIAL1",
                    due_date=date(2023, 10, 1),
                    created_by="U0ADMIN0001",
                ),
                ActionPoint(
                    overleg_id=ivb,
                    text="Na de volgende digest",
                    owner_id="U0OFFICIAL1",
                    due_date=date(2023, 12, 1),
                    created_by="U0ADMIN0001",
                ),
                ActionPoint(
                    overleg_id=ivb,
                    text="Al af",
                    owner_id="U0OFFICIAL1",
                    due_date=date(2023, 10, 2),
                    status=ActionStatus.AFGEROND,
                    created_by="U0ADMIN0001",
                ),
            ]
        )
    digest = _digest(deps)
    assert (digest.meetings_total, digest.proposals_total, digest.actions_total, digest.overdue_total) == (
        3,
        1,
        1,
        1,
    )
    # Deadlines in 17 Oct - 28 Nov: IVB 13 Nov (30 Oct) and KOB 26 Oct (12 Oct) is before the window.
    assert [d.overleg_name for d in digest.deadlines] == ["Integraal Veiligheidsberaad"]
    reply = build_digest_message(digest, tz=AMS)
    assert_valid_message(reply.as_message())
    text = render_blocks(reply.blocks)
    assert "maandag 13 november 2023, 09:30" in text
    assert "(verplaatst)" in text
    assert "~geannuleerd~" in str(reply.blocks)
    assert "maandag 30 oktober 2023, 09:30" in text  # the IVB deadline, 14 days before
    assert "Cameratoezicht &lt;!channel&gt;" in str(reply.blocks)
    assert "<!channel>" not in str(reply.blocks)
    assert "&lt;b&gt;" in str(reply.blocks)
    assert "Te oud" not in text
    assert "Evaluatie jaarwisseling" in text
    assert "te laat" in text
    assert "<@U0OFFICIAL1>" in str(reply.blocks)
    assert "Na de volgende digest" not in text


def test_empty_fortnight_is_one_line(deps: Deps) -> None:
    """Nothing in the window: a single section saying so, no empty headings."""
    reply = build_digest_message(_digest(deps), tz=AMS)
    assert_valid_message(reply.as_message())
    assert len(reply.blocks) == 1
    assert "Geen vergaderingen, deadlines, nieuwe voorstellen of openstaande actiepunten" in reply.text


def test_large_database_stays_within_limits_and_fast(deps: Deps, capsys: object) -> None:
    """5,000 meetings, 50,000 proposals, 20,000 action points, every text hostile (`<!here>`, `&`, long
    places): valid Block Kit, summarised, fast."""
    at = datetime(2023, 10, 17, 9, 0, tzinfo=AMS)
    fill(deps.engine, LARGE, now=at, texts=Texts(hostile=True))
    schedule = schedule_from(deps.settings)
    slot = schedule.due_slot(at)
    assert slot is not None
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        with deps.sessions.begin() as s:
            digest = digest_for_slot(session=s, schedule=schedule, slot=slot, weeks_ahead=6)
        reply = build_digest_message(digest, tz=AMS)
        timings.append(time.perf_counter() - started)
    assert_valid_message(reply.as_message())
    assert digest.meetings_total > len(digest.meetings)
    assert digest.proposals_total > len(digest.proposals)
    assert digest.actions_total > len(digest.actions)
    text = render_blocks(reply.blocks)
    assert f"… en {digest.proposals_total - 10} andere voorstellen: `/ivb open`." in text
    assert "/ivb open" in text
    best = min(timings)
    backend = deps.settings.database_url.split(":")[0]
    print(f"\ndigest on a large database ({backend}): best {best * 1000:.0f} ms")
    assert best < 0.5, f"digest took {best * 1000:.0f} ms"


def test_build_digest_window_is_wall_clock(deps: Deps) -> None:
    """The six-week window ends at the same wall-clock time even across the end of summer time."""
    with deps.sessions.begin() as s:
        digest = build_digest(
            session=s,
            at=SLOT,
            since=SLOT - timedelta(days=14),
            next_at=SLOT + timedelta(days=14),
            tz=AMS,
            weeks_ahead=6,
        )
    assert digest.until == datetime(2023, 11, 28, 9, 0, tzinfo=AMS)
