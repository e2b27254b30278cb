"""The `vggbot` command line: run, shell, db, calendar, digest, report."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.runtime.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.runtime.deps import Deps

PLACEHOLDER = "U_VERWIJDERD"  # bot.services.privacy.PLACEHOLDER; repeated so `vggbot --help` stays light

logger = logging.getLogger("vggbot")


def _calendar_parsers(sub: Any) -> None:
    """`vggbot calendar …`, `vggbot overleg …`, `vggbot demo …`."""
    cal = sub.add_parser("calendar", help="import or export the meeting calendar (.ics)")
    cal_sub = cal.add_subparsers(dest="calendar_cmd", required=True)
    imp = cal_sub.add_parser("import", help="import an Outlook / Google Calendar .ics file")
    imp.add_argument("file")
    imp.add_argument("--overleg", default=None, help="put every event in this overleg (key)")
    exp = cal_sub.add_parser("export", help="write the calendar as iCalendar to stdout")
    exp.add_argument("--overleg", default=None, help="only this overleg (key)")
    sync = cal_sub.add_parser("sync", help="fetch CALENDAR_SOURCES once now")
    sync.add_argument("--source", default=None, help="only this source (its key in CALENDAR_SOURCES)")
    sync.add_argument("--force", action="store_true", help="also when it cancels many meetings at once")
    lst = cal_sub.add_parser(
        "list", help="coming meetings, with their number and whether they take proposals"
    )
    lst.add_argument("--overleg", default=None, help="only this overleg (key)")
    lst.add_argument("--limit", type=int, default=50)
    switch = cal_sub.add_parser("proposals", help="say whether one meeting takes agenda proposals")
    switch.add_argument("meeting", help="its number from `calendar list` (e.g. 12) or its UID")
    switch.add_argument("value", help="on, off, or auto (follow the overleg's title words again)")

    ovl = sub.add_parser("overleg", help="the overleggen's agenda-deadline rule and proposal words")
    ovl_sub = ovl.add_subparsers(dest="overleg_cmd", required=True)
    ovl_sub.add_parser("list", help="every overleg with its deadline rule and words")
    dl = ovl_sub.add_parser("deadline", help="agenda deadline: DAYS working days before, at TIME")
    dl.add_argument("key")
    dl.add_argument("days", type=int, help="working days before the meeting (weekends, holidays skipped)")
    dl.add_argument("time", nargs="?", default="start", help="HH:MM, or start (the meeting's start time)")
    words = ovl_sub.add_parser("no-proposals", help="title words of events that take no proposals")
    words.add_argument("key")
    words.add_argument("words", help='comma-separated, e.g. "werkbezoek,afstemmingsoverleg"')

    demo = sub.add_parser("demo", help="the offline shell's demo calendar")
    demo_sub = demo.add_subparsers(dest="demo_cmd", required=True)
    demo_sub.add_parser("remove", help="remove the demo calendar from this database")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vggbot", description="VGG-bot: de Slack-bot voor de VGG-overleggen."
    )
    sub = parser.add_subparsers(dest="cmd", required=True)

    run = sub.add_parser("run", help="start the bot (Socket Mode, or HTTP with --http)")
    run.add_argument("--http", action="store_true", help="serve POST /slack/events and GET /health")
    run.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT, 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP address to listen on (default 0.0.0.0)")  # noqa: S104

    shell = sub.add_parser("shell", help="offline terminal chat with the same handlers, no Slack needed")
    shell.add_argument("--user", default="", help="Slack user id to act as (default: the first admin)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_cmd", required=True)
    db_sub.add_parser("upgrade", help="apply the migrations")

    _calendar_parsers(sub)

    privacy = sub.add_parser("privacy", help="AVG/GDPR: export or erase what is stored about one Slack user")
    privacy_sub = privacy.add_subparsers(dest="privacy_cmd", required=True)
    export = privacy_sub.add_parser("export", help="everything stored about the user, as JSON on stdout")
    export.add_argument("user_id", help="Slack user id, like U0123ABCD")
    erase = privacy_sub.add_parser(
        "erase", help=f"delete the user's dialogues and feed tokens; replace their id by {PLACEHOLDER}"
    )
    erase.add_argument("user_id", help="Slack user id, like U0123ABCD")
    erase.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")

    digest = sub.add_parser("digest", help="the biweekly calendar digest")
    digest_sub = digest.add_subparsers(dest="digest_cmd", required=True)
    for name, text in (
        ("preview", "print the digest of the slot due at that time as text"),
        ("send", "post the digest of the slot due at that time (once per slot)"),
    ):
        cmd = digest_sub.add_parser(name, help=text)
        cmd.add_argument("--at", default=None, help="ISO date-time in BOT_TIMEZONE (default: now)")

    report = sub.add_parser("report", help="reports for the secretariaat (CSV on stdout)")
    report_sub = report.add_subparsers(dest="report_cmd", required=True)
    open_report = report_sub.add_parser("open", help="open proposals and action points as CSV")
    open_report.add_argument("--overleg", default=None, help="only this overleg (key)")
    return parser


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(f"configuration error: {exc}")
    from bot.runtime.logs import configure_logging  # noqa: PLC0415 - keep `vggbot --help` light

    configure_logging(settings.log_level)
    try:
        return _dispatch(args, settings)
    except SettingsError as exc:
        return _fail(f"configuration error: {exc}")


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import OperationalError  # noqa: PLC0415

    from bot.offline.demo import DEMO_DATABASE_URL  # noqa: PLC0415
    from bot.runtime.deps import build_deps  # noqa: PLC0415

    offline = args.cmd == "shell" or (args.cmd == "run" and not settings.has_slack_tokens)
    if offline and "database_url" not in settings.model_fields_set:
        # The demo calendar lives in its own file, never next to the real calendar.
        settings = settings.model_copy(update={"database_url": DEMO_DATABASE_URL})
    try:
        deps = build_deps(settings)
    except OperationalError as exc:
        return _fail(f"database not reachable ({type(exc.orig).__name__}); check DATABASE_URL")
    try:
        return _command(args)(deps)
    finally:
        deps.engine.dispose()


def _command(args: argparse.Namespace) -> Callable[[Deps], int]:
    """The function for the chosen (sub)command, with its arguments bound."""
    from bot.runtime import cli_admin as admin  # noqa: PLC0415
    from bot.runtime import cli_calendar as calendar  # noqa: PLC0415
    from bot.runtime import cli_commands as commands  # noqa: PLC0415
    from bot.runtime import serve  # noqa: PLC0415

    def up_to_date(_deps: Deps) -> int:
        print("database is up to date")
        return 0

    def run(deps: Deps) -> int:
        port = args.port if args.port is not None else deps.settings.port  # --port 0: any free port
        return serve.run(deps, http=args.http, host=args.host, port=port)

    table: dict[tuple[str, str], Callable[[Deps], int]] = {
        ("db", "upgrade"): up_to_date,
        ("run", ""): run,
        ("shell", ""): lambda deps: serve.shell(deps, args.user),
        ("calendar", "import"): lambda deps: calendar.calendar_import(
            deps, args.file, overleg_key=args.overleg
        ),
        ("calendar", "export"): lambda deps: calendar.calendar_export(deps, overleg_key=args.overleg),
        ("calendar", "sync"): lambda deps: calendar.calendar_sync(deps, source=args.source, force=args.force),
        ("calendar", "list"): lambda deps: admin.calendar_list(
            deps, overleg_key=args.overleg, limit=args.limit
        ),
        ("calendar", "proposals"): lambda deps: admin.calendar_proposals(
            deps, ref=args.meeting, value=args.value
        ),
        ("overleg", "list"): admin.overleg_list,
        ("overleg", "deadline"): lambda deps: admin.overleg_deadline(
            deps, key=args.key, days=args.days, at=args.time
        ),
        ("overleg", "no-proposals"): lambda deps: admin.overleg_no_proposals(
            deps, key=args.key, words=args.words
        ),
        ("demo", "remove"): admin.demo_remove,
        ("privacy", "export"): lambda deps: commands.privacy_export(deps, args.user_id),
        ("privacy", "erase"): lambda deps: commands.privacy_erase(deps, args.user_id, dry_run=args.dry_run),
        ("digest", "preview"): lambda deps: commands.digest_preview(deps, at=args.at),
        ("digest", "send"): lambda deps: commands.digest_send(deps, at=args.at),
        ("report", "open"): lambda deps: commands.report_open(deps, overleg_key=args.overleg, out=sys.stdout),
    }
    return table[(args.cmd, str(getattr(args, f"{args.cmd}_cmd", "") or ""))]


if __name__ == "__main__":
    raise SystemExit(main())
