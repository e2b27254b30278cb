"""`/ivb open`, `/ivb actie`, action point buttons and the Home tab, through signed HTTP requests."""

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bot.runtime.app import create_app
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from storage.models import ActionPoint, ActionStatus, AuditEvent
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.fakes.slack import FakeSlack, Fault
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal
from tests.support.slackclient import SlackSender
from tests.support.waiting import InlineExecutor

OTHER = "U0OTHER0001"
CREATED = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)


@pytest.fixture
def bolt_app(deps: Deps) -> Any:
    """Answers to clicks go out in lazy listeners; here they run inside the request, so each test
    reads what was posted as soon as the HTTP call returns."""
    return create_app(deps, client=make_web_client(deps.settings), listener_executor=InlineExecutor())


@pytest.fixture
def items(deps: Deps) -> dict[str, int]:
    """Proposals and action points of two officials."""
    with deps.sessions.begin() as s:
        ivb = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_proposal(s, "ivb", "Mijn voorstel", OFFICIAL, created=CREATED, meeting=ivb)
        add_proposal(s, "ivb", "Voorstel van een ander", OTHER, created=CREATED, meeting=ivb)
        mine = add_action(s, "ivb", "Rapport schrijven", OFFICIAL, created=CREATED, due=date(2023, 2, 28))
        theirs = add_action(s, "kob", "Actie van een ander", OTHER, created=CREATED)
        return {"mine": mine.id, "theirs": theirs.id}


def _message(call_args: dict[str, Any]) -> dict[str, Any]:
    blocks = call_args.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return {"text": call_args.get("text"), "blocks": blocks}


def _status(deps: Deps, item_id: int) -> ActionStatus:
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, item_id)
        assert point is not None
        return point.status


@pytest.mark.usefixtures("items")
def test_open_mijn_shows_exactly_my_items(slack: SlackSender) -> None:
    """`/ivb open mijn` lists the asker's proposal and action point, nobody else's."""
    body = slack.command("open mijn", user_id=OFFICIAL).json()
    assert_valid_message(body)
    text = str(body["blocks"])
    assert "Mijn voorstel" in text
    assert "Rapport schrijven" in text
    assert "te laat" in text
    assert "van een ander" not in text


@pytest.mark.usefixtures("items")
def test_open_lists_everything_and_filters_by_overleg(slack: SlackSender) -> None:
    """`/ivb open` shows all open items; `/ivb open kob` only the KOB ones; a bad overleg is named."""
    everything = str(slack.command("open").json()["blocks"])
    assert "Voorstel van een ander" in everything
    assert "Rapport schrijven" in everything
    kob = slack.command("open kob").json()
    assert_valid_message(kob)
    assert "Actie van een ander" in str(kob["blocks"])
    assert "Rapport schrijven" not in str(kob["blocks"])
    assert "Ik ken geen overleg" in slack.command("open brandweer").json()["text"]


def test_owner_closes_with_one_click(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack, items: dict[str, int]
) -> None:
    """One click on Afgerond by the owner closes the item, audits it and offers Heropenen."""
    result = slack.block_action("actiepunt_afgerond", str(items["mine"]), user_id=OFFICIAL)
    assert result.status == 200
    assert _status(deps, items["mine"]) == ActionStatus.AFGEROND
    answer = _message(fake_slack.calls_to("chat.postEphemeral")[-1].args)
    assert_valid_message(answer)
    assert "Afgerond" in str(answer["blocks"])
    assert "actiepunt_heropenen" in str(answer["blocks"])
    with deps.sessions.begin() as s:
        events = s.query(AuditEvent).filter_by(entity_id=items["mine"], action="afgerond").all()
        assert [e.actor_id for e in events] == [OFFICIAL]


def test_done_twice_says_so_and_changes_nothing(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack, items: dict[str, int]
) -> None:
    """A second click on Afgerond answers that it was done already; one audit event only."""
    slack.block_action("actiepunt_afgerond", str(items["mine"]), user_id=OFFICIAL)
    slack.block_action("actiepunt_afgerond", str(items["mine"]), user_id=OFFICIAL)
    assert "al afgerond" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    with deps.sessions.begin() as s:
        assert s.query(AuditEvent).filter_by(entity_id=items["mine"], action="afgerond").count() == 1


