"""Proposals by command, form and shortcut, and the secretariaat's decisions, through signed HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from slack_bolt import App

from bot.blocks import ids
from bot.runtime.deps import Deps
from storage.models import ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.fakes.slack import FakeSlack, Fault
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import audit_trail
from tests.support.proposal_helpers import (
    all_proposals,
    app_with_own_executor,
    button_values,
    opened_views,
    payload_message,
    posts,
    review_place,
    seed_ivb_2023,
    shortcut,
    view_submission,
    wait_post,
    wait_posts,
)
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for

ADMIN_DM = "D" + ADMIN[1:]
OFFICIAL_DM = "D" + OFFICIAL[1:]
OTHER = "U0OFFICIAL2"
OTHER_DM = "D" + OTHER[1:]


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    """The real app; its lazy work is finished before the database engine is disposed."""
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture
def ivb(deps: Deps) -> list[int]:
    return seed_ivb_2023(deps)


def _command(slack: SlackSender, text: str, user: str = OFFICIAL) -> dict[str, object]:
    result = slack.command(text, user_id=user)
    assert result.status == 200
    body: dict[str, object] = result.json()
    assert_valid_message(body)
    return body


def test_command_proposes_at_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """`/ivb voorstel <titel>` answers in the ack with #ref, overleg, meeting and deadline in Dutch."""
    body = _command(slack, "voorstel Hennepconvenant")
    assert body["response_type"] == "ephemeral"
    text = str(body["blocks"])
    for part in ("#1 Hennepconvenant", "Integraal Veiligheidsberaad", "maandag 20 maart 2023, 09:30"):
        assert part in text
    assert "(deadline maandag 6 maart 2023, 09:30)" in text
    (proposal,) = all_proposals(deps)
    assert (proposal.proposer_id, proposal.meeting_id) == (OFFICIAL, ivb[0])
    (review,) = wait_posts(fake_slack, ADMIN_DM, 1)
    assert "<@U0OFFICIAL1>" in review["blocks"][0]["text"]["text"]


