"""Scheduled posts: slot arithmetic (`slots`), exactly-once claims (`claims`), the jobs as plain
functions of (deps, client, now) (`jobs`), and the APScheduler wiring (`scheduler`).
May import: `bot.services`, `bot.blocks`, `bot.runtime` (deps, settings), `storage`."""