def test_non_owner_cannot_close_reopen_or_move(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack, items: dict[str, int]
) -> None:
    """Forged clicks by someone else on another's item are refused and change nothing."""
    theirs = str(items["theirs"])
    slack.block_action("actiepunt_afgerond", theirs, user_id=OFFICIAL)
    assert "Alleen de eigenaar" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    slack.block_action("actiepunt_heropenen", theirs, user_id=OFFICIAL)
    forged_date = {
        "actions": [
            {
                "type": "datepicker",
                "action_id": "actiepunt_datum",
                "block_id": f"actiepunt:{theirs}",
                "selected_date": "2023-06-01",
                "action_ts": "1.0",
            }
        ]
    }
    slack.block_action("actiepunt_datum", user_id=OFFICIAL, extra=forged_date)
    assert all("Alleen de eigenaar" in c.args["text"] for c in fake_slack.calls_to("chat.postEphemeral"))
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, items["theirs"])
        assert point is not None
        assert (point.status, point.due_date) == (ActionStatus.OPEN, None)
        assert s.query(AuditEvent).count() == 0


def test_owner_moves_due_date_with_the_picker(slack: SlackSender, deps: Deps, items: dict[str, int]) -> None:
    """The owner picks a new due date; it is stored and audited."""
    picked = {
        "actions": [
            {
                "type": "datepicker",
                "action_id": "actiepunt_datum",
                "block_id": f"actiepunt:{items['mine']}",
                "selected_date": "2023-04-03",
                "action_ts": "1.0",
            }
        ]
    }
    slack.block_action("actiepunt_datum", user_id=OFFICIAL, extra=picked)
    with deps.sessions.begin() as s:
        point = s.get(ActionPoint, items["mine"])
        assert point is not None
        assert point.due_date == date(2023, 4, 3)
        assert s.query(AuditEvent).filter_by(action="deadline").one().to_value == "2023-04-03"


def test_admin_creates_and_owner_gets_a_dm(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """`/ivb actie @persoon tekst voor <datum>` by the secretariaat stores it and DMs the owner."""
    body = slack.command("actie <@U0PIET0001|piet> Notitie rondsturen voor 15 maart", user_id=ADMIN).json()
    assert_valid_message(body)
    assert "Actiepunt vastgelegd" in body["text"]
    with deps.sessions.begin() as s:
        point = s.query(ActionPoint).one()
        assert (point.owner_id, point.text, point.due_date) == (
            "U0PIET0001",
            "Notitie rondsturen",
            date(2023, 3, 15),
        )
        assert s.query(AuditEvent).filter_by(action="aangemaakt").one().actor_id == ADMIN
    dm = fake_slack.calls_to("chat.postMessage")[-1].args
    assert dm["channel"] == "D0PIET0001"  # the DM with the owner (conversations.open)
    assert_valid_message(_message(dm))
    assert "woensdag 15 maart 2023" in str(dm["blocks"])


def test_only_admins_create(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """An official's `/ivb actie` is refused; nothing stored, nobody messaged, no form opened."""
    body = slack.command("actie <@U0PIET0001> Iets doen", user_id=OFFICIAL).json()
    assert "Alleen het secretariaat" in body["text"]
    assert "Alleen het secretariaat" in slack.command("actie", user_id=OFFICIAL).json()["text"]
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0
    assert not fake_slack.calls_to("chat.postMessage")
    assert not fake_slack.calls_to("views.open")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0PIET0001>", "Wat moet er gebeuren"),
        ("@piet iets doen", "Noem de eigenaar"),
        ("<@U0PIET0001> iets doen voor 45 sint-juttemis", "15 maart"),
        ("<@U0PIET0001> iets doen voor 15-3-2020", "verleden"),
        ("brandweer <@U0PIET0001> iets doen", "Ik ken geen overleg"),
    ],
)
def test_bad_input_is_refused(slack: SlackSender, deps: Deps, text: str, expected: str) -> None:
    """Empty text, no mention, unreadable or past date, unknown overleg: Dutch answer, nothing stored."""
    body = slack.command(f"actie {text}", user_id=ADMIN).json()
    assert_valid_message(body)
    assert expected in body["text"]
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


