"""The command-line tools for the secretariaat and the administrator: digest, report, privacy (the
calendar's are in `cli_calendar` and `cli_admin`).

Each takes the process's dependencies and the parsed arguments, prints Dutch, and returns the exit
status (0 done, 1 failed, 2 bad input: nothing changed).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import IO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.offline.render import render_blocks
from bot.runtime.deps import Deps
from bot.runtime.logs import exception_summary
from bot.runtime.slack_client import make_posting_client
from bot.schedule.jobs import digest_reply, post_digest
from bot.schedule.slots import Slot, schedule_from
from bot.services import privacy
from bot.services.errors import Refused
from bot.services.open_items import REPORT_COLUMNS, OpenFilter, report_rows
from bot.services.overleggen import read_overleg
from storage.migrate import current_revision


def db_upgraded(deps: Deps) -> int:
    """`vggbot db upgrade`: the migrations ran when the dependencies were built; say where it stands."""
    with deps.engine.execution_options(sqlite_begin="DEFERRED").connect() as connection:
        revision = current_revision(connection)
    print(f"De database is bijgewerkt (revisie {revision}).")
    return 0


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


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


def digest_preview(deps: Deps, *, at: str | None) -> int:
    slot, problem = _slot(deps, at)
    if slot is None:
        return _fail(problem)
    reply = digest_reply(deps, slot)
    shifted = " (verschoven vanwege een feestdag)" if slot.shifted else ""
    print(f"Digest van {slot.key}{shifted}\n")
    print(render_blocks(reply.blocks, reply.text))
    return 0


def slack_problem(deps: Deps, client: WebClient) -> str:
    """Why Slack cannot take a post now (unreachable, token refused), in one Dutch line; "" when it can."""
    try:
        client.auth_test()
    except SlackApiError as exc:
        code = exc.response.get("error") or exc.response.status_code
        return f"Slack weigert het bot-token ({code}); controleer SLACK_BOT_TOKEN met `vggbot doctor`"
    except Exception as exc:
        return (
            f"Slack is niet bereikbaar via {deps.settings.slack_api_url} ({exception_summary(exc)}); "
            "controleer de netwerkverbinding en probeer het later opnieuw"
        )
    return ""


def digest_send(deps: Deps, *, at: str | None) -> int:
    if not deps.settings.digest_channel:
        print("vggbot: DIGEST_CHANNEL is niet ingesteld", file=sys.stderr)
        return 2
    if not deps.settings.has_slack_tokens:
        print("vggbot: SLACK_BOT_TOKEN is niet ingesteld", file=sys.stderr)
        return 2
    slot, problem = _slot(deps, at)
    if slot is None:
        return _fail(problem)
    client = make_posting_client(deps.settings)
    unreachable = slack_problem(deps, client)
    if unreachable:
        print(f"vggbot: {unreachable}", file=sys.stderr)
        return 1
    outcome = post_digest(deps, client, slot, deps.clock.now())
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


# --- report ------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


PERSON = REPORT_COLUMNS.index("persoon")


def report_open(
    deps: Deps,
    *,
    overleg_key: str | None,
    out: IO[str],
    excel: bool = False,
    names: Callable[[str], str] | None = None,
) -> int:
    """`vggbot report open`: every open proposal and action point as CSV; 2 for an unknown overleg.

    `excel`: `;` between cells, CRLF and a UTF-8 BOM, which Dutch Excel opens as columns;
    otherwise plain comma CSV. `names` turns the person's Slack id into a name.
    """
    with deps.reads() as session:
        try:
            overleg = read_overleg(session=session, text=overleg_key) if overleg_key else None
        except Refused as exc:
            return _fail(exc.message)
        if excel:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
        writer.writerow(REPORT_COLUMNS)
        flt = OpenFilter(overleg_id=overleg.id if overleg else None)
        for cells in report_rows(session=session, flt=flt, now=deps.clock.now(), tz=deps.settings.tz):
            if names is not None:
                cells[PERSON] = names(cells[PERSON])
            writer.writerow([_cell(cell) for cell in cells])
    out.flush()
    return 0


# --- privacy -----------------------------------------------------------------------------------------


def privacy_export(deps: Deps, user_id: str) -> int:
    """`vggbot privacy export USER`: everything stored about one Slack user, as JSON."""
    try:
        with deps.reads() as session:
            data = privacy.export_user(session=session, user_id=user_id)
    except Refused as exc:
        return _fail(exc.message)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def privacy_erase(deps: Deps, user_id: str, *, dry_run: bool) -> int:
    """`vggbot privacy erase USER [--dry-run]`."""
    try:
        with deps.sessions() as session:
            erasure = privacy.erase_user(session=session, user_id=user_id, now=deps.clock.now())
            if dry_run:
                session.rollback()
            else:
                session.commit()
    except Refused as exc:
        return _fail(exc.message)
    verb = "zou veranderen" if dry_run else "gewist"
    print(f"{user_id}: {verb}: {erasure.summary()}")
    return 0
