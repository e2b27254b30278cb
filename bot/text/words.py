"""Typed text as plain words, and the overleg those words name.

Pure: the overleg names come in as a mapping (key -> names and aliases), never from a database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

OverlegNames = Mapping[str, Collection[str]]
"""Each overleg key mapped to its names and aliases (as `bot.calendar.normalise` gives them)."""

# Nothing longer is ever read as words: a cap keeps the work small whatever is pasted.
MAX_CHARS = 2000

# Slack's encoding is decoded by the caller; leftovers are read as the characters they stand for.
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))
_WORD = re.compile(r"[a-z0-9]+")

# Words that may stand around an overleg's name without changing which overleg it is.
_LEADING = frozenset({"voor", "de", "het", "t", "van", "bij", "naar", "aan", "op", "the", "for", "to", "of"})
_TRAILING = frozenset({"overleg", "tafel", "vergadering", "meeting"})


def plain_words(text: str) -> list[str]:
    """Lower-case words without accents; quotes, dashes and other punctuation separate words.

    `3-Noord` gives `["3", "noord"]`, `what's` gives `["what", "s"]`, `Één` gives `["een"]`.
    """
    capped = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text[:MAX_CHARS])
    decomposed = unicodedata.normalize("NFKD", capped)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _WORD.findall(plain)


def overleg_phrases(overleg_names: OverlegNames) -> list[tuple[tuple[str, ...], str]]:
    """Every key, name and alias as a word tuple with its key; longest first, so longer names win."""
    phrases: dict[tuple[str, ...], str] = {}
    for key, names in overleg_names.items():
        for name in (key, *names):
            words = tuple(plain_words(name))
            if words:
                phrases.setdefault(words, key)
    return sorted(phrases.items(), key=lambda item: (-len(item[0]), item[0]))


def find_overlegs(words: Sequence[str], overleg_names: OverlegNames) -> tuple[str | None, list[str]]:
    """The first overleg named in `words`, and the words without any overleg names."""
    phrases = overleg_phrases(overleg_names)
    first: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(words):
        for phrase, key in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                first = first or key
                i += len(phrase)
                break
        else:
            rest.append(words[i])
            i += 1
    return first, rest


def overleg_named(text: str, overleg_names: OverlegNames) -> str | None:
    """The key of the overleg that all of `text` names: `de KOB`, `voor het IVB`, `3-noord tafel`."""
    words = plain_words(text[:200])
    while words and words[0] in _LEADING:
        words = words[1:]
    phrases = dict(overleg_phrases(overleg_names))
    key = phrases.get(tuple(words))
    if key is None and len(words) > 1 and words[-1] in _TRAILING:
        key = phrases.get(tuple(words[:-1]))
    return key
