"""CSV for Dutch Excel: semicolons, a byte order mark, formulas defused."""

import csv
import io

from bot.records.excel_csv import BOM, excel_csv, safe_cell


def test_file_starts_with_bom_and_splits_on_semicolons() -> None:
    """The file starts with the UTF-8 BOM and its cells are separated by `;`."""
    text = excel_csv(["Titel", "Uren"], [["Hennepconvenant; stand van zaken", 2.5]])
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert rows == [["Titel", "Uren"], ["Hennepconvenant; stand van zaken", "2,5"]]


def test_formula_looking_cells_get_a_quote() -> None:
    """Text starting with =, +, -, @ or a tab is prefixed with ' so Excel shows it as text."""
    for text in ('=HYPERLINK("x")', "+31 50", "-2", "@SUM(A1)", "\tx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Gewone titel") == "Gewone titel"
    assert safe_cell(-2) == "-2"
