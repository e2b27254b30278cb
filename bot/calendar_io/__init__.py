"""iCalendar in and out: reading Outlook and Google exports (`parse`, `importer`), writing them back
(`export`) and the subscribable feed (`feed`), with one event writer (`vevent`) for both.
May import: `bot.services`, `bot.text`, `storage`."""
