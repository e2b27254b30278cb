"""What every listener and job needs, built once per process (`build_deps`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.runtime.answer_cache import AnswerCache
from bot.runtime.clock import Clock, SystemClock
from bot.runtime.metrics import count_database_errors
from bot.runtime.settings import Settings
from storage.changes import ChangeWatcher
from storage.db import SessionFactory, make_engine, make_read_session_factory, make_session_factory
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.runtime.followups import Followups


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock
    # Read-only sessions (on SQLite they never wait for the write lock); `sessions` may write.
    reads: SessionFactory = field(init=False)
    # Answers kept until the data changes (bot/runtime/answer_cache.py); one per process.
    answers: AnswerCache = field(init=False)
    # Web API work after the acknowledgement; set by create_app, which knows the client and the executor.
    followups: Followups = field(init=False)

    def __post_init__(self) -> None:
        self.reads = make_read_session_factory(self.engine)
        self.answers = AnswerCache(ChangeWatcher.for_engine(self.engine))
        count_database_errors(self.engine)


def build_deps(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Deps:
    """The engine (migrated to head), sessions and clock for `settings`."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return Deps(
        settings=settings, engine=engine, sessions=make_session_factory(engine), clock=clock or SystemClock()
    )
