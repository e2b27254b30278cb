"""Open items: which proposals and action points count as open, filters, paging and the CSV report."""

import csv
import io
from datetime import date, datetime, timedelta

from bot.blocks.action_points import Viewer
from bot.blocks.open_items import build_open_items, parse_more_value
from bot.runtime.cli_commands import report_open
from bot.runtime.deps import Deps
from bot.services.open_items import OpenPage, open_page
from storage.models import ActionStatus, MeetingStatus, ProposalState
from storage.queries.meetings import overleg_for_update as get_overleg
from storage.queries.open_items import OpenFilter
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
TODAY = NOW.date()
OTHER = "U0OTHER0001"


def _fill(deps: Deps) -> None:
    with deps.sessions.begin() as s:
        ivb = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        created = NOW - timedelta(days=3)
        add_proposal(s, "ivb", "Cameratoezicht", OFFICIAL, created=created, meeting=ivb)
        add_proposal(
            s,
            "ivb",
            "Evenementenbeleid",
            OTHER,
            created=created,
            meeting=ivb,
            state=ProposalState.GEAGENDEERD,
        )
        add_proposal(s, "kob", "Integriteit", OFFICIAL, created=created, state=ProposalState.AANGEHOUDEN)
        for state in (ProposalState.BEHANDELD, ProposalState.AFGEWEZEN, ProposalState.INGETROKKEN):
            add_proposal(s, "ivb", f"Klaar {state}", OFFICIAL, created=created, state=state)
        add_action(s, "ivb", "Notitie rondsturen", OFFICIAL, created=created, due=date(2023, 2, 27))
        add_action(s, "kob", "Bellen met RIEC", OTHER, created=created, due=date(2023, 3, 10))
        add_action(s, "ivb", "Al gedaan", OFFICIAL, created=created, status=ActionStatus.AFGEROND)


def _page(deps: Deps, flt: OpenFilter, *, viewer: str = ADMIN, **offsets: int) -> OpenPage:
    with deps.sessions.begin() as s:
        return open_page(session=s, flt=flt, viewer_id=viewer, now=NOW, tz=AMS, **offsets)


def test_open_means_not_decided_and_not_done(deps: Deps) -> None:
    """Behandeld, afgewezen, ingetrokken proposals and afgeronde action points are not open; what is
    due next comes before what is overdue."""
    _fill(deps)
    page = _page(deps, OpenFilter())
    assert [p.title for p in page.proposals] == ["Cameratoezicht", "Evenementenbeleid", "Integriteit"]
    assert (page.proposal_total, page.action_total) == (3, 2)
    assert [a.text for a in page.actions] == ["Bellen met RIEC", "Notitie rondsturen"]


def test_my_overdue_action_points_come_first(deps: Deps) -> None:
    """The asker's own overdue action points lead, apart; the other list does not repeat them."""
    _fill(deps)
    page = _page(deps, OpenFilter(), viewer=OFFICIAL)
    assert ([a.text for a in page.late], page.late_total) == (["Notitie rondsturen"], 1)
    assert ([a.text for a in page.actions], page.action_total) == (["Bellen met RIEC"], 1)


def test_proposals_for_the_soonest_meeting_come_first(deps: Deps) -> None:
    """Coming meetings soonest first, then unplanned, then meetings that passed (most recent first)."""
    with deps.sessions.begin() as s:
        later = add_meeting(s, "kob", datetime(2023, 6, 1, 14, 0, tzinfo=AMS))
        sooner = add_meeting(s, "jaarkalender", datetime(2023, 3, 6, 14, 0, tzinfo=AMS))
        long_ago = add_meeting(s, "ivb", datetime(2010, 3, 1, 9, 30, tzinfo=AMS))
        last_month = add_meeting(s, "ivb", datetime(2023, 2, 1, 9, 30, tzinfo=AMS))
        for title, meeting in (("2010", long_ago), ("juni", later), ("geen", None), ("maart", sooner)):
            add_proposal(s, "ivb", title, OFFICIAL, created=NOW - timedelta(days=400), meeting=meeting)
        add_proposal(s, "ivb", "februari", OFFICIAL, created=NOW, meeting=last_month)
    page = _page(deps, OpenFilter())
    assert [p.title for p in page.proposals] == ["maart", "juni", "geen", "februari", "2010"]


def test_mine_and_overleg_filters(deps: Deps) -> None:
    """ "mijn" keeps what the asker proposed or owns; an overleg keeps that overleg only."""
    _fill(deps)
    mine = _page(deps, OpenFilter(user_id=OFFICIAL), viewer=OFFICIAL)
    with deps.sessions.begin() as s:
        kob = get_overleg(session=s, key="kob")
        assert kob is not None
        kob_id = kob.id
    only_kob = _page(deps, OpenFilter(overleg_id=kob_id))
    assert {p.proposer_id for p in mine.proposals} == {OFFICIAL}
    assert [a.owner_id for a in mine.late + mine.actions] == [OFFICIAL]
    assert [p.title for p in only_kob.proposals] == ["Integriteit"]
    assert [a.text for a in only_kob.actions] == ["Bellen met RIEC"]


