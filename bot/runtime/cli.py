"""The `vggbot` command line: run, shell, doctor, db, calendar, overleg, privacy, digest, report,
archief, rapport.

Everything it prints is Dutch. `vggbot … | head` ends quietly when the reader stops reading, and a
one-shot command logs an error as one line (LOG_LEVEL=DEBUG shows the traceback).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.runtime.cli_parser import build_parser
from bot.runtime.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.runtime.deps import Deps

logger = logging.getLogger("vggbot")

SERVING = {"run", "shell"}  # long-running: a traceback in the log helps; one-shot commands print one line
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what the shell reports for a program whose reader went away


def _parser() -> argparse.ArgumentParser:
    return build_parser()


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        if args.cmd == "doctor":
            print(f"✗ Instellingen: {exc}. Pas dit aan in het instellingenbestand (zie .env.example).")
            return 1
        return _fail(f"instelling klopt niet: {exc}")
    from bot.runtime.logs import configure_logging  # noqa: PLC0415 - keep `vggbot --help` light

    configure_logging(
        settings.log_level, json_lines=settings.log_format == "json", tracebacks=args.cmd in SERVING
    )
    try:
        return _dispatch(args, settings)
    except SettingsError as exc:
        return _fail(f"instelling klopt niet: {exc}")
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """`vggbot report open | head`: the reader stopped. No traceback, and none at exit when Python
    flushes stdout again: point it at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a file (a test's buffer): nothing will be flushed to a closed pipe
    return EXIT_BROKEN_PIPE


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    # Neither migrates: doctor reports an old schema, and a backup before an upgrade must be of the old one.
    if args.cmd == "doctor":
        from bot.runtime.doctor import run_doctor  # noqa: PLC0415

        return run_doctor(settings, http=args.http)
    if args.cmd == "db" and args.db_cmd == "backup":
        from bot.runtime.backup import backup  # noqa: PLC0415

        return backup(settings, args.file)
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
        return _fail(
            f"database niet bereikbaar ({type(exc.orig).__name__}); controleer DATABASE_URL, "
            "of draai `vggbot doctor`"
        )
    try:
        return _command(args)(deps)
    finally:
        deps.engine.dispose()


def _command(args: argparse.Namespace) -> Callable[[Deps], int]:
    """The function for the chosen (sub)command, with its arguments bound."""
    from bot.runtime import cli_admin as admin  # noqa: PLC0415
    from bot.runtime import cli_calendar as calendar  # noqa: PLC0415
    from bot.runtime import cli_commands as commands  # noqa: PLC0415
    from bot.runtime import cli_report, serve  # noqa: PLC0415

    def run(deps: Deps) -> int:
        port = args.port if args.port is not None else deps.settings.port  # --port 0: any free port
        return serve.run(deps, http=args.http, host=args.host, port=port)

    table: dict[tuple[str, str], Callable[[Deps], int]] = {
        ("db", "upgrade"): commands.db_upgraded,
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
        ("report", "open"): lambda deps: cli_report.report_open_cli(
            deps, overleg_key=args.overleg, excel=args.format == "excel", with_names=args.namen
        ),
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