def test_command_for_other_overleg(slack: SlackSender, deps: Deps) -> None:
    """`/ivb voorstel kob: <titel>` proposes for the KOB tafel; with nothing planned it says so."""
    body = _command(slack, "voorstel kob: Ondermijning en integriteit")
    assert "Bestuurlijke tafel Kwaliteit Openbaar Bestuur" in str(body["blocks"])
    assert "ingepland zodra de volgende vergadering gepland is" in str(body["blocks"])
    (proposal,) = all_proposals(deps)
    assert (proposal.overleg.key, proposal.meeting_id, proposal.title) == (
        "kob",
        None,
        "Ondermijning en integriteit",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("voorstel kob:", "nog geen titel"),
        ("voorstel " + "x" * 151, "maximum is 150"),
    ],
)
def test_command_bad_input(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, text: str, words: str
) -> None:
    """Bad input gets a Dutch answer and stores nothing; no review post goes out."""
    body = _command(slack, text)
    assert words in str(body["text"])
    assert all_proposals(deps) == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_ack_does_not_wait_for_slow_review_post(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """With Slack answering conversations.open in 1.5 s, the command's answer still comes at once."""
    slow = Fault(status=200, body={"ok": True, "channel": {"id": ADMIN_DM}}, delay=1.5)
    fake_slack.fail_next("conversations.open", slow)
    started = time.monotonic()
    body = _command(slack, "voorstel Snel antwoord")
    elapsed = time.monotonic() - started
    assert "#1 Snel antwoord" in str(body["blocks"])
    assert elapsed < 1.0, f"ack took {elapsed:.2f}s"
    wait_posts(fake_slack, ADMIN_DM, 1)


def test_command_without_text_opens_the_form(
    slack: SlackSender, fake_slack: FakeSlack, ivb: list[int]
) -> None:
    """`/ivb voorstel` alone opens the form with title, explanation, overleg, meeting and confidential."""
    result = slack.command("voorstel")
    assert result.status == 200
    (view,) = wait_for(lambda: opened_views(fake_slack), what="views.open")
    assert view["callback_id"] == "voorstel_nieuw"
    assert view["trigger_id"]
    assert [b.get("block_id") for b in view["blocks"]] == [
        "titel",
        "toelichting",
        "overleg",
        "vergadering",
        "vertrouwelijk",
    ]


def test_voorstel_openen_button_opens_the_form(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """The `voorstel_openen` button (Home tab, help) opens the same form."""
    slack.block_action(ids.OPEN_PROPOSAL_FORM, user_id=OFFICIAL)
    (view,) = wait_for(lambda: opened_views(fake_slack), what="views.open")
    assert view["callback_id"] == "voorstel_nieuw"


def test_reminder_button_in_a_channel_opens_the_form_for_its_overleg(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """The deadline reminder's "Agendapunt voorstellen", clicked in an overleg's channel, opens the form
    with that overleg chosen; a value that names no overleg (the Home tab's) keeps the default."""
    slack.block_action(ids.OPEN_PROPOSAL_FORM, "kob", user_id=OFFICIAL, channel_id="C0KOB00001")
    (view,) = wait_for(lambda: opened_views(fake_slack), what="views.open")
    assert view["callback_id"] == "voorstel_nieuw"
    (overleg,) = [b for b in view["blocks"] if b.get("block_id") == ids.OVERLEG_BLOCK]
    assert overleg["element"]["initial_option"]["value"] == "kob"
    slack.block_action(ids.OPEN_PROPOSAL_FORM, "home", user_id=OFFICIAL, channel_id="C0KOB00001")
    views = wait_for(lambda: opened_views(fake_slack)[1:], what="second views.open")
    (overleg,) = [b for b in views[0]["blocks"] if b.get("block_id") == ids.OVERLEG_BLOCK]
    assert overleg["element"]["initial_option"]["value"] == "ivb"


def test_form_submission_stores_for_chosen_meeting(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """A submitted form stores the proposal for the chosen meeting and DMs the confirmation."""
    result = view_submission(
        slack,
        "voorstel_nieuw",
        {"titel": "Jaarwisseling", "toelichting": "Evaluatie", "overleg": "ivb", "vergadering": str(ivb[1])},
        user=OFFICIAL,
        private_metadata="{}",
    )
    assert result.status == 200
    assert result.body == ""  # the form closes
    (proposal,) = all_proposals(deps)
    assert (proposal.title, proposal.meeting_id) == ("Jaarwisseling", ivb[1])
    (confirmation,) = wait_posts(fake_slack, OFFICIAL_DM, 1)
    assert "maandag 26 juni 2023, 09:30" in confirmation["blocks"][0]["text"]["text"]
    wait_posts(fake_slack, ADMIN_DM, 1)


@pytest.mark.parametrize(
    ("values", "block", "words"),
    [
        ({"titel": "", "overleg": "ivb"}, "titel", "nog geen titel"),
        ({"titel": "x" * 151, "overleg": "ivb"}, "titel", "maximum is 150"),
        ({"titel": "T", "toelichting": "y" * 2001, "overleg": "ivb"}, "toelichting", "maximum is 2000"),
        ({"titel": "T", "overleg": "brandweer"}, "overleg", "Kies uit"),
        ({"titel": "T", "overleg": "ivb", "vergadering": "PAST"}, "vergadering", "al geweest"),
    ],
)
def test_form_errors_show_in_the_form(
    *,
    slack: SlackSender,
    fake_slack: FakeSlack,
    deps: Deps,
    ivb: list[int],
    values: dict[str, str],
    block: str,
    words: str,
) -> None:
    """Bad input in the form comes back as `response_action: errors` on the right field; nothing is stored."""
    if values.get("vergadering") == "PAST":
        deps.clock.set(datetime(2023, 4, 1, 10, 0, tzinfo=AMS))  # type: ignore[attr-defined]
        values = {**values, "vergadering": str(ivb[0])}  # 20 March is over by then
    result = view_submission(slack, "voorstel_nieuw", values, user=OFFICIAL, private_metadata="{}")
    body = result.json()
    assert body["response_action"] == "errors"
    assert words in body["errors"][block]
    assert all_proposals(deps) == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_shortcut_prefills_form_and_keeps_permalink(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """The message shortcut opens the form filled with the message; the proposal keeps the message's
    permalink, which the bot fetches from Slack itself when it posts the review (never from the form)."""
    text = "Graag bespreken: cameratoezicht\nDe gemeenteraad vroeg erom."
    shortcut(slack, user=OFFICIAL, channel="C0GENERAL01", ts="1677650000.000200", text=text)
    (view,) = wait_for(lambda: opened_views(fake_slack), what="views.open")
    inputs = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert inputs["titel"] == "Graag bespreken: cameratoezicht"
    assert inputs["toelichting"] == text
    meta = json.loads(view["private_metadata"])
    assert "permalink" not in meta
    result = view_submission(
        slack,
        "voorstel_nieuw",
        {"titel": inputs["titel"], "toelichting": text, "overleg": "ivb"},
        user=OFFICIAL,
        private_metadata=view["private_metadata"],
    )
    assert result.body == ""
    # The review post links to the source message.
    review = wait_posts(fake_slack, ADMIN_DM, 1)[0]
    assert "Oorspronkelijk bericht" in review["blocks"][0]["text"]["text"]
    assert fake_slack.calls_to("chat.getPermalink")[0].args["message_ts"] == "1677650000.000200"
    (proposal,) = all_proposals(deps)
    assert proposal.source_permalink == "https://vgg.slack.com/archives/C0GENERAL01/p1677650000000200"
    assert (proposal.source_channel, proposal.source_ts, proposal.meeting_id) == (
        "C0GENERAL01",
        "1677650000.000200",
        ivb[0],
    )


def test_shortcut_on_same_message_asks_first(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """A second shortcut on the same message warns and asks; a stale form is re-shown with the question."""
    message = {"user": OFFICIAL, "channel": "C0GENERAL01", "ts": "1677650000.000300", "text": "Hennep"}
    shortcut(slack, **message)
    shortcut(slack, **message)  # a second form opened before the first is submitted
    first, stale = wait_for(
        lambda: len(opened_views(fake_slack)) == 2 and opened_views(fake_slack), what="views"
    )
    values = {"titel": "Hennep", "overleg": "ivb"}
    assert view_submission(
        slack, "voorstel_nieuw", values, user=OFFICIAL, private_metadata=first["private_metadata"]
    )
    # The stale form now asks before making a second proposal from the same message.
    again = view_submission(
        slack, "voorstel_nieuw", values, user=OFFICIAL, private_metadata=stale["private_metadata"]
    )
    body = again.json()
    assert body["response_action"] == "update"
    assert "al een agendavoorstel gemaakt (#1)" in str(body["view"]["blocks"])
    assert body["view"]["submit"]["text"] == "Toch indienen"
    assert len(all_proposals(deps)) == 1
    # A third shortcut warns straight away; confirming makes the second one.
    shortcut(slack, **message)
    third = wait_for(
        lambda: len(opened_views(fake_slack)) == 3 and opened_views(fake_slack)[2], what="third view"
    )
    assert "al een agendavoorstel gemaakt (#1)" in str(third["blocks"])
    confirm = view_submission(
        slack, "voorstel_nieuw", values, user=OFFICIAL, private_metadata=third["private_metadata"]
    )
    assert confirm.body == ""
    assert len(all_proposals(deps)) == 2


def test_secretariaat_decides_and_proposers_hear(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Agenderen one, aanhouden one, afwijzen one with a reason: DMs, updated review posts, `/ivb agenda`."""
    _command(slack, "voorstel Hennepconvenant", user=OFFICIAL)
    _command(slack, "voorstel Jaarwisseling", user=OTHER)
    _command(slack, "voorstel Iets zonder draagvlak", user=OFFICIAL)
    wait_for(lambda: all(review_place(deps, p.id) for p in all_proposals(deps)), what="review ts stored")
    # Review posts go out in worker threads, so they may arrive in any order: key them by proposal.
    reviews = {
        int(button_values(r, ids.DEFER_PROPOSAL)[0].partition("~")[0]): r
        for r in wait_posts(fake_slack, ADMIN_DM, 3)
    }
    first, second, third = all_proposals(deps)

    (agenderen,) = button_values(reviews[first.id], ids.SCHEDULE_PROPOSAL)
    assert agenderen == f"{first.id}:{ivb[0]}~ingediend"  # with the state the button shows
    for action_id, value, proposal in (
        (ids.SCHEDULE_PROPOSAL, agenderen, first),
        (ids.DEFER_PROPOSAL, button_values(reviews[second.id], ids.DEFER_PROPOSAL)[0], second),
        (ids.REJECT_PROPOSAL, button_values(reviews[third.id], ids.REJECT_PROPOSAL)[0], third),
    ):
        clicked = slack.block_action(
            action_id, value, user_id=ADMIN, channel_id=ADMIN_DM, message_ts=_ts(deps, proposal.id)
        )
        assert clicked.status == 200
    (reject_form,) = wait_for(lambda: opened_views(fake_slack), what="reject form")
    assert reject_form["callback_id"] == "voorstel_afwijzen_reden"
    empty = view_submission(
        slack,
        "voorstel_afwijzen_reden",
        {"reden": " "},
        user=ADMIN,
        private_metadata=reject_form["private_metadata"],
    )
    assert "reden" in empty.json()["errors"]
    done = view_submission(
        slack,
        "voorstel_afwijzen_reden",
        {"reden": "Hoort bij de <KOB-tafel>"},
        user=ADMIN,
        private_metadata=reject_form["private_metadata"],
    )
    assert done.body == ""

    official_dms = str([dm["blocks"] for dm in wait_posts(fake_slack, OFFICIAL_DM, 2)])
    other_dms = str([dm["blocks"] for dm in wait_posts(fake_slack, OTHER_DM, 1)])
    assert (
        "staat op de agenda van het Integraal Veiligheidsberaad van *maandag 20 maart 2023, 09:30*"
        in official_dms
    )
    assert "aangehouden en schuift door naar de vergadering van *maandag 26 juni 2023, 09:30*" in other_dms
    assert "Hoort bij de &lt;KOB-tafel&gt;" in official_dms

    states = {p.title: (p.state, p.meeting_id, p.position) for p in all_proposals(deps)}
    assert states == {
        "Hennepconvenant": (ProposalState.GEAGENDEERD, ivb[0], 1),
        "Jaarwisseling": (ProposalState.AANGEHOUDEN, ivb[1], None),
        "Iets zonder draagvlak": (ProposalState.AFGEWEZEN, ivb[0], None),
    }
    with deps.sessions.begin() as s:
        trail = audit_trail(s, "proposal", third.id)
        assert [(a.actor_id, a.from_value, a.to_value) for a in trail][-1] == (
            ADMIN,
            "ingediend",
            "afgewezen",
        )

    # The stored review posts were updated: no buttons left on the decided ones.
    updates = wait_for(
        lambda: len(fake_slack.calls_to("chat.update")) >= 3 and fake_slack.calls_to("chat.update")
    )
    for call in updates:
        assert_valid_message(payload_message(call))
    updated_ts = {c.args["ts"] for c in updates}
    assert {_ts(deps, first.id), _ts(deps, second.id), _ts(deps, third.id)} == updated_ts
    assert "Geagendeerd voor maandag 20 maart 2023, 09:30 (punt 1)" in str([c.args for c in updates])

    agenda = _command(slack, "agenda")
    assert "1. Hennepconvenant _(#1, <@U0OFFICIAL1>)_" in str(agenda["blocks"])
    assert "Jaarwisseling" not in str(agenda["blocks"])


def test_forged_decision_by_non_admin_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """An official who sends the secretariaat's payloads is refused by DM and nothing changes."""
    _command(slack, "voorstel Hennepconvenant")
    wait_posts(fake_slack, ADMIN_DM, 1)
    (proposal,) = all_proposals(deps)
    slack.block_action(ids.SCHEDULE_PROPOSAL, f"{proposal.id}:{ivb[0]}", user_id=OTHER)
    slack.block_action(ids.DEFER_PROPOSAL, str(proposal.id), user_id=OTHER)
    slack.block_action(ids.REJECT_PROPOSAL, str(proposal.id), user_id=OTHER)
    slack.block_action(ids.REJECT_PROPOSAL, f"{proposal.id} geforceerd", user_id=OFFICIAL)
    forged_form = view_submission(
        slack, "voorstel_afwijzen_reden", {"reden": "nee"}, user=OTHER, private_metadata=str(proposal.id)
    )
    assert "Alleen het secretariaat" in forged_form.json()["errors"]["reden"]
    refusals = wait_posts(fake_slack, OTHER_DM, 3)
    assert all("Alleen het secretariaat" in r["text"] for r in refusals)
    assert "Alleen het secretariaat" in wait_posts(fake_slack, OFFICIAL_DM, 1)[0]["text"]
    (after,) = all_proposals(deps)
    assert (after.state, after.position, after.reason) == (ProposalState.INGEDIEND, None, "")
    with deps.sessions.begin() as s:
        assert len(audit_trail(s, "proposal", proposal.id)) == 1
    assert fake_slack.calls_to("chat.update") == []
    assert fake_slack.calls_to("views.open") == []


def test_proposer_withdraws_and_edits(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """The proposer edits through the form and withdraws with the button; someone else cannot."""
    body = _command(slack, "voorstel Hennep")
    message = {"text": str(body["text"]), "blocks": body["blocks"]}
    (edit_value,) = button_values(message, ids.EDIT_PROPOSAL)  # type: ignore[arg-type]
    (withdraw_value,) = button_values(message, ids.WITHDRAW_PROPOSAL)  # type: ignore[arg-type]
    slack.block_action(ids.EDIT_PROPOSAL, edit_value, user_id=OTHER)
    assert "Alleen wie voorstel #1 indiende" in wait_posts(fake_slack, OTHER_DM, 1)[0]["text"]
    slack.block_action(ids.EDIT_PROPOSAL, edit_value, user_id=OFFICIAL)
    (form,) = wait_for(lambda: opened_views(fake_slack), what="edit form")
    too_long = view_submission(
        slack,
        "voorstel_bewerken",
        {"titel": "x" * 151},
        user=OFFICIAL,
        private_metadata=form["private_metadata"],
    )
    assert "maximum is 150" in too_long.json()["errors"]["titel"]
    saved = view_submission(
        slack,
        "voorstel_bewerken",
        {"titel": "Hennepconvenant", "toelichting": "Nieuw"},
        user=OFFICIAL,
        private_metadata=form["private_metadata"],
    )
    assert saved.body == ""
    assert all_proposals(deps)[0].title == "Hennepconvenant"
    slack.block_action(ids.WITHDRAW_PROPOSAL, withdraw_value, user_id=OTHER)
    slack.block_action(ids.WITHDRAW_PROPOSAL, withdraw_value, user_id=OFFICIAL)
    wait_for(
        lambda: any("ingetrokken" in p["text"] for p in posts(fake_slack, OFFICIAL_DM)), what="withdraw DM"
    )
    assert all_proposals(deps)[0].state == ProposalState.INGETROKKEN
    # Once withdrawn the secretariaat cannot agenda it any more.
    slack.block_action(ids.SCHEDULE_PROPOSAL, f"1:{ivb[0]}", user_id=ADMIN)
    assert "al ingetrokken" in wait_post(fake_slack, ADMIN_DM, "al ingetrokken")["text"]


def test_user_text_is_escaped_everywhere(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """A title like `<!channel> & <@U123>` pings no channel in any message; the person `<@U123>` is
    stored as the id and shown by Slack as their name."""
    # Typed literally, Slack delivers `<`, `>` and `&` as entities (with should_escape on /ivb).
    body = _command(slack, "voorstel &lt;!channel&gt; &amp; &lt;@U123&gt;")
    wait_posts(fake_slack, ADMIN_DM, 1)
    _command(slack, "agenda")
    slack.block_action(ids.SCHEDULE_PROPOSAL, f"1:{ivb[0]}", user_id=ADMIN, channel_id=ADMIN_DM)
    wait_posts(fake_slack, OFFICIAL_DM, 1)
    agenda = _command(slack, "agenda")
    texts = [json.dumps(body), json.dumps(agenda)] + [json.dumps(c.args) for c in fake_slack.calls]
    assert "&lt;!channel&gt; &amp; <@U123>" in texts[0]
    assert "&lt;!channel&gt; &amp; <@U123>" in texts[1]
    for text in texts:
        assert "<!channel>" not in text
    assert all_proposals(deps)[0].title == "<!channel> & <@U123>"  # stored as typed


def _ts(deps: Deps, proposal_id: int) -> str:
    place = review_place(deps, proposal_id)
    assert place is not None
    return place[1]


def test_review_channel_gets_the_review_post(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """With REVIEW_CHANNEL set the review goes to that channel (no admin DMs) and is updated there."""
    deps.settings = deps.settings.model_copy(update={"review_channel": "C0REVIEW001"})
    _command(slack, "voorstel Hennepconvenant")
    (review,) = wait_posts(fake_slack, "C0REVIEW001", 1)
    (proposal,) = all_proposals(deps)
    place = wait_for(lambda: review_place(deps, proposal.id), what="review ts")
    assert place[0] == "C0REVIEW001"
    assert fake_slack.calls_to("conversations.open") == []
    slack.block_action(
        ids.SCHEDULE_PROPOSAL,
        button_values(review, ids.SCHEDULE_PROPOSAL)[0],
        user_id=ADMIN,
        channel_id="C0REVIEW001",
        message_ts=place[1],
    )
    (update,) = wait_for(lambda: fake_slack.calls_to("chat.update"), what="chat.update")
    assert (update.args["channel"], update.args["ts"]) == place
    wait_posts(fake_slack, OFFICIAL_DM, 1)
