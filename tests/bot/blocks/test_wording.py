"""What officials read: no raw `<placeholder>` that Slack would swallow, the right articles, the
secretariaat named, "uiterlijk" for deadlines, a confirmation before withdrawing, decisions that say
who made them, and top-level texts that say the message in short with its title."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bot.blocks.answers import build_greeting
from bot.blocks.confidential import build_confidential_dm
from bot.blocks.decisions import build_decided_note, build_decision_dm
from bot.blocks.dialogue import FIXED_ANSWERS
from bot.blocks.digest import build_deadline_reminder, build_meeting_reminder
from bot.blocks.feed import build_feed_subscribed
from bot.blocks.help import build_help
from bot.blocks.meetings import build_calendar, build_next_meeting
from bot.blocks.proposals import build_agenda, build_created, build_review, build_saved
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import decisions, proposals
from bot.services import meetings as meeting_service
from bot.services import overleggen as overleg_service
from bot.services import review as review_service
from bot.services.errors import NotAllowed, Refused
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting

# In mrkdwn `<…>` is a link, mention or date token; anything else inside is swallowed by Slack.
RAW_TOKEN = re.compile(r"<(?![@#!]|https?://|mailto:)[^>]*>")


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def _raw_tokens(blocks: list[dict[str, Any]]) -> list[str]:
    return [token for text in _texts(blocks) for token in RAW_TOKEN.findall(text)]


def test_no_raw_placeholders_anywhere(deps: Deps, clock: FixedClock) -> None:
    """Help, the agenda, the dialogue's hint, the greeting, both reminders and `/ivb volgende` write
    `&lt;titel&gt;`, never `<titel>`."""
    now = clock.now()
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 3, 16, 14, 0, tzinfo=AMS))
        kob = overleg_service.read_overleg(session=s, text="kob")
        info = meeting_service.read_next_meeting(session=s, overleg=kob, now=now, tz=AMS)
        agenda = proposals.read_agenda(session=s, overleg="kob", now=now)
        overleggen = overleg_service.read_overleggen(session=s)
    assert info.meeting is not None
    assert info.deadline is not None
    surfaces = {
        "help": build_help(overleggen).blocks,
        "agenda": build_agenda(agenda, tz=AMS).blocks,
        "hint": [{"type": "mrkdwn", "text": FIXED_ANSWERS["hint"]}],
        "greeting": build_greeting().blocks,
        "volgende": build_next_meeting(info, tz=AMS, admins=(ADMIN,), now=now).blocks,
        "deadline reminder": build_deadline_reminder(
            info.meeting, deadline=info.deadline, tz=AMS, now=now
        ).blocks,
        "meeting reminder": build_meeting_reminder(info.meeting, tz=AMS).blocks,
    }
    assert {name: _raw_tokens(blocks) for name, blocks in surfaces.items()} == {name: [] for name in surfaces}
    assert "&lt;titel&gt;" in str(surfaces["help"])
    assert "&lt;tekst&gt; [voor &lt;datum&gt;]" in str(surfaces["help"])


def test_the_kob_reminder_points_to_the_kob(deps: Deps, clock: FixedClock) -> None:
    """In the KOB's channel the reminders name the KOB: `/ivb agenda kob`, `/ivb voorstel kob …`."""
    now = clock.now()
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 3, 16, 14, 0, tzinfo=AMS))
        kob = overleg_service.read_overleg(session=s, text="kob")
        info = meeting_service.read_next_meeting(session=s, overleg=kob, now=now, tz=AMS)
    assert info.meeting is not None
    assert info.deadline is not None
    assert "`/ivb agenda kob`" in str(build_meeting_reminder(info.meeting, tz=AMS).blocks)
    reminder = build_deadline_reminder(info.meeting, deadline=info.deadline, tz=AMS, now=now)
    assert "`/ivb voorstel kob &lt;titel&gt;`" in str(reminder.blocks)


