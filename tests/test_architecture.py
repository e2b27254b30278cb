"""The layout shows the architecture, and the house rules hold: layers import only downwards, modules
and functions stay small, and no test double ships in the installed package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PRODUCT = ("bot", "handlers", "storage")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60

# What each layer may not import (prefixes of module names).
FORBIDDEN = {
    "bot/services": (
        # only the records' dataclasses: rendering documents is the CLI's business
        "bot.records.archive",
        "bot.records.documents",
        "bot.records.pdf",
        "bot.blocks",
        "bot.runtime",
        "bot.schedule",
        "bot.offline",
        "bot.calendar_io",
        "handlers",
        "slack_sdk",
        "slack_bolt",
    ),
    "bot/blocks": (
        "bot.runtime",
        "bot.schedule",
        "bot.offline",
        "handlers",
        "slack_bolt",
        "slack_sdk.web",
        "sqlalchemy",
    ),
    "bot/text": (
        "bot.blocks",
        "bot.runtime",
        "bot.schedule",
        "bot.offline",
        "bot.calendar_io",
        "handlers",
        "storage",
        "sqlalchemy",
        "slack_sdk",
        "slack_bolt",
    ),
    # Records out: pure documents from frozen dataclasses; the CLI reads the database and writes files.
    "bot/records": (
        "bot.services",
        "bot.blocks",
        "bot.runtime",
        "bot.schedule",
        "bot.offline",
        "bot.calendar_io",
        "handlers",
        "storage",
        "sqlalchemy",
        "slack_sdk",
        "slack_bolt",
    ),
    "bot/calendar_io": ("bot.blocks", "bot.runtime", "bot.schedule", "handlers", "slack_bolt"),
    "bot/schedule": ("handlers", "slack_bolt"),
    "storage": ("bot", "handlers", "slack_sdk", "slack_bolt"),
    "handlers": ("storage.queries", "tests"),
}
HELPER_MODULES = {"handlers.command", "handlers.payload"}


def _modules() -> list[Path]:
    return [
        path
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    """No product module over 300 lines, no function over 60: a longer one hides a second one."""
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_layers_import_only_downwards(path: Path) -> None:
    """Services know no Slack and no builders; builders no sessions; storage nothing of the bot; a
    listener queries nothing itself and imports no other listener (only `ivb` dispatches to verbs)."""
    relative = path.relative_to(ROOT).as_posix()
    imports = _imports(path)
    for layer, forbidden in FORBIDDEN.items():
        if relative.startswith(layer + "/"):
            bad = sorted(name for name in imports if name.startswith(forbidden))
            assert not bad, f"{relative} imports {bad}"
    if relative.startswith("handlers/") and relative not in {"handlers/__init__.py", "handlers/ivb.py"}:
        listeners = {
            name
            for name in imports
            if name.startswith("handlers.") and name.count(".") == 1 and name not in HELPER_MODULES
        }
        assert not listeners, f"{relative} imports listener modules {sorted(listeners)}"
        assert "sqlalchemy.select" not in imports


def test_every_package_says_what_lives_there() -> None:
    """Each package's __init__.py has a docstring that says what it holds and what it may import."""
    for init in [ROOT / "handlers" / "__init__.py", *sorted((ROOT / "bot").rglob("__init__.py"))]:
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), init


def test_no_test_double_in_the_installed_package() -> None:
    """The fake Slack lives in tests/fakes; the product only has the offline shell's print-only stand-in."""
    for path in _modules():
        assert "FakeSlack" not in path.read_text(encoding="utf-8"), path
