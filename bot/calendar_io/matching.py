"""Which overleg an event belongs to: CATEGORIES first, then the longest key, name or alias in its title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.services.overleggen import names_of
from bot.text.dutch import normalise
from storage.queries.rows import OverlegRow


def match_event(
    overleggen: Sequence[OverlegRow], *, summary: str, categories: Iterable[str]
) -> OverlegRow | str:
    """The overleg an event belongs to, by CATEGORIES first, then the longest name or alias in SUMMARY.

    Returns the reason (Dutch) when it matches none, or several equally well.
    """
    names = [(overleg, names_of(overleg)) for overleg in overleggen]
    by_category = _by_category(names, categories)
    if by_category is not None:
        return by_category
    text = normalise(summary)
    best: dict[int, OverlegRow] = {}
    best_length = 0
    for overleg, known in names:
        for name in known:
            if not re.search(rf"(?<![0-9a-z]){re.escape(name)}(?![0-9a-z])", text):
                continue
            if len(name) > best_length:
                best, best_length = {overleg.id: overleg}, len(name)
            elif len(name) == best_length:
                best[overleg.id] = overleg
    if len(best) == 1:
        return next(iter(best.values()))
    if best:
        keys = ", ".join(sorted(o.key for o in best.values()))
        return f"past bij meer dan één overleg ({keys}); zet het overleg in CATEGORIES of gebruik --overleg"
    return "past bij geen overleg; noem het overleg in de titel of CATEGORIES, of gebruik --overleg"


def _by_category(names: list[tuple[OverlegRow, set[str]]], categories: Iterable[str]) -> OverlegRow | None:
    for category in categories:
        wanted = normalise(category)
        for overleg, known in names:
            if wanted in known:
                return overleg
    return None
