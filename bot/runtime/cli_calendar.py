"""`vggbot calendar import | export | sync`: the calendar from Outlook in, and back out.

An import or sync tells the people whose proposals moved, or whose meeting moved, in the import's own
transaction (`Followups.after_commit`); the command waits until those messages are sent before it
exits. Without SLACK_BOT_TOKEN it says how many messages it could not send.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.calendar_io.export import export_calendar
from bot.calendar_io.importer import ImportReport, ReportItem, import_calendar
from bot.offline.demo import has_demo
from bot.runtime.deps import Deps
from bot.runtime.followups import Followups
from bot.runtime.slack_client import make_web_client
from bot.schedule.calendar_sync import SyncOutcome, announce, calendar_changes, sync_source
from bot.services.errors import Refused
from bot.services.proposals import STATE_WORDS, ref
from bot.text.dutch import normalise
from bot.text.when import meeting_when, meeting_when_short


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


@contextmanager
def cli_followups(deps: Deps) -> Iterator[Followups | None]:
    """Follow-ups for a command outside the app: sent after the commit, drained before the command exits."""
    if not deps.settings.has_slack_tokens:
        yield None
        return
    from handlers import PERFORMERS  # noqa: PLC0415 - the review post's performer, only when sending

    followups = Followups(deps, make_web_client(deps.settings), performers=PERFORMERS)
    deps.followups = followups
    try:
        yield followups
    finally:
        followups.shutdown()


@dataclass(frozen=True)
class _Times:
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool


def _item_line(item: ReportItem, title: str, tz: ZoneInfo) -> str:
    when = meeting_when(_Times(item.starts_at, item.ends_at, item.all_day), tz)
    if item.old_starts_at is not None and title == "verplaatst":
        when = f"{meeting_when(_Times(item.old_starts_at, None, item.old_all_day), tz)} → {when}"
        if item.series:
            when += " (de hele reeks; niet als verplaatst gemarkeerd)"
    title_note = "" if normalise(item.summary) == normalise(item.overleg) else f" ({item.summary})"
    return f"    - {item.overleg}: {when}{title_note}"


def format_report(report: ImportReport, *, tz: ZoneInfo, source: str) -> str:
    """The Dutch summary that `vggbot calendar import` prints."""
    lines = [f"Agenda ingelezen uit {source}:"]
    for title, items in (
        ("toegevoegd", report.added),
        ("verplaatst", report.moved),
        ("geannuleerd", report.cancelled),
        ("bijgewerkt", report.updated),
    ):
        lines.append(f"  {title}: {len(items)}")
        lines.extend(_item_line(item, title, tz) for item in items)
    lines.append(f"  ongewijzigd: {report.unchanged}")
    lines.append(f"  overgeslagen: {len(report.skipped)}")
    lines.extend(f"    - {s.summary!r}: {s.reason}" for s in report.skipped)
    lines.append(f"  voorstellen naar een andere vergadering: {len(report.rehomed)}")
    for moved in report.rehomed:
        old = meeting_when_short(moved.from_meeting, tz) if moved.from_meeting else "geen vergadering"
        new = meeting_when_short(moved.to_meeting, tz) if moved.to_meeting else "nog geen vergadering"
        state = STATE_WORDS[moved.to_state]
        if moved.from_state != moved.to_state:
            state = f"{STATE_WORDS[moved.from_state]} → {state}"
        lines.append(
            f"    - {ref(moved.proposal_id)} {moved.title} ({moved.proposer_id}): {old} → {new}, {state}"
        )
    for change in report.rescheduled:
        lines.append(
            f"  bericht over de verplaatste vergadering van {meeting_when_short(change.after, tz)}: "
            f"{', '.join(change.people)}"
        )
    if not report.changed:
        lines.append("Er is niets veranderd.")
    return "\n".join(lines)


def _told(count: int, followups: Followups | None) -> str:
    if not count:
        return ""
    if followups is None:
        return f"Geen SLACK_BOT_TOKEN: {count} berichten (indieners, secretariaat) zijn niet verstuurd."
    return f"{count} berichten verstuurd (indieners, betrokkenen, secretariaat)."


def calendar_import(deps: Deps, path: str, *, overleg_key: str | None) -> int:
    """`vggbot calendar import FILE.ics [--overleg KEY]`: 0 when imported; 2 on bad input (no change)."""
    file = Path(path)
    if file.is_dir():
        return _fail(f"{path} is een map; geef een .ics-bestand op")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return _fail(f"{path} bestaat niet")
    except OSError as exc:
        return _fail(f"kan {path} niet lezen ({exc.strerror or type(exc).__name__})")
    with cli_followups(deps) as followups:
        try:
            with deps.sessions.begin() as session:
                report = import_calendar(
                    session=session,
                    data=data,
                    overleg_key=overleg_key,
                    now=deps.clock.now(),
                    tz=deps.settings.tz,
                )
                sent = announce(followups, deps, session, report)
                demo = has_demo(session=session)
        except Refused as exc:
            return _fail(f"{path}: {exc.message}; er is niets veranderd")
        print(format_report(report, tz=deps.settings.tz, source=path))
        if sent:
            print(_told(sent, followups))
    if demo:
        print(
            "Let op: deze database bevat ook de democalender van de offline shell. "
            "Verwijder die met `vggbot demo remove`."
        )
    return 0


def calendar_export(deps: Deps, *, overleg_key: str | None) -> int:
    """`vggbot calendar export [--overleg KEY]`: iCalendar on stdout."""
    try:
        with deps.sessions.begin() as session:
            data = export_calendar(
                session=session, overleg_key=overleg_key, tz=deps.settings.tz, now=deps.clock.now()
            )
    except Refused as exc:
        return _fail(exc.message)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


def _print_outcome(deps: Deps, outcome: SyncOutcome, followups: Followups | None) -> None:
    if outcome.status == "unchanged":
        print(f"{outcome.key}: niet gewijzigd sinds de vorige keer.")
    elif outcome.status == "failed":
        print(f"{outcome.key}: mislukt: {outcome.error}. Er is niets veranderd.")
    elif outcome.report is not None:
        source = deps.settings.calendar_sources[outcome.key]
        print(format_report(outcome.report, tz=deps.settings.tz, source=f"{outcome.key} ({source})"))
        sent = len(calendar_changes(deps, outcome.report))
        if sent:
            print(_told(sent, followups))


def calendar_sync(deps: Deps, *, source: str | None, force: bool) -> int:
    """`vggbot calendar sync [--source KEY] [--force]`: one sync of CALENDAR_SOURCES now; 1 if one failed."""
    sources = deps.settings.calendar_sources
    if not sources:
        return _fail("CALENDAR_SOURCES is niet ingesteld (bijv. ivb=https://…/calendar.ics)")
    if source is not None and source not in sources:
        return _fail(f"{source} staat niet in CALENDAR_SOURCES (wel: {', '.join(sources)})")
    failed = False
    with cli_followups(deps) as followups:
        for key, url in sources.items():
            if source is not None and key != source:
                continue
            outcome = sync_source(deps, key, url, deps.clock.now(), followups=followups, force=force)
            _print_outcome(deps, outcome, followups)
            failed = failed or outcome.status == "failed"
    return 1 if failed else 0
