"""The PostgreSQL server the tests use: VGGBOT_TEST_DATABASE_URL names it (its database is created
when it does not exist yet), and every database the tests create there is named with
VGGBOT_TEST_DB_PREFIX (default `vggbot_test_`), so runs and people sharing a server never collide."""

from __future__ import annotations

import os
import re
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_ENV = "VGGBOT_TEST_DATABASE_URL"
PREFIX_ENV = "VGGBOT_TEST_DB_PREFIX"
DEFAULT_PREFIX = "vggbot_test_"
MAINTENANCE_DATABASES = ("postgres", "template1")


def prefix() -> str:
    """The test databases' name prefix: lower-case letters, digits and underscores."""
    value = os.environ.get(PREFIX_ENV, DEFAULT_PREFIX)
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", value):
        raise ValueError(f"{PREFIX_ENV}={value!r}: use lower-case letters, digits and _ (at most 41)")
    return value


def new_name(kind: str = "") -> str:
    """A fresh database name: the prefix, what it is for, and a random part."""
    return f"{prefix()}{kind}{uuid.uuid4().hex[:10]}"


def _first_line(error: BaseException) -> str:
    return (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]


def _where(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432} as {url.username or '(default user)'}"


def ensure_database(base: str) -> str:
    """Make sure the database `base` names exists, creating it from a maintenance database when it does
    not. Returns "" when it is there, otherwise the exact reason it is not (for the run to stop with)."""
    url = make_url(base)
    try:
        _connect(url)
    except Exception as exc:
        if f'database "{url.database}" does not exist' not in str(exc):
            return f"cannot connect to PostgreSQL at {_where(url)}: {_first_line(exc)}"
    else:
        return ""
    reasons = []
    for maintenance in MAINTENANCE_DATABASES:
        try:
            _execute(url.set(database=maintenance), f'CREATE DATABASE "{url.database}"')
        except Exception as exc:
            if "already exists" in str(exc):  # another run created it meanwhile
                return ""
            reasons.append(f"via {maintenance}: {_first_line(exc)}")
        else:
            return ""
    return f"database {url.database!r} does not exist and could not be created ({'; '.join(reasons)})"


def create_database(base: str, name: str) -> str:
    """CREATE DATABASE `name` on the server of `base`; its URL."""
    _execute(make_url(base), f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_database(base: str, name: str) -> None:
    _execute(make_url(base), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _connect(url: URL) -> None:
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def _execute(url: URL, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
