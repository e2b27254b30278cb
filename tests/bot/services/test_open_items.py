"""Open items: which proposals and action points count as open, filters, paging and the CSV report."""

import csv
import io
from datetime import date, datetime, timedelta

from bot.blocks.action_points import Viewer
from bot.blocks.open_items import build_open_items, parse_more_value
from bot.runtime.cli_commands import report_open
from bot.runtime.deps import Deps
from bot.services.open_items import open_page
from storage.models import ActionStatus, ProposalState
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


def test_open_means_not_decided_and_not_done(deps: Deps) -> None:
    """Behandeld, afgewezen, ingetrokken proposals and afgeronde action points are not open."""
    _fill(deps)
    with deps.sessions.begin() as s:
        page = open_page(session=s, flt=OpenFilter())
    assert [p.title for p in page.proposals] == ["Cameratoezicht", "Evenementenbeleid", "Integriteit"]
    assert (page.proposal_total, page.action_total) == (3, 2)
    assert [a.text for a in page.actions] == ["Notitie rondsturen", "Bellen met RIEC"]


def test_mine_and_overleg_filters(deps: Deps) -> None:
    """ "mijn" keeps what the asker proposed or owns; an overleg keeps that overleg only."""
    _fill(deps)
    with deps.sessions.begin() as s:
        mine = open_page(session=s, flt=OpenFilter(user_id=OFFICIAL))
        kob = get_overleg(session=s, key="kob")
        assert kob is not None
        only_kob = open_page(session=s, flt=OpenFilter(overleg_id=kob.id))
    assert {p.proposer_id for p in mine.proposals} == {OFFICIAL}
    assert [a.owner_id for a in mine.actions] == [OFFICIAL]
    assert [p.title for p in only_kob.proposals] == ["Integriteit"]
    assert [a.text for a in only_kob.actions] == ["Bellen met RIEC"]


def test_reply_marks_overdue_and_age_and_offers_buttons_to_the_owner(deps: Deps) -> None:
    """The overdue action point is marked, ages show, and only items the viewer may change get buttons."""
    _fill(deps)
    with deps.sessions.begin() as s:
        page = open_page(session=s, flt=OpenFilter())
    reply = build_open_items(
        page, viewer=Viewer(OFFICIAL, is_admin=False), scope="", scope_label="", today=TODAY, tz=AMS
    )
    assert_valid_message(reply.as_message())
    text = str(reply.blocks)
    assert "te laat" in text
    assert "3 dagen open" in text
    assert "Integraal Veiligheidsberaad* — ma 20 mrt 2023" in text
    controls = [b for b in reply.blocks if b.get("block_id", "").startswith("actiepunt:")]
    assert len(controls) == 1  # the official owns one of the two


def test_paging_walks_through_everything(deps: Deps) -> None:
    """25 open proposals: pages of 10 with the total, a "meer" button, and the last page without it."""
    with deps.sessions.begin() as s:
        for i in range(25):
            add_proposal(s, "ivb", f"Voorstel {i:02d}", OFFICIAL, created=NOW)
    seen: list[str] = []
    offset = 0
    for _ in range(5):
        with deps.sessions.begin() as s:
            page = open_page(session=s, flt=OpenFilter(), offset=offset)
        seen += [p.title for p in page.proposals]
        reply = build_open_items(
            page, viewer=Viewer(ADMIN, True), scope="mijn", scope_label="", today=TODAY, tz=AMS
        )
        assert_valid_message(reply.as_message())
        more = [b for b in reply.blocks if b["type"] == "actions"]
        if not page.has_more:
            assert not more
            break
        offset, scope = parse_more_value(more[-1]["elements"][0]["value"])
        assert scope == "mijn"
    assert seen == [f"Voorstel {i:02d}" for i in range(25)]


def test_forged_more_value_starts_at_the_top() -> None:
    """A broken "meer" value is read as the first page, never an error."""
    assert parse_more_value("nonsense") == (0, "")
    assert parse_more_value('{"o": -5}') == (0, "")


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
