"""iCalendar import and export (being built: see the calendar-import work)."""
# ruff: noqa: ARG001

from __future__ import annotations

import sys

from bot.deps import Deps


def import_command(deps: Deps, path: str, *, overleg_key: str | None) -> int:
    print("vggbot: calendar import is not available yet", file=sys.stderr)
    return 2


def export_command(deps: Deps, *, overleg_key: str | None) -> int:
    print("vggbot: calendar export is not available yet", file=sys.stderr)
    return 2
