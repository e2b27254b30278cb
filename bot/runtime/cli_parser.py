"""The `vggbot` command line's grammar, in Dutch like everything else an administrator reads:
the help texts, argparse's own words ("gebruik:", "opties") and its error messages."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

PLACEHOLDER = "U_VERWIJDERD"  # bot.services.privacy.PLACEHOLDER; repeated so `vggbot --help` stays light

# argparse's messages (Python 3.11 to 3.13), in Dutch; anything not listed stays as argparse wrote it.
_MESSAGES = (
    (r"the following arguments are required: ", "dit ontbreekt: "),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
    (r"unrecognized arguments: ", "onbekende argumenten: "),
    (r"expected one argument", "verwacht één waarde"),
    (r"expected at most one argument", "verwacht hoogstens één waarde"),
    (r"expected at least one argument", "verwacht minstens één waarde"),
    (r"invalid (\w+) value: ", r"ongeldige waarde (\1): "),
    (r"ambiguous option: (\S+) could match (.*)", r"dubbelzinnige optie \1: bedoel je \2?"),
    (r"one of the arguments (.*) is required", r"een van deze argumenten is nodig: \1"),
    (r"not allowed with argument ", "niet samen met "),
)


def dutch(message: str) -> str:
    """argparse's error message in Dutch."""
    for pattern, replacement in _MESSAGES:
        message = re.sub(pattern, replacement, message)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class DutchArgumentParser(argparse.ArgumentParser):
    """ArgumentParser with Dutch headings, -h/--help and errors; subcommands inherit it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop"
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch(message)}\n")


def _commands(parser: argparse.ArgumentParser, dest: str, title: str = "opdrachten") -> Any:
    return parser.add_subparsers(dest=dest, required=True, title=title, metavar="OPDRACHT")


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(prog="vggbot", description="VGG-bot: de Slack-bot voor de VGG-overleggen.")
    sub = _commands(parser, "cmd")
    for add in (_serving, _database, _calendar, _overleg, _privacy, _digest, _report, _records):
        add(sub)
    return parser


def _serving(sub: Any) -> None:
    run = sub.add_parser("run", help="start de bot (Socket Mode, of HTTP met --http)")
    run.add_argument(
        "--http", action="store_true", help="HTTP-modus: POST /slack/events, GET /health, /metrics"
    )
    run.add_argument("--port", type=int, default=None, help="HTTP-poort (standaard: PORT, 3000)")
    run.add_argument("--host", default="0.0.0.0", help="adres om op te luisteren (standaard 0.0.0.0)")  # noqa: S104

    shell = sub.add_parser("shell", help="offline chat in de terminal met dezelfde antwoorden, zonder Slack")
    shell.add_argument(
        "--user", default="", help="Slack-lid-ID om als te werken (standaard: de eerste beheerder)"
    )

    doctor = sub.add_parser(
        "doctor", help="controleer instellingen, database, Slack-token, rechten en kanalen"
    )
    doctor.add_argument("--http", action="store_true", help="controleer HTTP-modus (PUBLIC_URL/health)")


def _database(sub: Any) -> None:
    db_sub = _commands(sub.add_parser("db", help="onderhoud van de database"), "db_cmd")
    db_sub.add_parser("upgrade", help="voer de migraties uit")
    backup = db_sub.add_parser("backup", help="back-up terwijl de bot draait (SQLite; PostgreSQL: pg_dump)")
    backup.add_argument("file", metavar="BESTAND", help="waar de back-up komt")


def _calendar(sub: Any) -> None:
    cal_sub = _commands(
        sub.add_parser("calendar", help="de vergaderkalender in- of uitlezen (.ics)"), "calendar_cmd"
    )
    imp = cal_sub.add_parser("import", help="lees een .ics-bestand uit Outlook of Google Agenda in")
    imp.add_argument("file", metavar="BESTAND", help="het .ics-bestand")
    imp.add_argument(
        "--overleg", default=None, help="zet elke vergadering in dit overleg (sleutel, bijv. ivb)"
    )
    exp = cal_sub.add_parser("export", help="schrijf de kalender als iCalendar naar stdout")
    exp.add_argument("--overleg", default=None, help="alleen dit overleg (sleutel)")
    sync = cal_sub.add_parser("sync", help="haal CALENDAR_SOURCES nu één keer op")
    sync.add_argument("--source", default=None, help="alleen deze bron (de sleutel in CALENDAR_SOURCES)")
    sync.add_argument(
        "--force", action="store_true", help="ook als dat veel vergaderingen tegelijk annuleert"
    )
    lst = cal_sub.add_parser("list", help="komende vergaderingen, met nummer en of ze voorstellen aannemen")
    lst.add_argument("--overleg", default=None, help="alleen dit overleg (sleutel)")
    lst.add_argument("--limit", type=int, default=50, help="hoeveel vergaderingen (standaard 50)")
    switch = cal_sub.add_parser("proposals", help="zeg of één vergadering agendavoorstellen aanneemt")
    switch.add_argument(
        "meeting", metavar="VERGADERING", help="het nummer uit `calendar list` (bijv. 12) of de UID"
    )
    switch.add_argument(
        "value", metavar="WAARDE", help="on, off of auto (weer de titelwoorden van het overleg volgen)"
    )


def _overleg(sub: Any) -> None:
    ovl_sub = _commands(
        sub.add_parser("overleg", help="agendadeadline en titelwoorden van de overleggen"), "overleg_cmd"
    )
    ovl_sub.add_parser("list", help="elk overleg met zijn deadline-regel en woorden")
    dl = ovl_sub.add_parser("deadline", help="agendadeadline: DAGEN werkdagen vooraf, om TIJD")
    dl.add_argument("key", metavar="SLEUTEL", help="het overleg, bijv. ivb")
    dl.add_argument(
        "days",
        metavar="DAGEN",
        type=int,
        help="werkdagen voor de vergadering (weekend en feestdagen tellen niet)",
    )
    dl.add_argument(
        "time",
        metavar="TIJD",
        nargs="?",
        default="start",
        help="UU:MM, of start (de begintijd van de vergadering)",
    )
    words = ovl_sub.add_parser("no-proposals", help="titelwoorden van afspraken zonder agendavoorstellen")
    words.add_argument("key", metavar="SLEUTEL", help="het overleg, bijv. ivb")
    words.add_argument("words", metavar="WOORDEN", help='met komma\'s, bijv. "werkbezoek,afstemmingsoverleg"')

    demo_sub = _commands(sub.add_parser("demo", help="de demokalender van de offline shell"), "demo_cmd")
    demo_sub.add_parser("remove", help="haal de demokalender uit deze database")


def _privacy(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="AVG: wat er over één Slack-lid is opgeslagen, inzien of wissen")
    privacy_sub = _commands(privacy, "privacy_cmd")
    export = privacy_sub.add_parser("export", help="alles over het lid, als JSON op stdout")
    export.add_argument("user_id", metavar="LID", help="Slack-lid-ID, bijv. U0123ABCD")
    erase = privacy_sub.add_parser(
        "erase", help=f"wis gesprekken en feed-links van het lid; vervang het ID door {PLACEHOLDER}"
    )
    erase.add_argument("user_id", metavar="LID", help="Slack-lid-ID, bijv. U0123ABCD")
    erase.add_argument("--dry-run", action="store_true", help="zeg wat er zou veranderen, verander niets")


def _digest(sub: Any) -> None:
    digest_sub = _commands(sub.add_parser("digest", help="de tweewekelijkse digest"), "digest_cmd")
    for name, text in (
        ("preview", "toon de digest van het moment dat dan aan de beurt is, als tekst"),
        ("send", "plaats de digest van het moment dat dan aan de beurt is (één keer per moment)"),
    ):
        cmd = digest_sub.add_parser(name, help=text)
        cmd.add_argument("--at", default=None, help="ISO-datum-tijd in BOT_TIMEZONE (standaard: nu)")


def _report(sub: Any) -> None:
    report_sub = _commands(sub.add_parser("report", help="overzichten voor het secretariaat"), "report_cmd")
    open_report = report_sub.add_parser("open", help="open voorstellen en actiepunten als CSV op stdout")
    open_report.add_argument("--overleg", default=None, help="alleen dit overleg (sleutel)")
    open_report.add_argument(
        "--format",
        choices=("excel", "csv"),
        default="excel",
        help="excel (standaard): ';' en UTF-8 met BOM, opent in Nederlandse Excel als kolommen; csv: komma's",
    )
    open_report.add_argument(
        "--namen", action="store_true", help="namen in plaats van Slack-ID's (users.info)"
    )


def _records(sub: Any) -> None:
    """`archief export` and `rapport jaar`: the records of the overleggen."""
    archief_sub = _commands(
        sub.add_parser("archief", help="het archief: agenda en besluitenlijst per vergadering (PDF/A)"),
        "archief_cmd",
    )
    export = archief_sub.add_parser("export", help="een map per vergadering van één overleg in één jaar")
    export.add_argument("--overleg", required=True, help="het overleg (sleutel), bijv. ivb")
    export.add_argument("--jaar", type=int, required=True, help="het jaar, bijv. 2027")
    export.add_argument("--openbaar", action="store_true", help="openbaar: zonder vertrouwelijke punten")
    export.add_argument("map", metavar="MAP", help="waar de mappen komen (wordt zo nodig gemaakt)")
    rapport_sub = _commands(
        sub.add_parser(
            "rapport", help="de overleggen van een jaar in cijfers, en de tekst voor het jaarverslag"
        ),
        "rapport_cmd",
    )
    jaar = rapport_sub.add_parser("jaar", help="Markdown en CSV over één jaar, alle overleggen")
    jaar.add_argument("jaar", metavar="JAAR", type=int, help="het jaar, bijv. 2027")
    jaar.add_argument(
        "map", metavar="MAP", nargs="?", default=".", help="waar de bestanden komen (standaard: hier)"
    )
