"""Hostile input: forged or replayed requests are 401 and change nothing; malformed, huge or strange
payloads get a clear answer or a 4xx, never a 500."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.runtime.deps import Deps
from bot.runtime.http import MAX_BODY_BYTES
from handlers.ivb import VERBS, WORDS, parse
from storage.models import AgendaProposal, Base
from tests.conftest import SECRET
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_message
from tests.support.proposal_helpers import dm_event, view_submission
from tests.support.slackclient import SlackSender, sign
from tests.support.slackclient import http as http_request
from tests.support.waiting import wait_for

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FORM = "application/x-www-form-urlencoded"
FIVE_MINUTES = 300


def row_counts(deps: Deps) -> dict[str, int]:
    with deps.sessions.begin() as s:
        return {
            table.name: int(s.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def command_body(text: str) -> str:
    return urlencode(
        {
            "team_id": "T0FAKE0001",
            "channel_id": "C0GENERAL01",
            "user_id": "U0OFFICIAL1",
            "command": "/ivb",
            "text": text,
            "trigger_id": "1.2.abc",
            "response_url": "http://127.0.0.1:9/response",
        }
    )


def event_body(text: str) -> str:
    return json.dumps(
        {
            "team_id": "T0FAKE0001",
            "api_app_id": "A0VGGBOT01",
            "type": "event_callback",
            "event_id": "Ev0HOSTILE01",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "user": "U0OFFICIAL1",
                "text": text,
                "channel": "D0OFFICIAL1",
                "ts": "1700000000.000100",
            },
        }
    )


# Each mutation turns a valid (body, timestamp) into what an attacker or a broken proxy would send.
MUTATIONS = st.sampled_from(
    [
        "wrong_secret",
        "altered_body",
        "altered_timestamp",
        "no_timestamp",
        "no_signature",
        "no_headers",
        "replay",
        "future",
        "garbage_signature",
        "garbage_timestamp",
    ]
)


def forge(mutation: str, body: str, data: st.DataObject) -> tuple[str, dict[str, str]]:
    now = int(time.time())
    ts = str(now)
    signature = sign(SECRET, ts, body)
    if mutation == "wrong_secret":
        signature = sign(data.draw(st.text(min_size=1).filter(lambda s: s != SECRET)), ts, body)
    elif mutation == "altered_body":
        i = data.draw(st.integers(0, len(body) - 1))
        replacement = data.draw(st.sampled_from("abcXYZ019=&%").filter(lambda c: c != body[i]))
        body = body[:i] + replacement + body[i + 1 :]
    elif mutation == "garbage_timestamp":
        ts = data.draw(st.text(st.characters(max_codepoint=255, blacklist_categories=["Cc"]), max_size=20))
    elif mutation == "altered_timestamp":
        ts = str(now + data.draw(st.integers(-FIVE_MINUTES, FIVE_MINUTES).filter(bool)))
    elif mutation in {"replay", "future"}:
        shift = data.draw(st.integers(FIVE_MINUTES + 1, 10 * 365 * 86400))
        ts = str(now - shift if mutation == "replay" else now + shift)
        signature = sign(SECRET, ts, body)  # correctly signed, only too old or too new
    elif mutation == "garbage_signature":
        # Any header-safe text: latin-1 (what HTTP headers carry), no line breaks.
        signature = data.draw(
            st.text(st.characters(max_codepoint=255, blacklist_categories=["Cc"]), max_size=80)
        )
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    if mutation in {"no_timestamp", "no_headers"}:
        del headers["X-Slack-Request-Timestamp"]
    if mutation in {"no_signature", "no_headers"}:
        del headers["X-Slack-Signature"]
    return body, headers


@FUZZ
@given(mutation=MUTATIONS, kind=st.sampled_from(["command", "event"]), data=st.data())
def test_forged_requests_are_refused_and_change_nothing(
    slack: SlackSender, deps: Deps, mutation: str, kind: str, data: st.DataObject
) -> None:
    """Wrong secret, altered body or timestamp, missing headers, replay > 5 min, future: 401, no row."""
    before = row_counts(deps)
    text = data.draw(st.sampled_from(["volgende", "agendapunt: Vervalst voorstel", "voorstel Hack"]))
    body = command_body(text) if kind == "command" else event_body(text)
    content_type = FORM if kind == "command" else "application/json"
    body, headers = forge(mutation, body, data)
    result = http_request(
        slack.base_url + "/slack/events",
        data=body.encode(),
        headers={"Content-Type": content_type, **headers},
    )
    assert result.status == 401, (mutation, result.status, result.body)
    assert row_counts(deps) == before


EDGE_TEXTS = [
    "\u202eetnegloV",  # right-to-left override
    "volgende \u05d0\u05d1\u05d2 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",  # Hebrew, Arabic
    "volgende 👩🏽‍💻🇳🇱 ivb",  # emoji with joiners and flags
    "volg\x00ende\x00",  # NUL
    "voorstel " + "x" * 10_000,  # 10,000 characters
    "volgende " + "é" * 10_000,
    "<!channel> *vet* _schuin_ `code` <@U0ADMIN0001>",  # mrkdwn and mentions
    "\ud7ff\ue000\ufffd\U0010ffff",  # edges of the Unicode planes
    "",
    " \t\n ",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_unicode_edge_cases_get_a_valid_answer(slack: SlackSender, text: str) -> None:
    """RTL, emoji, NUL, 10,000 characters, mentions: a 200 with valid Block Kit, in Dutch."""
    result = slack.command(text)
    assert result.status == 200, result.body
    assert_valid_message(result.json())


@FUZZ
@given(text=st.text(max_size=300))
def test_any_command_text_gets_a_valid_answer(slack: SlackSender, text: str) -> None:
    """Whatever follows `/ivb` (any Unicode), the answer is a 200 with valid Block Kit."""
    result = slack.command(text)
    assert result.status == 200, result.body
    assert_valid_message(result.json())


@given(text=st.text())
def test_parse_never_fails(text: str) -> None:
    """parse takes any text: a known verb, "help", "" or "?", and never a NUL in what it returns."""
    verb, rest, word = parse(text)
    assert verb in {*VERBS, "", "?", "help"}
    assert "\x00" not in rest
    assert "\x00" not in word
    assert rest == rest.strip()


def signed_post(slack: SlackSender, body: bytes, content_type: str) -> int:
    ts = str(int(time.time()))
    base = f"v0:{ts}:".encode() + body
    signature = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    return http_request(slack.base_url + "/slack/events", data=body, headers=headers).status


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def hostile_payloads(draw: st.DrawFn) -> tuple[bytes, str]:
    """Correctly signed, but malformed, incomplete, mistyped or unknown."""
    kind = draw(st.sampled_from(["raw_json", "json_value", "event", "interaction", "form", "bytes"]))
    if kind == "raw_json":
        return draw(st.text(max_size=200)).encode(), "application/json"
    if kind == "json_value":
        return json.dumps(draw(JSONISH)).encode(), "application/json"
    if kind == "event":
        event = draw(
            st.dictionaries(
                st.sampled_from(
                    ["type", "user", "text", "channel", "ts", "channel_type", "bot_id", "subtype"]
                ),
                JSONISH,
                max_size=6,
            )
        )
        body = {"type": "event_callback", "team_id": "T0FAKE0001", "event_id": draw(JSONISH), "event": event}
        return json.dumps(body).encode(), "application/json"
    if kind == "interaction":
        payload = draw(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(
                        [
                            "block_actions",
                            "view_submission",
                            "shortcut",
                            "message_action",
                            "view_closed",
                            "nonsense",
                        ]
                    )
                },
                optional={
                    "user": JSONISH,
                    "actions": st.lists(
                        st.fixed_dictionaries(
                            {"action_id": st.text(max_size=30), "value": JSONISH, "type": st.just("button")}
                        ),
                        max_size=3,
                    ),
                    "view": JSONISH,
                    "callback_id": st.text(max_size=30),
                    "trigger_id": JSONISH,
                    "team": st.just({"id": "T0FAKE0001"}),
                },
            )
        )
        return urlencode({"payload": json.dumps(payload)}).encode(), FORM
    if kind == "form":
        fields = draw(
            st.dictionaries(
                st.sampled_from(
                    ["command", "text", "user_id", "payload", "ssl_check", "channel_id", "team_id"]
                ),
                st.text(max_size=40),
            )
        )
        return urlencode(fields).encode(), FORM
    return draw(st.binary(max_size=200)), draw(st.sampled_from([FORM, "application/json", "text/plain"]))


@FUZZ
@given(payload=hostile_payloads())
def test_malformed_signed_payloads_never_give_a_500(slack: SlackSender, payload: tuple[bytes, str]) -> None:
    """Malformed JSON, missing fields, wrong types, unknown action ids: a 2xx or 4xx, never a 5xx."""
    body, content_type = payload
    status = signed_post(slack, body, content_type)
    assert status < 500, (status, body[:200])


def test_huge_body_is_refused_with_413(slack: SlackSender) -> None:
    """A body over the size limit is refused from its Content-Length, unread; the bot keeps serving."""
    conn = http.client.HTTPConnection(urlsplit(slack.base_url).netloc, timeout=5)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", FORM)
    conn.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    conn.endheaders()
    conn.send(b"x" * 1024)  # the server answers without waiting for the rest
    assert conn.getresponse().status == 413
    conn.close()
    assert slack.command("help").status == 200


def test_body_at_the_limit_is_read_and_judged(slack: SlackSender) -> None:
    """A signed body just under the limit is read and answered (a 2xx/4xx, not a 5xx or a hang)."""
    body = b"text=" + b"x" * (MAX_BODY_BYTES - 10)
    assert signed_post(slack, body, FORM) < 500


def test_non_utf8_body_is_a_400(slack: SlackSender) -> None:
    """Bytes that are not UTF-8: 400, not a crash."""
    assert signed_post(slack, b"text=\xff\xfe", FORM) == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "actions": []},
        {"type": "block_actions", "actions": [{}]},
        {"type": "view_submission"},
        {"type": "shortcut", "callback_id": None},
    ],
)
def test_payloads_that_trip_bolt_are_a_400(slack: SlackSender, payload: dict[str, object]) -> None:
    """Signed payloads Bolt cannot read (found by the property test: empty actions was a 500): 4xx."""
    assert signed_post(slack, urlencode({"payload": json.dumps(payload)}).encode(), FORM) < 500


@FUZZ
@given(
    verb=st.sampled_from(sorted(set(WORDS))),
    text=st.text(max_size=120),
    user=st.sampled_from(["U0OFFICIAL1", "U0ADMIN0001"]),
)
def test_any_text_after_each_verb_gets_a_valid_answer(
    slack: SlackSender, verb: str, text: str, user: str
) -> None:
    """Every verb (actie, open, …) with any text, as official or admin: a 200, valid if it answers."""
    result = slack.command(f"{verb} {text}", user_id=user)
    assert result.status == 200, result.body
    if result.body:  # a verb that opens a form acknowledges with an empty body
        assert_valid_message(result.json())


@pytest.mark.parametrize("digits", [13, 309, 400, 5000])
def test_a_timestamp_too_long_for_a_number_is_a_401(slack: SlackSender, deps: Deps, digits: int) -> None:
    """A timestamp header of 309 or more digits (too long for a float) is "not Slack": a 401, not a 500
    and a traceback before authentication."""
    before = row_counts(deps)
    body = command_body("voorstel Lang")
    timestamp = "9" * digits
    result = http_request(
        slack.base_url + "/slack/events",
        data=body.encode(),
        headers={
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": sign(SECRET, timestamp, body),
        },
    )
    assert result.status == 401, result.body
    assert row_counts(deps) == before


def test_a_lone_surrogate_in_a_dm_or_a_form_gets_an_answer(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack
) -> None:
    """Half a surrogate pair (`\\ud800` in Slack's JSON, which cannot be encoded) in a DM or a form:
    stored with U+FFFD in its place and answered, never an unhandled error and no reply."""
    result = slack.event(dm_event("agendapunt: Kapot \ud800 teken", user="U0OFFICIAL1"))
    assert result.status == 200
    wait_for(lambda: len(_titles(deps)) == 1, what="the DM's proposal")
    form = view_submission(
        slack, "voorstel_nieuw", {"titel": "Ook \ud800 kapot", "overleg": "ivb"}, user="U0OFFICIAL1"
    )
    assert form.status == 200
    assert form.body == "", form.body
    assert sorted(_titles(deps)) == ["Kapot \ufffd teken", "Ook \ufffd kapot"]
    assert wait_for(lambda: fake_slack.posted("D0OFFICIAL1"), what="the DM's answer")


def _titles(deps: Deps) -> list[str]:
    with deps.sessions() as session:
        return list(session.scalars(select(AgendaProposal.title)))
