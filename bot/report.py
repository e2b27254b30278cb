"""`vggbot report open [--overleg KEY]`: the open items as CSV for the secretariaat's report."""

from __future__ import annotations

import sys
from typing import IO

from bot.calendar import get_overleg
from bot.deps import Deps
from bot.open_items import OpenFilter, write_report


def open_report_command(deps: Deps, *, overleg_key: str | None, out: IO[str]) -> int:
    """Write every open proposal and action point as CSV to `out`; 2 for an unknown overleg."""
    with deps.sessions.begin() as session:
        overleg_id = None
        if overleg_key:
            overleg = get_overleg(session=session, key=overleg_key)
            if overleg is None:
                print(f"vggbot: unknown overleg {overleg_key!r}", file=sys.stderr)
                return 2
            overleg_id = overleg.id
        write_report(
            out,
            session=session,
            flt=OpenFilter(overleg_id=overleg_id),
            now=deps.clock.now(),
            tz=deps.settings.tz,
        )
    out.flush()
    return 0
