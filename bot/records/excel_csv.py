"""CSV that Dutch Excel opens as columns: `;` between cells, UTF-8 with a byte order mark.

Dutch Excel takes `,` for the decimal comma, so it splits on `;`; without the BOM it reads the
file as Windows-1252 and "één" turns into "Ã©Ã©n". A cell that
starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, so a title
such as `=HYPERLINK(…)` stays text (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def safe_cell(value: Cell) -> str:
    """The cell as text; numbers with a decimal comma; formula-looking text defused with `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return "'" + value if value.startswith(FORMULA_START) else value


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The whole file as text, starting with the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return BOM + buffer.getvalue()


def write_excel_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Path:
    # newline="" keeps the csv module's \r\n as written (Excel's own line ends).
    path.write_text(excel_csv(header, rows), encoding="utf-8", newline="")
    return path
