"""After the meeting: the records of the overleggen as documents.

- `model`: frozen dataclasses, the only input (a service fills them from the database);
- `archive`: per meeting a folder with agenda.pdf, besluitenlijst.pdf (PDF/A), vergadering.json
  and vergadering.csv, and an index for a whole export (`documents`, `pdf`, `ods` and
  `excel_csv` make the parts);
- `year_report`: the year's overleggen in numbers and the annual report's own text;
  `year_report_text` writes it as Markdown and CSV, `topics` finds subjects shared by overleggen.

Pure code: no database, no Slack, no clock. Nothing is imported here, so importing one part does
not load the PDF renderer.
"""
