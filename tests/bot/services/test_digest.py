"""The digest's content, its Block Kit within Slack's limits, and its speed on a large database.

The digest goes to a channel and is read at a glance: week by week one line per meeting with its
deadline inline, new proposals counted per overleg; nothing personal (no names, no rejected items, no
action points)."""

from __future__ import annotations

import re
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
    AgendaProposal,
    MeetingStatus,
    Overleg,
    ProposalState,
)
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting

SLOT = datetime(2023, 10, 17, 9, 0, tzinfo=AMS)  # slot 1 of the default schedule (a Tuesday)


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


def _proposal(overleg_id: int, title: str, state: ProposalState = ProposalState.INGEDIEND) -> AgendaProposal:
    return AgendaProposal(
        overleg_id=overleg_id,
        title=title,
        proposer_id="U0OFFICIAL1",
        state=state,
        reason="Past niet" if state == ProposalState.AFGEWEZEN else "",
        created_at=datetime(2023, 10, 10, 12, 0, tzinfo=AMS),
    )


def _calendar(deps: Deps) -> None:
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 10, 26, 14, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
        add_meeting(s, "groningeragenda", datetime(2023, 10, 30, 13, 30, tzinfo=AMS))
        add_meeting(s, "3noord", datetime(2023, 11, 2, 10, 0, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "ivb", datetime(2023, 11, 13, 9, 30, tzinfo=AMS), location="Provinciehuis <b>")
        add_meeting(s, "ivb", datetime(2024, 3, 18, 9, 30, tzinfo=AMS))  # beyond the six weeks


def test_digest_goes_week_by_week_with_each_deadline_inline(deps: Deps) -> None:
    """A week heading (`Week 44 · 30 oktober-5 november`), one line per meeting with its short name and
    its deadline inline; a passed deadline says so, a cancelled meeting is struck through without one."""
    _calendar(deps)
    digest = _digest(deps)
    reply = build_digest_message(digest, tz=AMS)
    assert_valid_message(reply.as_message())
    text = render_blocks(reply.blocks)
    weeks = re.findall(r"\*Week \d+ · [^*]+\*", str(reply.blocks))
    assert weeks == [
        "*Week 43 · 23–29 oktober*",
        "*Week 44 · 30 oktober – 5 november*",
        "*Week 46 · 13–19 november*",
    ]
    assert "do 26 okt 14:00 · *KOB-tafel* _(verplaatst)_ · _agendadeadline verstreken_" in str(reply.blocks)
    assert "~do 2 nov 3-Noord~ geannuleerd" in str(reply.blocks)
    assert "ma 13 nov 09:30 · *IVB* · agendapunten uiterlijk ma 30 okt 09:30" in str(reply.blocks)
    assert "Provinciehuis" not in text  # a glance: no places
    assert "2024" not in text


def test_a_deadline_in_the_coming_days_stands_out(deps: Deps) -> None:
    """A deadline within a week of the digest: ⏳, bold, and how far off it is (`over 6 dagen`)."""
    _calendar(deps)
    blocks = str(build_digest_message(_digest(deps), tz=AMS).blocks)
    assert (
        "ma 30 okt 13:30 · *Groninger Agenda* · "
        ":hourglass_flowing_sand: *agendapunten uiterlijk ma 23 okt 13:30 (over 6 dagen)*"
    ) in blocks
    assert blocks.count(":hourglass_flowing_sand:") == 1


def test_a_meeting_after_the_window_is_listed_when_its_deadline_is_in_it(deps: Deps) -> None:
    """The IVB of 4 December is beyond six weeks, but its deadline (20 November) is not: both shown."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 12, 4, 9, 30, tzinfo=AMS))
    digest = _digest(deps)
    assert (digest.meetings_total, digest.deadlines_total, len(digest.meetings)) == (0, 1, 1)
    blocks = str(build_digest_message(digest, tz=AMS).blocks)
    assert "ma 4 dec 09:30 · *IVB* · agendapunten uiterlijk ma 20 nov 09:30" in blocks


def test_digest_carries_no_names_no_rejected_items_and_no_action_points(deps: Deps) -> None:
    """In a channel: proposals counted per overleg, titles only of the geagendeerde (escaped); no
    proposer, no rejected or withdrawn item, no action point or its owner."""
    _calendar(deps)
    ivb, kob = _overleg_id(deps, "ivb"), _overleg_id(deps, "kob")
    with deps.sessions.begin() as s:
        s.add_all(
            [
                _proposal(ivb, "Cameratoezicht <!channel>", ProposalState.GEAGENDEERD),
                _proposal(ivb, "Nog niet besloten"),
                _proposal(ivb, "Evenementenbeleid", ProposalState.AANGEHOUDEN),
                _proposal(ivb, "Afgewezen punt", ProposalState.AFGEWEZEN),
                _proposal(ivb, "Ingetrokken punt", ProposalState.INGETROKKEN),
                _proposal(kob, "Ondermijning"),
                ActionPoint(
                    overleg_id=ivb,
                    text="Evaluatie jaarwisseling",
                    owner_id="U0OWNER001",
                    due_date=date(2023, 10, 1),
                    created_by="U0ADMIN0001",
                ),
            ]
        )
        old = _proposal(ivb, "Te oud")
        old.created_at = datetime(2023, 9, 1, 12, 0, tzinfo=AMS)
        s.add(old)
    digest = _digest(deps)
    assert [(p.overleg_label, p.count, p.agendered) for p in digest.proposals] == [
        ("IVB", 3, ("Cameratoezicht <!channel>",)),
        ("KOB-tafel", 1, ()),
    ]
    reply = build_digest_message(digest, tz=AMS)
    message = str(reply.as_message())
    assert "*IVB*: 3 nieuwe voorstellen · geagendeerd: «Cameratoezicht &lt;!channel&gt;»" in message
    assert "*KOB-tafel*: 1 nieuw voorstel" in message
    assert "<!channel>" not in message
    for absent in (
        "Nog niet besloten",
        "Evenementenbeleid",
        "Afgewezen",
        "Ingetrokken",
        "Te oud",
        "Ondermijning",
    ):
        assert absent not in message
    assert "Evaluatie jaarwisseling" not in message
    assert "<@" not in message
    assert "U0OFFICIAL1" not in message
    assert "U0OWNER001" not in message


def test_header_says_the_date_in_words_and_the_notification_sums_up(deps: Deps) -> None:
    """`Overzicht 17 oktober 2023`; the notification: up to when, how many meetings, deadlines this week,
    new proposals."""
    _calendar(deps)
    with deps.sessions.begin() as s:
        s.add(_proposal(_overleg_id(deps, "ivb"), "Nieuw"))
    reply = build_digest_message(_digest(deps), tz=AMS)
    head = reply.blocks[0]
    assert head["type"] == "header"
    assert head["text"]["text"] == "Overzicht 17 oktober 2023"
    assert reply.text == "Overzicht tot 28 nov: 4 vergaderingen, 1 deadline deze week, 1 nieuw voorstel"


def test_empty_fortnight_names_the_next_meeting(deps: Deps) -> None:
    """Nothing in the window: one line saying so, naming the next meeting after it; no empty headings."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2024, 3, 18, 9, 30, tzinfo=AMS))
    digest = _digest(deps)
    assert digest.empty
    reply = build_digest_message(digest, tz=AMS)
    assert_valid_message(reply.as_message())
    text = render_blocks(reply.blocks)
    assert "Geen vergaderingen tot di 28 nov 2023. De volgende: ma 18 mrt 2024 09:30 · *IVB*." in text
    assert "Week" not in text
    assert reply.text == "Overzicht tot 28 nov: geen vergaderingen, de volgende ma 18 mrt 2024"


def test_empty_calendar_says_nothing_is_planned(deps: Deps) -> None:
    """No meeting at all: the digest says nothing is planned, in one line."""
    reply = build_digest_message(_digest(deps), tz=AMS)
    assert_valid_message(reply.as_message())
    assert "Geen vergaderingen tot di 28 nov 2023, en daarna ook nog niets gepland." in render_blocks(
        reply.blocks
    )


def test_large_database_stays_within_limits_and_fast(deps: Deps, capsys: object) -> None:
    """5,000 meetings, 50,000 proposals, 20,000 action points, every text hostile (`<!here>`, `&`, long
    places): valid Block Kit (50 blocks, 3,000 characters a section), summarised, no names, fast."""
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
    assert len(reply.blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in reply.blocks)
    assert digest.meetings_total > len(digest.meetings)
    assert digest.proposals_total > 0
    text = render_blocks(reply.blocks)
    shown = sum(1 for m in digest.meetings if m.meeting.starts_at < digest.until)
    assert f"… en {digest.meetings_total - shown} andere vergaderingen: `/ivb kalender`." in text
    assert "<@" not in str(reply.blocks)
    assert "<!here>" not in str(reply.blocks)
    best = min(timings)
    backend = deps.settings.database_url.split(":")[0]
    print(f"\ndigest on a large database ({backend}): best {best * 1000:.0f} ms")
    assert best < 0.5, f"digest took {best * 1000:.0f} ms"


def test_build_digest_window_is_wall_clock(deps: Deps) -> None:
    """The six-week window ends at the same wall-clock time even across the end of summer time."""
    with deps.sessions.begin() as s:
        digest = build_digest(session=s, at=SLOT, since=SLOT - timedelta(days=14), tz=AMS, weeks_ahead=6)
    assert digest.until == datetime(2023, 11, 28, 9, 0, tzinfo=AMS)
