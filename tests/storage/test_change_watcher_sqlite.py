"""The SQLite change watcher: this process's commits move it at once, another's at the first read after
its window, and a read stands for the reads of every thread within that window."""

from __future__ import annotations

import shutil
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from storage.changes import ChangeWatcher
from storage.db import make_engine, make_session_factory
from tests.conftest import AMS
from tests.support.factories import add_meeting


def _engine(sqlite_template: Path, tmp_path: Path) -> tuple[str, Engine]:
    path = tmp_path / "watched.sqlite3"
    shutil.copy(sqlite_template, path)
    return str(path), make_engine(f"sqlite:///{path}")


def _commit_a_meeting(engine: Engine, day: int) -> None:
    with make_session_factory(engine).begin() as s:
        add_meeting(s, "ivb", datetime(2023, 5, day, 9, 30, tzinfo=AMS))


def test_a_commit_in_this_process_moves_the_version_at_once(sqlite_template: Path, tmp_path: Path) -> None:
    """Even while an earlier read stands for this one (a window of an hour), the process's own commit
    moves the version when its connection is back in the pool, and only then."""
    path, engine = _engine(sqlite_template, tmp_path)
    watcher = ChangeWatcher(path, engine, window=3600)
    before = watcher.version()
    assert before is not None
    with make_session_factory(engine).begin() as s:
        add_meeting(s, "ivb", datetime(2023, 5, 1, 9, 30, tzinfo=AMS))
        assert watcher.version() == before  # not before the commit
    assert watcher.version() not in {before, None}
    watcher.close()
    engine.dispose()


def test_another_process_commit_shows_at_the_first_read_after_the_window(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """Another engine (as another process) commits: with no window the very next read moves; with an
    hour's window the earlier read still stands, and only this process's own commits move it."""
    path, engine = _engine(sqlite_template, tmp_path)
    other = make_engine(f"sqlite:///{path}")
    strict = ChangeWatcher(path, engine, window=0)
    lenient = ChangeWatcher(path, engine, window=3600)
    strict_before, lenient_before = strict.version(), lenient.version()
    _commit_a_meeting(other, 2)
    assert strict.version() not in {strict_before, None}
    assert lenient.version() == lenient_before
    for watcher in (strict, lenient):
        watcher.close()
    other.dispose()
    engine.dispose()


def test_every_thread_reads_the_same_version(sqlite_template: Path, tmp_path: Path) -> None:
    """Each thread reads on a connection of its own (its first read moves the version once: it cannot
    know what it missed), yet once every thread has read, all of them read one version for the
    process: an answer kept by one server thread serves the others."""
    path, engine = _engine(sqlite_template, tmp_path)
    watcher = ChangeWatcher(path, engine, window=0)
    first_reads_done = threading.Barrier(4)
    seen: list[tuple[int, int] | None] = []

    def reader() -> None:
        watcher.version()
        first_reads_done.wait()
        seen.append(watcher.version())

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    watcher.version()
    first_reads_done.wait()
    for thread in threads:
        thread.join()
    settled = watcher.version()
    assert settled is not None
    assert seen == [settled] * 3
    watcher.close()
    engine.dispose()