def test_unknown_user_is_refused(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """A mention of a user Slack does not know (users.info: user_not_found) is refused."""
    fake_slack.fail_next("users.info", Fault(200, body={"ok": False, "error": "user_not_found"}))
    body = slack.command("actie <@U0NOBODY01> Iets doen", user_id=ADMIN).json()
    assert "ken ik niet" in body["text"]
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


def test_form_opens_and_submits(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """`/ivb actie` alone opens the form; submitting it stores the action point and DMs the owner."""
    with deps.sessions.begin() as s:
        meeting_id = add_meeting(s, "kob", datetime(2023, 2, 27, 14, 0, tzinfo=AMS)).id
    assert slack.command("actie", user_id=ADMIN).status == 200
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    values = {
        "eigenaar": {"waarde": {"type": "users_select", "selected_user": "U0PIET0001"}},
        "tekst": {"waarde": {"type": "plain_text_input", "value": "Verslag maken"}},
        "deadline": {"waarde": {"type": "datepicker", "selected_date": "2023-03-31"}},
        "vergadering": {"waarde": {"type": "static_select", "selected_option": {"value": str(meeting_id)}}},
    }
    result = slack.interaction(
        {
            "type": "view_submission",
            "user": {"id": ADMIN},
            "trigger_id": "1.2.3",
            "view": {**view, "id": "V1", "state": {"values": values}},
        }
    )
    assert result.status == 200
    with deps.sessions.begin() as s:
        point = s.query(ActionPoint).one()
        assert (point.text, point.due_date, point.meeting_id) == (
            "Verslag maken",
            date(2023, 3, 31),
            meeting_id,
        )
    assert "D0PIET0001" in [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")]


def test_form_with_empty_text_shows_field_error(slack: SlackSender, deps: Deps) -> None:
    """Submitting the form without text answers with an error on that field; nothing stored."""
    values = {
        "eigenaar": {"waarde": {"type": "users_select", "selected_user": "U0PIET0001"}},
        "tekst": {"waarde": {"type": "plain_text_input", "value": "  "}},
    }
    result = slack.interaction(
        {
            "type": "view_submission",
            "user": {"id": ADMIN},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "actiepunt_formulier",
                "state": {"values": values},
            },
        }
    )
    assert result.json() == {
        "response_action": "errors",
        "errors": {"tekst": "Schrijf op wat er moet gebeuren."},
    }
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


def test_home_tab_shows_my_items(slack: SlackSender, fake_slack: FakeSlack, items: dict[str, int]) -> None:
    """app_home_opened publishes a valid Home view with my items only and the two buttons."""
    slack.event({"type": "app_home_opened", "user": OFFICIAL, "channel": "D0OFFICIAL1", "tab": "home"})
    publish = fake_slack.calls_to("views.publish")[-1].args
    assert publish["user_id"] == OFFICIAL
    view = publish["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    text = str(view["blocks"])
    assert "Mijn voorstel" in text
    assert "Rapport schrijven" in text
    assert "van een ander" not in text
    assert "voorstel_openen" in text
    assert "kalender_tonen" in text
    assert "Integraal Veiligheidsberaad" in text


def test_home_click_closes_and_republishes(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack, items: dict[str, int]
) -> None:
    """Afgerond on the Home tab closes the item and publishes the Home tab again without it."""
    slack.block_action(
        "actiepunt_afgerond",
        str(items["mine"]),
        user_id=OFFICIAL,
        extra={"container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home"}},
    )
    assert _status(deps, items["mine"]) == ActionStatus.AFGEROND
    view = fake_slack.calls_to("views.publish")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "Rapport schrijven" not in str(view["blocks"])


def test_kalender_button_opens_the_calendar(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """The Home tab's Kalender button opens a modal with the coming meetings."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
    slack.block_action("kalender_tonen", "home", user_id=OFFICIAL)
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    assert "• *ma 20 mrt 09:30* IVB" in str(view["blocks"])
    assert [b["type"] for b in view["blocks"]][:2] == ["context", "section"]  # the modal's title only
    assert "Verder vooruit: `/ivb kalender`." not in str(view["blocks"])  # nothing after 20 March


def test_meer_replaces_the_list_in_place(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """With 15 open proposals the reply shows 8 and "Meer voorstellen (7)"; the click replaces the list
    through the response_url (replace_original) with the other 7, instead of posting another message."""
    with deps.sessions.begin() as s:
        for i in range(15):
            add_proposal(s, "ivb", f"Voorstel {i:02d}", OFFICIAL, created=CREATED + timedelta(minutes=i))
    first = slack.command("open mijn", user_id=OFFICIAL).json()
    assert "Voorstel 07" in str(first["blocks"])
    assert "Voorstel 08" not in str(first["blocks"])
    button = [b for b in first["blocks"] if b["type"] == "actions"][-1]["elements"][0]
    assert button["text"]["text"] == "Meer voorstellen (7)"
    extra = {"response_url": fake_slack.response_url, "container": {"type": "message", "is_ephemeral": True}}
    slack.block_action("open_meer", button["value"], user_id=OFFICIAL, extra=extra)
    (replaced,) = fake_slack.responses()
    assert replaced.args["replace_original"] is True
    second = _message(replaced.args)
    assert_valid_message(second)
    assert "Voorstel 14" in str(second["blocks"])
    assert "Voorstel 07" not in str(second["blocks"])
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_user_text_is_escaped(slack: SlackSender, deps: Deps) -> None:
    """A proposal titled `<!channel> & co` is shown escaped, so it pings nobody."""
    with deps.sessions.begin() as s:
        add_proposal(s, "ivb", "<!channel> & co", OFFICIAL, created=CREATED)
    text = str(slack.command("open mijn", user_id=OFFICIAL).json()["blocks"])
    assert "&lt;!channel&gt; &amp; co" in text
    assert "<!channel>" not in text


def test_forged_form_submission_by_official_is_refused(slack: SlackSender, deps: Deps) -> None:
    """An official who posts the form's submission anyway gets an error and nothing is stored."""
    values = {
        "eigenaar": {"waarde": {"type": "users_select", "selected_user": OFFICIAL}},
        "tekst": {"waarde": {"type": "plain_text_input", "value": "Zelf bedacht"}},
    }
    result = slack.interaction(
        {
            "type": "view_submission",
            "user": {"id": OFFICIAL},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "actiepunt_formulier",
                "state": {"values": values},
            },
        }
    )
    assert "secretariaat" in result.json()["errors"]["tekst"]
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 0


def test_failed_dm_keeps_the_action_point(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """When Slack refuses the owner's DM the action point is still stored and confirmed."""
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": False, "error": "cannot_dm_bot"}))
    body = slack.command("actie <@U0PIET0001> Iets doen", user_id=ADMIN).json()
    assert "Actiepunt vastgelegd" in body["text"]
    with deps.sessions.begin() as s:
        assert s.query(ActionPoint).count() == 1


def test_refused_home_click_explains_in_a_modal(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack, items: dict[str, int]
) -> None:
    """A forged Afgerond from the Home tab on someone else's item opens a modal saying why."""
    slack.block_action(
        "actiepunt_afgerond",
        str(items["theirs"]),
        user_id=OFFICIAL,
        extra={"container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home"}},
    )
    assert _status(deps, items["theirs"]) == ActionStatus.OPEN
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    assert "Alleen de eigenaar" in str(view["blocks"])


def test_form_that_cannot_open_says_what_to_type(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """When Slack refuses to open the form (expired trigger) the answer shows the typed alternative."""
    fake_slack.fail_next("views.open", Fault(200, body={"ok": False, "error": "expired_trigger_id"}))
    body = slack.command("actie", user_id=ADMIN).json()
    assert_valid_message(body)
    assert "formulier ging niet open" in body["text"]
