"""`vggbot archief export` and `vggbot rapport jaar`: the records of the overleggen, written to a folder.

The database is read by `bot.services.records`; `bot.records` writes the files (WeasyPrint for the
PDFs is loaded only here, when an archive is made).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from bot.records.archive import write_archive
from bot.records.pdf import PdfUnavailableError
from bot.records.year_report import build_year_report
from bot.records.year_report_text import write_year_report
from bot.runtime.deps import Deps
from bot.services.errors import Refused
from bot.services.records import archive_meetings, year_input
from bot.text.dutch import plural

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _fail(message: str, code: int = 2) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return code


def _directory(path: str) -> Path | None:
    directory = Path(path)
    return None if directory.exists() and not directory.is_dir() else directory


def archive_export(deps: Deps, *, overleg_key: str, year: int, public: bool, directory: str) -> int:
    """`vggbot archief export --overleg KEY --jaar YYYY [--openbaar] MAP`: a folder per meeting."""
    target = _directory(directory)
    if target is None:
        return _fail(f"{directory} is een bestand; geef een map op")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _fail(f"--jaar {year} klopt niet; gebruik een jaartal als 2027")
    # WeasyPrint logs every rendering step at INFO; its warnings stay.
    logging.getLogger("weasyprint").setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        with deps.sessions() as session:
            overleg, meetings = archive_meetings(
                session=session, overleg=overleg_key, year=year, tz=deps.settings.tz, public=public
            )
    except Refused as exc:
        return _fail(exc.message)
    try:
        written = write_archive(meetings, target, public=public, tz=deps.settings.tz)
    except PdfUnavailableError as exc:
        return _fail(str(exc), code=1)
    kind = "openbare versie, zonder vertrouwelijke punten" if public else "volledige versie, niet openbaar"
    print(
        f"Archief {overleg.name} {year} ({kind}): "
        f"{plural(len(meetings), 'vergadering', 'vergaderingen')}, {len(written)} bestanden in {target}"
    )
    return 0


def year_report(deps: Deps, *, year: int, directory: str) -> int:
    """`vggbot rapport jaar YYYY [MAP]`: jaarrapport-YYYY.md and .csv, every overleg."""
    target = _directory(directory)
    if target is None:
        return _fail(f"{directory} is een bestand; geef een map op")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _fail(f"{year} klopt niet; gebruik een jaartal als 2027")
    with deps.sessions() as session:
        data = year_input(session=session, year=year, tz=deps.settings.tz, as_of=deps.clock.now())
    for path in write_year_report(build_year_report(data), target):
        print(f"Geschreven: {path}")
    return 0