def test_articles_and_the_secretariaat(deps: Deps, clock: FixedClock) -> None:
    """ "ingediend voor het *Integraal Veiligheidsberaad*", "hoort niet bij het Integraal
    Veiligheidsberaad"; the feed's missing link names the secretariaat instead of "hen" or "hun"."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        kob_meeting = add_meeting(s, "kob", datetime(2023, 3, 16, 14, 0, tzinfo=AMS))
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Hennep", now=clock.now(), tz=AMS
        )
        assert "ingediend voor het *Integraal Veiligheidsberaad*" in str(
            build_created(created, tz=AMS).blocks
        )
        with pytest.raises(Refused) as wrong:
            proposals.create_proposal(
                session=s, proposer_id=OFFICIAL, title="X", meeting_id=kob_meeting.id, now=clock.now(), tz=AMS
            )
    assert "hoort niet bij het Integraal Veiligheidsberaad" in wrong.value.message
    missing = build_feed_subscribed(None, revoked_earlier=False).text
    assert "secretariaat" in missing
    assert not re.search(r"\bVraag het (hen|hun)\b", missing)


def test_a_decision_twice_says_so_plainly(deps: Deps, clock: FixedClock) -> None:
    """ "Voorstel #1 is al geagendeerd." not "…; geagendeerd kan nu niet meer."; another decision names it."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        pid = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="X", now=clock.now(), tz=AMS)
        pid = pid.proposal.id
        kwargs = {
            "session": s,
            "proposal_id": pid,
            "actor_id": ADMIN,
            "admin_ids": (ADMIN,),
            "now": clock.now(),
        }
        decisions.decide(decision="agenderen", **kwargs)  # type: ignore[arg-type]
        with pytest.raises(NotAllowed) as again:
            decisions.decide(decision="agenderen", **kwargs)  # type: ignore[arg-type]
        with pytest.raises(NotAllowed) as other:
            decisions.decide(decision="afwijzen", reason="nee", **kwargs)  # type: ignore[arg-type]
    assert again.value.message == "Voorstel #1 is al geagendeerd. Er is niets veranderd."
    assert (
        other.value.message
        == "Voorstel #1 is al geagendeerd; afwijzen kan dan niet meer. Er is niets veranderd."
    )


def test_withdrawing_asks_for_confirmation(deps: Deps, clock: FixedClock) -> None:
    """Intrekken cannot be undone, so its button carries Slack's confirmation dialog."""
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="X", now=clock.now(), tz=AMS
        )
        message = build_created(created, tz=AMS).as_message()
    assert_valid_message(message)
    (withdraw,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"] == "voorstel_intrekken"]  # fmt: skip
    assert withdraw["confirm"]["title"]["text"] == "Voorstel #1 intrekken?"
    assert withdraw["confirm"]["confirm"]["text"] == "Intrekken"
    assert withdraw["confirm"]["style"] == "danger"


def test_decisions_say_who_and_when(deps: Deps, clock: FixedClock) -> None:
    """After a decision the review post says who decided and when; the proposer's DM names them, and its
    top-level text is the decision in short with the title."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        pid = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Hennepconvenant", now=clock.now(), tz=AMS
        ).proposal.id
        made = decisions.decide(
            session=s, proposal_id=pid, actor_id=ADMIN, admin_ids=(ADMIN,), decision="agenderen",
            now=clock.now() + timedelta(hours=2),
        )  # fmt: skip
        dm = build_decision_dm(made, tz=AMS)
        review = review_service.read_review(session=s, proposal_id=pid, now=clock.now(), tz=AMS)
        assert review is not None
        post = build_review(
            review.proposal, meetings=review.meetings, tz=AMS, decided_by=review.decided_by,
            decided_at=review.decided_at,
        )  # fmt: skip
    assert dm.text == "Voorstel #1 «Hennepconvenant» is geagendeerd voor het IVB van ma 20 mrt"
    assert "Besloten door <@U0ADMIN0001>, woensdag 1 maart 2023, 12:00" in str(dm.blocks)
    assert "door <@U0ADMIN0001>, woensdag 1 maart 2023, 12:00" in str(post.blocks)
    assert post.text == "Voorstel #1 «Hennepconvenant» is geagendeerd voor het IVB van ma 20 mrt"


def test_top_level_texts_carry_the_title(deps: Deps, clock: FixedClock) -> None:
    """Notifications show the message in short with the title, escaped like the blocks."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Hennep <!here>", now=clock.now(), tz=AMS
        )
        review = build_review(created.proposal, meetings=[], tz=AMS)
        confirmation = build_created(created, tz=AMS)
    assert confirmation.text == (
        "Voorstel #1 «Hennep &lt;!here&gt;» ingediend voor het Integraal Veiligheidsberaad van 20 maart"
    )
    assert (
        review.text == "Nieuw agendavoorstel #1 «Hennep &lt;!here&gt;» voor het Integraal Veiligheidsberaad"
    )


