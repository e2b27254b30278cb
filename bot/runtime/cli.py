"""The `vggbot` command line: run, shell, db, calendar, digest, report, archief, rapport."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.runtime.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.runtime.deps import Deps

PLACEHOLDER = "U_VERWIJDERD"  # bot.services.privacy.PLACEHOLDER; repeated so `vggbot --help` stays light

logger = logging.getLogger("vggbot")


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

    cal = sub.add_parser("calendar", help="import or export the meeting calendar (.ics)")
    cal_sub = cal.add_subparsers(dest="calendar_cmd", required=True)
    imp = cal_sub.add_parser("import", help="import an Outlook / Google Calendar .ics file")
    imp.add_argument("file")
    imp.add_argument("--overleg", default=None, help="put every event in this overleg (key)")
    exp = cal_sub.add_parser("export", help="write the calendar as iCalendar to stdout")
    exp.add_argument("--overleg", default=None, help="only this overleg (key)")

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
    _records_parsers(sub)
    return parser


def _records_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`archief export` and `rapport jaar`: the records of the overleggen (issue 15)."""
    archief = sub.add_parser("archief", help="the archive: agenda and besluitenlijst per meeting (PDF/A)")
    archief_sub = archief.add_subparsers(dest="archief_cmd", required=True)
    export = archief_sub.add_parser("export", help="a folder per meeting of one overleg in one year")
    export.add_argument("--overleg", required=True, help="overleg key, e.g. ivb")
    export.add_argument("--jaar", type=int, required=True, help="year, e.g. 2027")
    export.add_argument("--openbaar", action="store_true", help="public: without confidential items")
    export.add_argument("map", help="folder to write to (made if needed)")
    rapport = sub.add_parser("rapport", help="the year's overleggen in numbers, and the annual report's text")
    rapport_sub = rapport.add_subparsers(dest="rapport_cmd", required=True)
    jaar = rapport_sub.add_parser("jaar", help="Markdown and CSV for one year, every overleg")
    jaar.add_argument("jaar", type=int, help="year, e.g. 2027")
    jaar.add_argument("map", nargs="?", default=".", help="folder to write to (default: here)")


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

    from bot.runtime.deps import build_deps  # noqa: PLC0415

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
        ("calendar", "import"): lambda deps: commands.calendar_import(
            deps, args.file, overleg_key=args.overleg
        ),
        ("calendar", "export"): lambda deps: commands.calendar_export(deps, overleg_key=args.overleg),
        ("privacy", "export"): lambda deps: commands.privacy_export(deps, args.user_id),
        ("privacy", "erase"): lambda deps: commands.privacy_erase(deps, args.user_id, dry_run=args.dry_run),
        ("digest", "preview"): lambda deps: commands.digest_preview(deps, at=args.at),
        ("digest", "send"): lambda deps: commands.digest_send(deps, at=args.at),
        ("report", "open"): lambda deps: commands.report_open(deps, overleg_key=args.overleg, out=sys.stdout),
        ("archief", "export"): lambda deps: _records(args, deps),
        ("rapport", "jaar"): lambda deps: _records(args, deps),
    }
    return table[(args.cmd, str(getattr(args, f"{args.cmd}_cmd", "") or ""))]


def _records(args: argparse.Namespace, deps: Deps) -> int:
    """`archief export` and `rapport jaar`; their module (rapidfuzz, the PDF writer) loads only for them."""
    from bot.runtime import cli_records  # noqa: PLC0415

    if args.cmd == "archief":
        return cli_records.archive_export(
            deps, overleg_key=args.overleg, year=args.jaar, public=args.openbaar, directory=args.map
        )
    return cli_records.year_report(deps, year=args.jaar, directory=args.map)


if __name__ == "__main__":
    raise SystemExit(main())
