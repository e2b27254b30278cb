"""`vggbot digest preview|send [--at ISO]`."""

from __future__ import annotations

import sys
from datetime import datetime

from bot.deps import Deps
from bot.jobs import digest_reply, post_digest
from bot.render import render_blocks
from bot.slack_client import make_web_client
from bot.slots import Slot, schedule_from


def parse_at(deps: Deps, text: str | None) -> datetime:
    """An ISO date-time; without an offset it is wall-clock time in BOT_TIMEZONE."""
    if not text:
        return deps.clock.now()
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=deps.settings.tz)
    return moment


def _slot(deps: Deps, at_text: str | None) -> tuple[Slot | None, str]:
    try:
        at = parse_at(deps, at_text)
    except ValueError:
        return None, f"--at {at_text!r} is geen datum-tijd; gebruik bijv. 2023-10-03T09:00"
    schedule = schedule_from(deps.settings)
    slot = schedule.due_slot(at)
    if slot is None:
        return None, f"vóór {at:%Y-%m-%d %H:%M} is er nog geen digest-moment (eerste: DIGEST_START)"
    return slot, ""


def preview_command(deps: Deps, *, at: str | None) -> int:
    slot, problem = _slot(deps, at)
    if slot is None:
        print(f"vggbot: {problem}", file=sys.stderr)
        return 2
    reply = digest_reply(deps, slot)
    shifted = " (verschoven vanwege een feestdag)" if slot.shifted else ""
    print(f"Digest van {slot.key}{shifted}\n")
    print(render_blocks(reply.blocks, reply.text))
    return 0


def send_command(deps: Deps, *, at: str | None) -> int:
    if not deps.settings.digest_channel:
        print("vggbot: DIGEST_CHANNEL is niet ingesteld", file=sys.stderr)
        return 2
    if not deps.settings.has_slack_tokens:
        print("vggbot: SLACK_BOT_TOKEN is niet ingesteld", file=sys.stderr)
        return 2
    slot, problem = _slot(deps, at)
    if slot is None:
        print(f"vggbot: {problem}", file=sys.stderr)
        return 2
    outcome = post_digest(deps, make_web_client(deps.settings), slot, deps.clock.now())
    link = outcome.permalink or outcome.message_ts or "(geen link)"
    if outcome.status == "posted":
        print(f"Digest van {slot.key} geplaatst: {link}")
        return 0
    if outcome.status == "already":
        print(f"Digest van {slot.key} was al geplaatst: {link}")
        return 0
    if outcome.status == "busy":
        print(f"Digest van {slot.key} wordt nu door een ander proces geplaatst.")
        return 0
    print(
        f"vggbot: plaatsen van de digest van {slot.key} is mislukt; zie de log. Probeer het later opnieuw.",
        file=sys.stderr,
    )
    return 1
