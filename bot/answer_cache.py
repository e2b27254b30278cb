"""Answers kept per database connection until the data changes or time moves past what they show.

An entry holds the database's change marker (storage/changes.py) from before its data was read, and the
moment until which the answer is right (the next meeting starts, a deadline passes). A hit needs the
same marker and a moment before that: a write anywhere invalidates, and a stale answer is never given.
Entries live in the pooled connection's `info`, so threads never share them and nothing needs a lock.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks import Reply
from storage.changes import change_marker

_STORE = "vggbot_answers"
MAX_ENTRIES = 256

Entry = tuple[tuple[int, int], datetime | None, Reply]


class AnswerCache:
    """Open one per request with `AnswerCache.open(session)`, before the request reads any data."""

    def __init__(self, store: dict[Hashable, Entry], marker: tuple[int, int]) -> None:
        self._store = store
        self._marker = marker

    @classmethod
    def open(cls, session: Session) -> AnswerCache | None:
        """None when the database cannot tell cheaply whether it changed (then nothing is cached)."""
        connection = session.connection()
        marker = change_marker(connection)
        if marker is None:
            return None
        store: dict[Hashable, Entry] = connection.info.setdefault(_STORE, {})
        return cls(store, marker)

    def get(self, key: Hashable, now: datetime) -> Reply | None:
        entry = self._store.get(key)
        if entry is None:
            return None
        marker, valid_until, reply = entry
        if marker != self._marker or (valid_until is not None and now >= valid_until):
            del self._store[key]
            return None
        return reply

    def put(self, key: Hashable, reply: Reply, valid_until: datetime | None) -> None:
        """Keep `reply` while the data is unchanged and `now` is before `valid_until` (None: no limit)."""
        if len(self._store) >= MAX_ENTRIES:
            self._store.clear()
        self._store[key] = (self._marker, valid_until, reply)