def test_reply_marks_overdue_and_age_and_offers_buttons_to_the_owner(deps: Deps) -> None:
    """The overdue action point is marked, ages and reference numbers show, and only items the viewer
    may change get an Afgerond button."""
    _fill(deps)
    page = _page(deps, OpenFilter(), viewer=OFFICIAL)
    viewer = Viewer(OFFICIAL, is_admin=False)
    reply = build_open_items(page, viewer=viewer, scope="", scope_label="", mine=False, today=TODAY, tz=AMS)
    assert_valid_message(reply.as_message())
    text = str(reply.blocks)
    assert ":warning: *Jouw actiepunten, te laat* · 1" in text
    assert "*te laat*, uiterlijk ma 27 feb (2 dagen geleden)" in text
    assert "3 dagen open" in text
    assert "*#1* Cameratoezicht · _ingediend_ · <@U0OFFICIAL1> · 3 dagen open" in text
    assert "*IVB* · ma 20 mrt" in text
    done = [b for b in reply.blocks if (b.get("accessory") or {}).get("action_id") == "actiepunt_afgerond"]
    assert len(done) == 1  # the official owns one of the two
    assert reply.text == ("Openstaand: 1 actiepunt van jou te laat, 3 agendavoorstellen, 1 ander actiepunt")


def test_my_list_does_not_repeat_my_name(deps: Deps) -> None:
    """In `/ivb open mijn` no line says who proposed or owns it: that is the reader."""
    _fill(deps)
    page = _page(deps, OpenFilter(user_id=OFFICIAL), viewer=OFFICIAL)
    viewer = Viewer(OFFICIAL, is_admin=False)
    reply = build_open_items(
        page, viewer=viewer, scope="mijn", scope_label="van jou", mine=True, today=TODAY, tz=AMS
    )
    assert OFFICIAL not in str(reply.blocks)


def test_the_secretariaat_decides_from_the_list(deps: Deps) -> None:
    """For the secretariaat every proposal still to decide has a ⋯ menu with the review post's choices."""
    _fill(deps)
    page = _page(deps, OpenFilter())
    reply = build_open_items(
        page, viewer=Viewer(ADMIN, True), scope="", scope_label="", mine=False, today=TODAY, tz=AMS
    )
    assert_valid_message(reply.as_message())
    menus = {
        b["text"]["text"].split("*")[1]: [o["value"] for o in b["accessory"]["options"]]
        for b in reply.blocks
        if (b.get("accessory") or {}).get("type") == "overflow"
    }
    assert menus == {
        "#1": ["agenderen 1:1~ingediend", "aanhouden 1~ingediend", "afwijzen 1~ingediend"],
        "#3": ["aanhouden 3~aangehouden", "afwijzen 3~aangehouden"],  # no meeting yet
    }


def test_cancelled_meeting_reads_as_cancelled(deps: Deps) -> None:
    """A proposal on a cancelled meeting shows the meeting struck through and the word plainly."""
    with deps.sessions.begin() as s:
        meeting = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        meeting.status = MeetingStatus.GEANNULEERD
        add_proposal(s, "ivb", "Op een geschrapte vergadering", OFFICIAL, created=NOW, meeting=meeting)
    page = _page(deps, OpenFilter())
    reply = build_open_items(
        page, viewer=Viewer(OFFICIAL, False), scope="", scope_label="", mine=False, today=TODAY, tz=AMS
    )
    assert "~ma 20 mrt~ geannuleerd" in str(reply.blocks)


def test_each_list_pages_on_its_own(deps: Deps) -> None:
    """20 proposals and 14 action points: "Meer voorstellen" walks the proposals while the action
    points stay put, and the other way round; the last pages have no button."""
    with deps.sessions.begin() as s:
        for i in range(20):
            add_proposal(s, "ivb", f"Voorstel {i:02d}", OFFICIAL, created=NOW)
        for i in range(14):
            add_action(s, "ivb", f"Actie {i:02d}", OTHER, created=NOW, due=date(2023, 4, 1 + i))
    seen: list[str] = []
    offsets = {"proposal_offset": 0, "action_offset": 0}
    for _ in range(5):
        page = _page(deps, OpenFilter(), **offsets)
        seen += [p.title for p in page.proposals]
        assert page.actions[0].text == "Actie 00"
        reply = build_open_items(
            page, viewer=Viewer(ADMIN, True), scope="mijn", scope_label="", mine=False, today=TODAY, tz=AMS
        )
        assert_valid_message(reply.as_message())
        buttons = {
            e["action_id"]: e["value"] for b in reply.blocks if b["type"] == "actions" for e in b["elements"]
        }
        assert "open_meer_acties" in buttons
        if "open_meer" not in buttons:
            break
        p, a, scope = parse_more_value(buttons["open_meer"])
        assert (a, scope) == (0, "mijn")
        offsets = {"proposal_offset": p, "action_offset": a}
    assert seen == [f"Voorstel {i:02d}" for i in range(20)]
    p, a, _ = parse_more_value(buttons["open_meer_acties"])
    actions_page = _page(deps, OpenFilter(), proposal_offset=p, action_offset=a)
    assert [x.text for x in actions_page.actions] == [f"Actie {i:02d}" for i in range(6, 12)]
    assert actions_page.proposals[0].title == "Voorstel 16"  # the proposals stay where they were


def test_forged_more_value_starts_at_the_top() -> None:
    """A broken "meer" value is read as the first page, never an error."""
    assert parse_more_value("nonsense") == (0, 0, "")
    assert parse_more_value('{"p": -5, "a": "x"}') == (0, 0, "")


def test_csv_report(deps: Deps) -> None:
    """The CSV lists every open item with overleg, person, age and overdue; formulas are defused."""
    _fill(deps)
    with deps.sessions.begin() as s:
        add_proposal(s, "ivb", '=HYPERLINK("x")', OFFICIAL, created=NOW)
    out = io.StringIO()
    assert report_open(deps, overleg_key=None, out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 6
    late = next(r for r in rows if r["omschrijving"] == "Notitie rondsturen")
    assert (late["soort"], late["te_laat"], late["dagen_open"], late["overleg"]) == (
        "actiepunt",
        "ja",
        "3",
        "ivb",
    )
    assert any(r["omschrijving"].startswith("'=") for r in rows)
