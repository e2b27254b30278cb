"""Cached `/ivb volgende` and `/ivb kalender` answers: a write or the clock invalidates, never stale."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from bot.runtime.deps import Deps
from handlers.meetings import calendar_page
from storage.db import make_engine, make_session_factory
from storage.models import AgendaProposal, ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.factories import add_meeting
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for


@pytest.fixture
def march_id(deps: Deps) -> int:
    with deps.sessions.begin() as s:
        return add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS)).id


def _propose(sessions: object, meeting_id: int, title: str) -> None:
    with sessions.begin() as s:  # type: ignore[attr-defined]
        meeting_overleg = 1  # ivb is the first default overleg
        s.add(
            AgendaProposal(
                overleg_id=meeting_overleg,
                meeting_id=meeting_id,
                title=title,
                proposer_id=OFFICIAL,
                state=ProposalState.INGEDIEND,
            )
        )


def _text(slack: SlackSender, words: str) -> str:
    return str(slack.command(words).json()["blocks"])


def test_a_proposal_written_in_this_process_shows_at_once(
    slack: SlackSender, deps: Deps, march_id: int
) -> None:
    """Ask, write a proposal through the bot's own engine, ask again: the count has moved."""
    for _ in range(3):  # warm every pooled connection's cache
        assert "nog geen agendavoorstellen" in _text(slack, "volgende")
    _propose(deps.sessions, march_id, "Evaluatie jaarwisseling")
    for _ in range(3):
        assert "1 ingediend" in _text(slack, "volgende")


def test_a_write_by_another_process_shows_at_once(slack: SlackSender, deps: Deps, march_id: int) -> None:
    """A write through another engine (another replica or the CLI) invalidates the cached answer too."""
    assert "nog geen agendavoorstellen" in _text(slack, "volgende ivb")
    assert "do 2 mrt 14:00" not in _text(slack, "kalender")
    other = make_engine(deps.settings.database_url)
    try:
        _propose(make_session_factory(other), march_id, "Cameratoezicht")
        add_meeting_by(other, datetime(2023, 3, 2, 14, 0, tzinfo=AMS))
    finally:
        other.dispose()
    assert "1 ingediend" in _text(slack, "volgende ivb")
    assert "do 2 mrt 14:00" in _text(slack, "kalender")


def add_meeting_by(engine: object, start: datetime) -> None:
    with make_session_factory(engine).begin() as s:  # type: ignore[arg-type]
        add_meeting(s, "kob", start)


def test_the_clock_passing_the_deadline_changes_the_answer(
    slack: SlackSender, deps: Deps, march_id: int
) -> None:
    """A cached answer is right only until the deadline it shows; after it the answer says it passed."""
    assert "Agendapunten aanleveren: uiterlijk" in _text(slack, "volgende")
    deps.clock.set(datetime(2023, 3, 6, 9, 30, tzinfo=AMS))  # type: ignore[attr-defined]
    assert "De agendadeadline was" in _text(slack, "volgende")
    deps.clock.advance(timedelta(days=15))  # type: ignore[attr-defined]
    text = _text(slack, "volgende")
    assert "nog geen Integraal Veiligheidsberaad gepland" in text


def test_kalender_drops_a_meeting_once_it_has_started(slack: SlackSender, deps: Deps, march_id: int) -> None:
    """The calendar answer is kept only until its first meeting starts."""
    assert "ma 20 mrt 09:30" in _text(slack, "kalender")
    deps.clock.set(datetime(2023, 3, 20, 9, 31, tzinfo=AMS))  # type: ignore[attr-defined]
    assert "ma 20 mrt 09:30" not in _text(slack, "kalender")


def test_sqlite_files_and_postgresql_get_a_change_watcher(deps: Deps) -> None:
    """SQLite files (data_version) and PostgreSQL (the change counter) are watched; a commit moves the
    version; in-memory SQLite is read every time."""
    from storage.changes import ChangeWatcher

    watcher = ChangeWatcher.for_engine(deps.engine)
    assert watcher is not None
    before = watcher.version()
    assert before is not None
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 5, 1, 9, 30, tzinfo=AMS))
    assert watcher.version() != before
    watcher.close()
    assert ChangeWatcher.for_engine(make_engine("sqlite://")) is None


