"""Records out: after the meeting, the records of the overleggen as documents.

- `model`: frozen dataclasses, the only input (`bot.services.records` fills them from the database);
- `archive`: per meeting a folder with agenda.pdf, besluitenlijst.pdf (PDF/A), vergadering.json
  and vergadering.csv, and an index for a whole export (`documents`, `pdf`, `ods` and
  `excel_csv` make the parts);
- `year_report`: the year's overleggen in numbers and the annual report's own text;
  `year_report_text` writes it as Markdown and CSV, `topics` finds subjects shared by overleggen.

Pure code: no database, no Slack, no clock; the CLI (`bot.runtime.cli_records`) reads and writes.
May import: the standard library, `bot.text` (Dutch dates), WeasyPrint, rapidfuzz and Babel. Never
`storage`, SQLAlchemy, `bot.services`, `bot.blocks`, `handlers` or Slack. Nothing is imported here,
so importing one part does not load the PDF renderer.
"""
