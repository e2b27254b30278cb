"""Scheduled posts: slot arithmetic (`slots`), exactly-once claims (`claims`), the jobs as plain
functions of (deps, client, now) (`jobs`), the calendar sync job and the messages an import's changes
call for (`calendar_sync`), and the APScheduler wiring (`scheduler`).
May import: `bot.services`, `bot.blocks`, `bot.runtime` (deps, settings), `storage`."""
