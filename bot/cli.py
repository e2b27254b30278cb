"""The `vggbot` command line: run, shell, db, calendar, digest, report."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from pydantic import SecretStr

from bot.settings import Settings, SettingsError, load_settings

PLACEHOLDER = "U_VERWIJDERD"  # bot.privacy.PLACEHOLDER; repeated so `vggbot --help` stays light

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
    cal_sub = cal.add_subparsers(dest="cal_cmd", required=True)
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
    from bot.runtime import configure_logging  # noqa: PLC0415 - keep `vggbot --help` light

    configure_logging(settings.log_level)
    try:
        return _dispatch(args, settings)
    except SettingsError as exc:
        return _fail(f"configuration error: {exc}")


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import OperationalError  # noqa: PLC0415

    from bot.runtime import build_deps  # noqa: PLC0415

    try:
        deps = build_deps(settings)
    except OperationalError as exc:
        return _fail(f"database not reachable ({type(exc.orig).__name__}); check DATABASE_URL")
    if args.cmd == "db":
        print("database is up to date")
        return 0
    if args.cmd == "shell":
        return _shell(deps, args.user)
    if args.cmd == "run":
        port = args.port if args.port is not None else settings.port  # --port 0: any free port
        return _run(deps, http=args.http, host=args.host, port=port)
    if args.cmd == "calendar":
        from bot import ics  # noqa: PLC0415

        if args.cal_cmd == "import":
            return ics.import_command(deps, args.file, overleg_key=args.overleg)
        return ics.export_command(deps, overleg_key=args.overleg)
    if args.cmd == "privacy":
        return _privacy(deps, args)
    if args.cmd == "digest":
        from bot import digest_cli  # noqa: PLC0415

        if args.digest_cmd == "preview":
            return digest_cli.preview_command(deps, at=args.at)
        return digest_cli.send_command(deps, at=args.at)
    if args.cmd == "report":
        from bot.report import open_report_command  # noqa: PLC0415

        try:
            return open_report_command(deps, overleg_key=args.overleg, out=sys.stdout)
        finally:
            deps.engine.dispose()
    return _fail(f"unknown command {args.cmd}")


def _privacy(deps: object, args: argparse.Namespace) -> int:
    import json  # noqa: PLC0415

    from bot import privacy  # noqa: PLC0415
    from bot.deps import Deps  # noqa: PLC0415

    assert isinstance(deps, Deps)
    try:
        privacy.check_user_id(args.user_id)
    except privacy.PrivacyError as exc:
        return _fail(str(exc))
    if args.privacy_cmd == "export":
        with deps.sessions.begin() as session:
            data = privacy.export_user(session=session, user_id=args.user_id)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    with deps.sessions() as session:
        erasure = privacy.erase_user(session=session, user_id=args.user_id, now=deps.clock.now())
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    verb = "zou veranderen" if args.dry_run else "gewist"
    print(f"{args.user_id}: {verb}: {erasure.summary()}")
    return 0


def _shell(deps: object, user: str) -> int:
    from bot.app import OFFLINE_TOKEN, create_app  # noqa: PLC0415
    from bot.demo import load_demo  # noqa: PLC0415
    from bot.deps import Deps  # noqa: PLC0415
    from bot.fakeslack import FakeSlack  # noqa: PLC0415
    from bot.shell import ShellExecutor, print_call, run_shell  # noqa: PLC0415
    from bot.slack_client import make_web_client  # noqa: PLC0415

    assert isinstance(deps, Deps)
    settings = deps.settings
    user_id = user or (settings.admin_user_ids[0] if settings.admin_user_ids else "USHELL0001")
    with deps.sessions.begin() as session:
        added = load_demo(session=session, now=deps.clock.now(), tz=settings.tz)
    if added and sys.stdin.isatty():
        print(f"(democalender geladen: {added} vergaderingen)")
    # The same handlers and WebClient as in Slack, talking to a fake Web API on loopback that prints.
    with FakeSlack(on_call=lambda call: print_call(sys.stdout, call)) as fake:
        update: dict[str, object] = {"slack_api_url": fake.url, "slack_bot_token": SecretStr(OFFLINE_TOKEN)}
        if not settings.admin_user_ids:
            # Offline, the person at the keyboard is the secretariaat, so every feature can be tried.
            update["admin_user_ids"] = (user_id,)
        deps.settings = settings.model_copy(update=update)
        executor = ShellExecutor()
        app = create_app(deps, client=make_web_client(deps.settings), listener_executor=executor)
        run_shell(app, user_id=user_id, executor=executor)
    return 0


def _run(deps: object, *, http: bool, host: str, port: int) -> int:
    from bot.app import create_app  # noqa: PLC0415
    from bot.deps import Deps  # noqa: PLC0415

    assert isinstance(deps, Deps)
    settings = deps.settings
    if not settings.has_slack_tokens:
        print(
            "Geen SLACK_BOT_TOKEN ingesteld: de offline shell start. Zie README voor de Slack-app.",
            file=sys.stderr,
        )
        return _shell(deps, "")
    if http and settings.slack_signing_secret is None:
        raise SettingsError("SLACK_SIGNING_SECRET: required for HTTP mode")
    if not http and settings.slack_app_token is None:
        raise SettingsError("SLACK_APP_TOKEN: required for Socket Mode (or use --http)")
    from bot.feed import feed_routes  # noqa: PLC0415
    from bot.reminders import apply_overleg_channels  # noqa: PLC0415
    from bot.scheduler import start_scheduler, stop_scheduler  # noqa: PLC0415
    from bot.slack_client import make_web_client  # noqa: PLC0415

    if settings.overleg_channels:
        with deps.sessions.begin() as session:
            unknown = apply_overleg_channels(session=session, channels=settings.overleg_channels)
        if unknown:
            raise SettingsError(f"OVERLEG_CHANNELS: unknown overleg {', '.join(unknown)}")
    app = create_app(deps)
    if http:
        from bot.http import HttpServer, SlackWSGI  # noqa: PLC0415

        routes = feed_routes(sessions=deps.sessions, clock_now=deps.clock.now, tz=settings.tz)
        server = HttpServer(
            SlackWSGI(app, deps, get_routes=routes), host=host, port=port, threads=settings.http_threads
        )

        def stop(_signum: int, _frame: FrameType | None) -> None:
            logger.info("stopping: finishing requests in flight")
            server.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        scheduler = start_scheduler(deps, make_web_client(settings))
        logger.info("VGG-bot listening on http://%s:%s/slack/events", host, server.port)
        try:
            server.serve()
        finally:
            stop_scheduler(scheduler)  # waits for a post in progress, so no claim is left behind
        logger.info("stopped")
        return 0
    return _run_socket(deps, app, host)


def _run_socket(deps: object, app: object, host: str) -> int:
    from slack_bolt import App  # noqa: PLC0415

    from bot.deps import Deps  # noqa: PLC0415
    from bot.scheduler import start_scheduler, stop_scheduler  # noqa: PLC0415
    from bot.slack_client import make_web_client  # noqa: PLC0415
    from bot.socketmode import SocketModeRunner  # noqa: PLC0415

    assert isinstance(deps, Deps)
    assert isinstance(app, App)
    settings = deps.settings
    assert settings.slack_app_token is not None
    runner = SocketModeRunner(
        app,
        deps,
        app_token=settings.slack_app_token.get_secret_value(),
        health_host=host,
        health_port=settings.health_port,
    )

    def stop_socket(_signum: int, _frame: FrameType | None) -> None:
        logger.info("stopping: closing the Socket Mode connection")
        runner.stop()

    signal.signal(signal.SIGTERM, stop_socket)
    signal.signal(signal.SIGINT, stop_socket)
    scheduler = start_scheduler(deps, make_web_client(settings))
    try:
        logger.info("VGG-bot connecting over Socket Mode")
        runner.start()
        runner.wait()
    finally:
        stop_scheduler(scheduler)  # waits for a post in progress, so no claim is left behind
        runner.close()
    logger.info("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
