"""What every listener and job needs, built once by create_app's caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.clock import Clock
from bot.settings import Settings
from storage.db import SessionFactory


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock
    # Free-form per-process helpers that capabilities add (caches, the scheduler); never shared state.
    extras: dict[str, object] = field(default_factory=dict)
