"""The README's pictures: the main surfaces as Slack would show them, from the demo calendar.

`python -m bot.offline.pictures DIR` writes one JSON body per surface (what the bot sends to Slack,
built by the real builders and handlers, on a fresh demo database with a fixed clock) and a names file
for the mentions; `scripts/pictures` turns them into PNGs with tools/slack-preview.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.blocks.digest import build_digest_message
from bot.blocks.kit import Reply
from bot.blocks.proposals import build_created, build_review
from bot.offline.demo import load_demo
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps, build_deps
from bot.runtime.settings import Settings
from bot.services import decisions, digest, proposals
from bot.services import review as review_service
from bot.services.action_points import create_action_point
from handlers.command import Command
from handlers.home import home_view
from handlers.ivb import respond

TZ = ZoneInfo("Europe/Amsterdam")
# Sunday 7 March 2027, 20:00: the IVB of 22 March takes proposals until tomorrow 09:30.
NOW = datetime(2027, 3, 7, 20, 0, tzinfo=TZ)
OFFICIAL = "U0ANNE0001"
COLLEAGUE = "U0PIET0001"
ADMIN = "U0SECR0001"
REVIEW_CHANNEL = "C0SECRET01"
DIGEST_CHANNEL = "C0DIGEST01"
NAMES = {
    OFFICIAL: "Anne de Vries",
    COLLEAGUE: "Piet Bakker",
    ADMIN: "Secretariaat VGG",
    REVIEW_CHANNEL: "vgg-secretariaat",
    DIGEST_CHANNEL: "bestuur-en-veiligheid",
}
# The surfaces the README shows, in its order.
SURFACES = ("volgende", "voorstel", "review", "open", "kalender", "digest", "home")


def _deps(folder: Path) -> Deps:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-pictures"),
        slack_signing_secret=SecretStr("pictures-are-never-sent"),
        database_url=f"sqlite:///{folder / 'pictures.sqlite3'}",
        admin_user_ids=(ADMIN,),
        digest_channel=DIGEST_CHANNEL,
    )
    return build_deps(settings, clock=FixedClock(NOW))


def _ephemeral(reply: Reply | None) -> dict[str, Any]:
    assert reply is not None
    return {"response_type": "ephemeral", **reply.as_message()}


def _posted(channel: str, reply: Reply) -> dict[str, Any]:
    return {"channel": channel, **reply.as_message()}


def _ask(deps: Deps, user_id: str, text: str) -> dict[str, Any]:
    command = Command(user_id=user_id, channel_id="C0PICTURE1", text="", trigger_id="", client=None)  # type: ignore[arg-type]
    return _ephemeral(respond(deps, text, command))


def bodies(folder: Path) -> dict[str, dict[str, Any]]:
    """Every surface's body, keyed by the picture's name."""
    deps = _deps(folder)
    with deps.sessions.begin() as session:
        load_demo(session=session, now=NOW - timedelta(days=20), tz=TZ, proposer_id=OFFICIAL)
        decisions.decide(
            session=session, proposal_id=1, actor_id=ADMIN, admin_ids=(ADMIN,), decision="agenderen", now=NOW
        )
        for text, due in (("Notitie jaarwisseling rondsturen", 3), ("Cijfers woonoverlast aanleveren", 12)):
            create_action_point(
                session=session,
                actor_id=ADMIN,
                is_admin=True,
                owner_id=OFFICIAL,
                text=text,
                due_date=NOW.date() + timedelta(days=due),
                now=NOW,
                overleg_word="ivb",
            )
    found = {"volgende": _ask(deps, OFFICIAL, "volgende")}
    with deps.sessions.begin() as session:
        created = proposals.create_proposal(
            session=session,
            proposer_id=COLLEAGUE,
            title="Evaluatie cameratoezicht binnenstad",
            now=NOW,
            tz=TZ,
        )
        found["voorstel"] = _ephemeral(build_created(created, tz=TZ))  # what Piet sees
        review = review_service.read_review(session=session, proposal_id=created.proposal.id, now=NOW, tz=TZ)
        assert review is not None
        found["review"] = _posted(
            REVIEW_CHANNEL,
            build_review(review.proposal, meetings=review.meetings, tz=TZ, default_id=review.default_id),
        )
    found["open"] = _ask(deps, ADMIN, "open")  # the secretariaat's list, with its decision menus
    found["kalender"] = _ask(deps, OFFICIAL, "kalender")
    with deps.sessions() as session:
        post = digest.build_digest(
            session=session, at=NOW, since=NOW - timedelta(days=14), tz=TZ, weeks_ahead=6
        )
    found["digest"] = _posted(DIGEST_CHANNEL, build_digest_message(post, tz=TZ))
    found["home"] = {"view": home_view(deps, OFFICIAL)}
    deps.engine.dispose()
    return found


def write(out: Path) -> list[Path]:
    """The JSON of every surface and `names.json` in `out`; returns the surfaces' files."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        found = bodies(Path(tmp))
    written = []
    for name in SURFACES:
        path = out / f"{name}.json"
        path.write_text(json.dumps(found[name], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    (out / "names.json").write_text(json.dumps(NAMES, indent=1) + "\n", encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("gebruik: python -m bot.offline.pictures MAP", file=sys.stderr)
        return 2
    for path in write(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
