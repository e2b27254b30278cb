"""VGG-bot: the Slack bot for the administrative meetings around the Vereniging Groninger Gemeenten.

One folder per kind of code; a request goes one hop per layer:
- `handlers/` (top level): Slack listeners, one module per surface; the `/ivb` verb table.
- `bot/services/`: domain operations on plain values; `storage/queries/`: the database reads.
- `bot/blocks/`: pure Block Kit builders; `bot/text/`: Dutch dates and words, Slack's text encoding.
- `bot/calendar_io/`: iCalendar in and out; `bot/schedule/`: the digest and reminders, exactly once.
- `bot/records/`: records out: the archive (PDF/A, ODS-like JSON, CSV) and the year report, pure code.
- `bot/runtime/`: settings, the app factory, CLI, HTTP and Socket Mode serving, follow-ups, logging.
- `bot/offline/`: the offline shell, its demo calendar and its Web API stand-in.
"""