def test_postgres_counter_moves_once_per_transaction_at_commit(deps: Deps) -> None:
    """On PostgreSQL the counter is bumped once per writing transaction, and only when it commits; the
    watcher's version moves only after the commit."""
    from storage.changes import ChangeWatcher

    if deps.engine.dialect.name != "postgresql":
        pytest.skip("the change counter's triggers exist on PostgreSQL only")
    watcher = ChangeWatcher.for_engine(deps.engine)
    assert watcher is not None
    before = watcher.version()
    counted = _change_counter(deps)
    with deps.sessions.begin() as s:
        for day in (1, 2, 3):
            add_meeting(s, "ivb", datetime(2023, 5, day, 9, 30, tzinfo=AMS))
        assert watcher.version() == before  # not visible before the commit
    assert watcher.version() != before
    assert _change_counter(deps) == counted + 1
    with deps.sessions() as s:  # a transaction that writes and rolls back
        add_meeting(s, "ivb", datetime(2023, 6, 1, 9, 30, tzinfo=AMS))
        s.rollback()
    assert _change_counter(deps) == counted + 1
    watcher.close()


def _change_counter(deps: Deps) -> int:
    with deps.engine.connect() as conn:
        return int(conn.execute(text("SELECT n FROM change_counter WHERE id = 1")).scalar_one())


def test_open_is_kept_only_until_a_write_or_midnight(slack: SlackSender, deps: Deps) -> None:
    """`/ivb open`: a new proposal shows at once, and after midnight the ages count one day more."""
    from tests.support.factories_open import add_proposal

    created = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)
    with deps.sessions.begin() as s:
        add_proposal(s, "ivb", "Evaluatie jaarwisseling", OFFICIAL, created=created)
    first = _text(slack, "open")
    assert "Evaluatie jaarwisseling" in first
    assert "9 dagen open" in first
    with deps.sessions.begin() as s:
        add_proposal(s, "kob", "Cameratoezicht", OFFICIAL, created=created)
    assert "Cameratoezicht" in _text(slack, "open")
    deps.clock.set(datetime(2023, 3, 2, 0, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    assert "10 dagen open" in _text(slack, "open")


def test_home_tab_is_kept_only_until_a_write_elsewhere(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack
) -> None:
    """A proposal written by another process shows in the Home tab as soon as this process hears of
    it (at once on SQLite; on PostgreSQL when the notification has reached the watcher's thread)."""
    from tests.support.factories_open import add_proposal

    def home() -> str:
        before = len(fake_slack.calls_to("views.publish"))
        slack.event({"type": "app_home_opened", "user": OFFICIAL, "channel": "D0OFFICIAL1", "tab": "home"})
        published = wait_for(lambda: fake_slack.calls_to("views.publish")[before:], what="views.publish")
        return str(published[-1].args["view"])

    assert "Cameratoezicht" not in home()
    other = make_engine(deps.settings.database_url)
    try:
        with make_session_factory(other).begin() as s:
            add_proposal(s, "ivb", "Cameratoezicht", OFFICIAL, created=datetime(2023, 2, 20, 12, tzinfo=AMS))
    finally:
        other.dispose()
    wait_for(lambda: "Cameratoezicht" in home(), what="the other process's proposal")


def test_kalender_is_kept_until_the_first_shown_deadline_passes(deps: Deps, march_id: int) -> None:
    """The calendar answer is kept only until a shown deadline passes, also one of a later meeting (the
    IVB's 6 March, after the Groninger Agenda of 14 March with its deadline of 7 March); then it says
    "deadline voorbij"."""
    with deps.sessions.begin() as s:
        add_meeting(s, "groningeragenda", datetime(2023, 3, 14, 13, 30, tzinfo=AMS))
    with deps.reads() as s:
        reply, valid_until = calendar_page(s, deps, scope="", now=datetime(2023, 3, 6, 0, 30, tzinfo=AMS))
        assert "_deadline ma 6 mrt_" in str(reply.blocks)
        assert valid_until == datetime(2023, 3, 6, 9, 30, tzinfo=AMS)
        later, _ = calendar_page(s, deps, scope="", now=valid_until)
    assert "• *ma 20 mrt 09:30* IVB · VGG, Groningen · _deadline voorbij_" in str(later.blocks)


def test_volgende_counts_days_from_today(slack: SlackSender, deps: Deps, march_id: int) -> None:
    """A kept `/ivb volgende` never says "over 5 dagen" on the next day: it is right until local midnight."""
    for _ in range(3):  # warm every pooled connection's cache
        assert "uiterlijk *ma 6 mrt 09:30 (over 5 dagen)*" in _text(slack, "volgende")
    deps.clock.set(datetime(2023, 3, 2, 0, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    for _ in range(3):
        assert "uiterlijk *ma 6 mrt 09:30 (over 4 dagen)*" in _text(slack, "volgende")
