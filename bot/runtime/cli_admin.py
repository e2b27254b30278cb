"""What the secretariaat sets from the command line: which meetings take proposals, each overleg's
agenda-deadline rule and the title words of events that take none, and removing the demo calendar.

`vggbot calendar list`, `vggbot calendar proposals REF on|off|auto`, `vggbot overleg list`,
`vggbot overleg deadline KEY DAYS [HH:MM|start]`, `vggbot overleg no-proposals KEY WORDS`,
`vggbot demo remove`. A meeting that stops taking proposals hands its open proposals on, and their
proposers hear about it (as after an import).
"""

from __future__ import annotations

import sys
from datetime import timedelta

from bot.calendar_io.report import ImportReport
from bot.offline.demo import remove_demo
from bot.runtime.cli_calendar import cli_followups
from bot.runtime.deps import Deps
from bot.schedule.calendar_sync import announce
from bot.services import calendar_admin
from bot.services.deadlines import describe_rule
from bot.services.errors import Refused
from bot.services.meetings import shown_title
from bot.services.overleggen import read_overleg, read_overleggen
from bot.text.when import meeting_when_short
from storage.models import MeetingStatus
from storage.queries import meetings as meeting_queries

SWITCH_WORDS = {"on": True, "aan": True, "ja": True, "off": False, "uit": False, "nee": False, "auto": None}


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


def calendar_list(deps: Deps, *, overleg_key: str | None, limit: int) -> int:
    """Coming meetings with their number, title and whether they take proposals (and why)."""
    tz = deps.settings.tz
    try:
        with deps.sessions() as session:
            overleg = read_overleg(session=session, text=overleg_key) if overleg_key else None
            found = meeting_queries.in_window(
                session=session,
                start=deps.clock.now(),
                end=deps.clock.now() + timedelta(days=5 * 365),
                limit=limit,
                overleg_id=overleg.id if overleg else None,
            )
    except Refused as exc:
        return _fail(exc.message)
    for meeting in found:
        takes = "voorstellen: ja" if meeting.takes_proposals else "voorstellen: nee"
        status = "" if meeting.status == MeetingStatus.GEPLAND else f" [{meeting.status.value}]"
        print(
            f"#{meeting.id}\t{meeting_when_short(meeting, tz)}\t{meeting.overleg.key}\t"
            f"{shown_title(meeting)}{status}\t{takes}\t{meeting.uid}"
        )
    if not found:
        print("Geen komende vergaderingen.")
    return 0


def calendar_proposals(deps: Deps, *, ref: str, value: str) -> int:
    """`vggbot calendar proposals 12 off`: this meeting takes no proposals (auto: the title rule again)."""
    if value.lower() not in SWITCH_WORDS:
        return _fail("kies on, off of auto")
    with cli_followups(deps) as followups:
        try:
            with deps.sessions.begin() as session:
                switched = calendar_admin.set_takes_proposals(
                    session=session, ref=ref, value=SWITCH_WORDS[value.lower()], now=deps.clock.now()
                )
                report = _report(deps, switched)
                announce(followups, deps, session, report)
        except Refused as exc:
            return _fail(exc.message)
    _print_switched(switched)
    return 0


def _report(deps: Deps, switched: calendar_admin.Switched) -> ImportReport:
    now = deps.clock.now()
    return ImportReport(window_start=now, window_end=now, rehomed=list(switched.rehomed))


def _print_switched(switched: calendar_admin.Switched) -> None:
    if not switched.meetings:
        print("Er is niets veranderd.")
    for meeting in switched.meetings:
        word = (
            "neemt nu agendavoorstellen aan"
            if meeting.takes_proposals
            else "neemt geen agendavoorstellen aan"
        )
        print(f"#{meeting.id} {shown_title(meeting)} ({meeting.starts_at:%Y-%m-%d}): {word}")
    for moved in switched.rehomed:
        to = f"#{moved.to_meeting.id}" if moved.to_meeting else "nog geen vergadering"
        print(f"  voorstel #{moved.proposal_id} {moved.title}: naar {to}")


def overleg_list(deps: Deps) -> int:
    with deps.sessions() as session:
        overleggen = read_overleggen(session=session)
    for overleg in overleggen:
        rule = describe_rule(overleg.deadline_working_days, overleg.deadline_time)
        words = ", ".join(overleg.no_proposal_words) or "(geen)"
        print(
            f"{overleg.key}\t{overleg.name}\n\tdeadline: {rule}\n\tgeen voorstellen bij titels met: {words}"
        )
    return 0


def overleg_deadline(deps: Deps, *, key: str, days: int, at: str) -> int:
    """`vggbot overleg deadline ivb 10 12:00`."""
    try:
        with deps.sessions.begin() as session:
            overleg = calendar_admin.set_deadline_rule(
                session=session, key=key, working_days=days, at=calendar_admin.parse_time(at)
            )
    except Refused as exc:
        return _fail(exc.message)
    rule = describe_rule(overleg.deadline_working_days, overleg.deadline_time)
    print(f"{overleg.name}: agendadeadline {rule}.")
    return 0


def overleg_no_proposals(deps: Deps, *, key: str, words: str) -> int:
    """`vggbot overleg no-proposals ivb "werkbezoek,afstemmingsoverleg"`: coming meetings follow it."""
    with cli_followups(deps) as followups:
        try:
            with deps.sessions.begin() as session:
                switched = calendar_admin.set_no_proposal_words(
                    session=session, key=key, words=words, now=deps.clock.now()
                )
                announce(followups, deps, session, _report(deps, switched))
        except Refused as exc:
            return _fail(exc.message)
    _print_switched(switched)
    return 0


def demo_remove(deps: Deps) -> int:
    """`vggbot demo remove`: the offline shell's demo calendar out of this database."""
    with deps.sessions.begin() as session:
        meetings, proposals = remove_demo(session=session)
    print(f"Democalender verwijderd: {meetings} vergaderingen, {proposals} voorstellen.")
    return 0
