"""iCalendar in and out: reading Outlook and Google exports (`parse`, `matching`, `apply`, `importer`,
whose `report` says what changed) and syncing a published calendar (`sync`); writing them back
(`export`) and the subscribable feed (`feed`), with one event writer (`vevent`) and one VTIMEZONE
(`vtimezone`) for both. May import: `bot.services`, `bot.text`, `storage`."""
