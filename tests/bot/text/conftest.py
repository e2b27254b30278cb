"""The overleg names the text readers get: the five overleggen that migration 0001 seeds."""

from __future__ import annotations

from importlib import import_module

import pytest


@pytest.fixture(scope="session")
def overleg_names() -> dict[str, tuple[str, ...]]:
    """Each seeded overleg key with its name and aliases, in lower case as the callers pass them."""
    seeded = import_module("storage.migrations.versions.0001_initial").DEFAULT_OVERLEGGEN
    return {
        row["key"]: (row["name"].lower(), *(alias.strip() for alias in row["aliases"].split(",")))
        for row in seeded
    }