def test_action_point_deadlines_say_uiterlijk() -> None:
    """Action points are due "uiterlijk", with relative time, and past it "te laat"."""
    from bot.blocks.action_points import due_phrase, due_words
    from bot.services.open_items import ActionItem
    from storage.models import ActionStatus

    today = date(2023, 3, 1)
    item = ActionItem(
        1, "ivb", "IVB", None, "Notitie", OFFICIAL, date(2023, 3, 4), ActionStatus.OPEN, datetime.now(AMS)
    )
    late = ActionItem(
        2, "ivb", "IVB", None, "Notitie", OFFICIAL, date(2023, 2, 27), ActionStatus.OPEN, datetime.now(AMS)
    )
    assert due_words(item, today=today) == "uiterlijk za 4 mrt (over 3 dagen)"
    assert due_words(late, today=today) == ":warning: *te laat*, uiterlijk ma 27 feb (2 dagen geleden)"
    assert due_phrase(date(2023, 3, 4)) == "uiterlijk zaterdag 4 maart 2023"


def test_review_post_of_a_cancelled_meeting_says_so(deps: Deps, clock: FixedClock) -> None:
    """A proposal whose meeting was cancelled: the review post strikes the date and says "geannuleerd"."""
    from storage.models import MeetingStatus

    with deps.sessions.begin() as s:
        meeting = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="X", now=clock.now(), tz=AMS
        )
        meeting.status = MeetingStatus.GEANNULEERD
        s.flush()
        s.refresh(created.proposal)
        post = build_review(created.proposal, meetings=[], tz=AMS)
    assert "Vergadering: ~maandag 20 maart 2023, 09:30~ geannuleerd" in str(post.blocks)


# "Voorstel #9: geagendeerd", "Agendavoorstel #9: afgewezen": a state after a bare reference.
BARE = re.compile(r"#\d+\s*:")


def test_no_top_level_text_is_bare(deps: Deps, clock: FixedClock) -> None:
    """Every message about a proposal, in every state it can reach, has a top-level text that says the
    message in short with the title (never "Voorstel #9: geagendeerd"); the meeting answers name theirs."""
    now = clock.now()
    texts: dict[str, str] = {}
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))
        for n, (choice, reason) in enumerate(
            [("agenderen", ""), ("aanhouden", ""), ("afwijzen", "Past niet"), ("", "")], start=1
        ):
            created = proposals.create_proposal(
                session=s, proposer_id=OFFICIAL, title=f"Hennepconvenant {n}", now=now, tz=AMS
            )
            pid = created.proposal.id
            texts[f"created {n}"] = build_created(created, tz=AMS).text
            if choice:
                made = decisions.decide(
                    session=s, proposal_id=pid, actor_id=ADMIN, admin_ids=(ADMIN,), decision=choice,
                    now=now, reason=reason,
                )  # fmt: skip
            else:
                made = decisions.withdraw(session=s, proposal_id=pid, user_id=OFFICIAL, now=now)
            texts[f"dm {choice or 'intrekken'}"] = build_decision_dm(made, tz=AMS).text
            texts[f"note {choice or 'intrekken'}"] = build_decided_note(made, tz=AMS).text
            review = review_service.read_review(session=s, proposal_id=pid, now=now, tz=AMS)
            assert review is not None
            texts[f"review {choice or 'intrekken'}"] = build_review(
                review.proposal, meetings=review.meetings, tz=AMS, decided_by=review.decided_by,
                decided_at=review.decided_at,
            ).text  # fmt: skip
            made.proposal.confidential = not made.proposal.confidential
            texts[f"confidential {n}"] = build_confidential_dm(made.proposal).text
            texts[f"saved {n}"] = build_saved(made.proposal).text
        ivb = overleg_service.read_overleg(session=s, text="ivb")
        info = meeting_service.read_next_meeting(session=s, overleg=ivb, now=now, tz=AMS)
        page = meeting_service.read_calendar_page(session=s, now=now, tz=AMS)
    texts["volgende"] = build_next_meeting(info, tz=AMS, admins=(ADMIN,), now=now).text
    texts["kalender"] = build_calendar(page, tz=AMS, now=now).text
    for name, text in texts.items():
        assert not BARE.search(text), (name, text)
        assert len(text.split()) >= 4, (name, text)
        if name.split()[0] in {"created", "dm", "note", "review", "confidential", "saved"}:
            assert "«Hennepconvenant " in text, (name, text)
    assert (
        texts["dm agenderen"] == "Voorstel #1 «Hennepconvenant 1» is geagendeerd voor het IVB van ma 20 mrt"
    )
    assert texts["review aanhouden"] == (
        "Voorstel #2 «Hennepconvenant 2» is aangehouden en schuift door naar het IVB van ma 26 jun"
    )
    assert texts["review afwijzen"] == "Voorstel #3 «Hennepconvenant 3» is afgewezen"
    assert texts["volgende"].endswith("agendapunten uiterlijk ma 6 mrt 09:30 (over 5 dagen)")
