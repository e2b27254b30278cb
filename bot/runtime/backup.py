"""`vggbot db backup FILE`: a consistent copy of the database while the bot keeps running.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) into a temporary file next to FILE,
checked (`PRAGMA integrity_check`) and then renamed, so FILE is never half written. PostgreSQL:
`pg_dump --format=custom` when it is installed (restore with pg_restore); otherwise the command to run.
Neither migrates: a backup before an upgrade must hold the old schema.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot.runtime.settings import Settings


def _fail(message: str, status: int = 1) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return status


def backup(settings: Settings, target: str) -> int:
    """0 when FILE holds a checked backup; 1 when it failed; 2 when it cannot be done here."""
    url = make_url(settings.database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return sqlite_backup(url, Path(target))
    if backend == "postgresql":
        return postgres_backup(url, Path(target))
    return _fail(f"back-up kent alleen SQLite en PostgreSQL, niet {backend}", 2)


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def sqlite_backup(url: URL, target: Path) -> int:
    source = Path(str(url.database or ""))
    if not url.database or url.database == ":memory:" or not source.is_file():
        return _fail(f"database-bestand {source} bestaat niet; controleer DATABASE_URL", 2)
    if target.exists() and target.resolve() == source.resolve():
        return _fail("dat is de database zelf; kies een ander bestand", 2)
    if not target.parent.is_dir():
        return _fail(f"map {target.parent} bestaat niet", 2)
    partial = _temporary(target)
    try:
        revision = _copy_sqlite(source, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        return _fail(f"back-up naar {target} mislukt ({type(exc).__name__}: {exc})")
    size = target.stat().st_size // 1024
    print(f"Back-up van {source} geschreven naar {target} ({size} kB, revisie {revision}).")
    return 0


def _copy_sqlite(source: Path, partial: Path) -> str:
    """The online backup, in one step: a consistent snapshot even while the bot writes (WAL)."""
    # mode=rw: never create a database where the file was expected.
    src = sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError(f"de kopie is niet in orde: {check}")
        row = dst.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else "geen"
    finally:
        dst.close()
        src.close()


def pg_dump_command(url: URL, target: Path) -> list[str]:
    """pg_dump's arguments for DATABASE_URL; the password goes through PGPASSWORD, never the command line."""
    command = ["pg_dump", "--format=custom", f"--file={target}"]
    if url.host:
        command.append(f"--host={url.host}")
    if url.port:
        command.append(f"--port={url.port}")
    if url.username:
        command.append(f"--username={url.username}")
    return [*command, str(url.database or "")]


def postgres_backup(url: URL, target: Path) -> int:
    program = shutil.which("pg_dump")
    if program is None:
        return _fail(
            "pg_dump is niet geïnstalleerd (Debian: apt install postgresql-client); "
            f"maak de back-up zo: {shlex.join(pg_dump_command(url, target))}",
            2,
        )
    partial = _temporary(target)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    run = subprocess.run(  # noqa: S603 - a fixed program with arguments from DATABASE_URL
        [program, *pg_dump_command(url, partial)[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        with contextlib.suppress(OSError):
            partial.unlink()
        reason = (run.stderr.strip().splitlines() or ["geen uitleg"])[-1]
        return _fail(f"pg_dump mislukt: {reason}")
    os.replace(partial, target)
    size = target.stat().st_size // 1024
    print(
        f"Back-up van database {url.database} geschreven naar {target} ({size} kB, pg_dump-formaat custom)."
    )
    print(f"Terugzetten: pg_restore --clean --if-exists --dbname={url.database} {target}")
    return 0
