"""`vggbot digest preview|send`: the text preview, and a send that posts once and then gives the link."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.runtime.cli_commands import digest_preview as preview_command
from bot.runtime.cli_commands import digest_send as send_command
from bot.runtime.deps import Deps
from storage.models import PostSlot
from tests.fakes.slack import FakeSlack, Fault


def test_preview_prints_the_digest_as_text(deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    """The preview names the slot and prints readable Dutch text, without posting."""
    assert preview_command(deps, at="2023-10-17T10:00") == 0
    out = capsys.readouterr().out
    assert out.startswith("Digest van 2023-10-17")
    assert "Geen vergaderingen tot di 28 nov 2023" in out


def test_preview_bad_or_early_time(deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --at or one before the first slot: exit 2 with a Dutch explanation."""
    assert preview_command(deps, at="morgen") == 2
    assert preview_command(deps, at="2020-01-01T09:00") == 2
    err = capsys.readouterr().err
    assert "geen datum-tijd" in err
    assert "nog geen digest-moment" in err


def test_send_twice_posts_once_and_gives_the_link(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first send posts the slot due at --at; the second says it was already posted, with the link."""
    assert send_command(deps, at="2023-12-27T12:00") == 0
    assert send_command(deps, at="2023-12-27T15:00") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Digest van 2023-12-26 geplaatst: https://vgg.slack.com/archives/C0DIGEST001/p")
    assert out[1].startswith("Digest van 2023-12-26 was al geplaatst: https://vgg.slack.com/archives/")
    assert out[0].rsplit(" ", 1)[1] == out[1].rsplit(" ", 1)[1]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_send_that_fails_says_so(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """Slack refusing the post (channel_not_found): exit 1, and the slot stays open for a later send."""
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": False, "error": "channel_not_found"}))
    assert send_command(deps, at="2023-10-03T09:00") == 1
    assert "mislukt" in capsys.readouterr().err
    assert send_command(deps, at="2023-10-03T09:00") == 0
    assert "geplaatst" in capsys.readouterr().out


def test_send_with_slack_unreachable_is_one_dutch_line(
    deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """No answer from SLACK_API_URL: exit 1, one Dutch line naming the address, no traceback, no claim."""
    deps.settings = deps.settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    assert send_command(deps, at="2023-10-03T09:00") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "vggbot: Slack is niet bereikbaar via http://127.0.0.1:9/api/ "
        "(URLError: [Errno 111] Connection refused); "
        "controleer de netwerkverbinding en probeer het later opnieuw"
    ]
    with deps.sessions() as session:
        assert session.scalars(select(PostSlot)).all() == []
