"""The verb or overleg someone probably meant when they mistyped it, for a "Bedoel je …?".

difflib's ratio is too eager on three-letter words (`pen` is 0.86 like `open`, and any two of
`ivb`, `kob`, `oov` differ in only two letters), so short words need exactly one typing error
and the same first letter (or two swapped letters) instead of a ratio.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Final

from bot.text.words import OverlegNames, overleg_named, overleg_phrases, plain_words

# `volgnde`, `agnda`, `voorstl`, `kalnder` score 0.91-0.93, `opn` 0.86; unrelated words stay below 0.7.
VERB_CUTOFF: Final = 0.8
# Higher than for verbs: `kalender` scores 0.80 against the overleg `jaarkalender`.
OVERLEG_CUTOFF: Final = 0.85
# Words of this length or shorter are compared by typing errors, not by ratio.
SHORT_WORD: Final = 4
# A word longer than any name is no typo of one; the cap also bounds difflib's work.
_MAX_WORD_CHARS = 60


def suggest_verb(word: str, verbs: Collection[str]) -> str | None:
    """The verb in `verbs` that `word` most likely misspells (`volgnde` -> `volgende`), or None.

    A word that already is a verb (case and punctuation aside) gives that verb.
    """
    if len(word) > _MAX_WORD_CHARS:
        return None
    as_typed = {verb.lower(): verb for verb in verbs}.get(word.strip().lower())
    typed = "".join(plain_words(word))
    if as_typed is not None or len(typed) < 2:
        return as_typed
    candidates = {"".join(plain_words(verb)): verb for verb in sorted(verbs)}
    candidates.pop("", None)
    if typed in candidates:
        return candidates[typed]
    close = [
        verb
        for verb in difflib.get_close_matches(typed, candidates, n=3, cutoff=VERB_CUTOFF)
        if len(typed) > SHORT_WORD or verb[0] == typed[0]
    ]
    return candidates[close[0]] if close else None


def suggest_overleg(word: str, overleg_names: OverlegNames) -> str | None:
    """The key of the overleg `word` most likely misspells (`ivv` -> `ivb`, `veiligheidsbraad` -> `ivb`).

    A word that already is a key, name or alias gives that key.
    """
    if len(word) > _MAX_WORD_CHARS:
        return None
    typed = " ".join(plain_words(word))
    if len(typed) < 3:
        return None
    exact = overleg_named(word, overleg_names)
    if exact is not None:
        return exact
    names = {" ".join(phrase): key for phrase, key in overleg_phrases(overleg_names)}
    if len(typed) <= SHORT_WORD:
        close = sorted(name for name in names if _one_typo(typed, name))
        return names[close[0]] if close else None
    matches = difflib.get_close_matches(typed, names, n=1, cutoff=OVERLEG_CUTOFF)
    return names[matches[0]] if matches else None


def _one_typo(typed: str, name: str) -> bool:
    """One letter wrong, missing or extra with the same first letter, or two neighbours swapped."""
    if typed == name or abs(len(typed) - len(name)) > 1:
        return False
    if len(typed) == len(name):
        wrong = [i for i, (a, b) in enumerate(zip(typed, name, strict=True)) if a != b]
        if len(wrong) == 2 and wrong[1] == wrong[0] + 1:
            first, second = wrong
            return typed[first] == name[second] and typed[second] == name[first]
        return len(wrong) == 1 and typed[0] == name[0]
    shorter, longer = sorted((typed, name), key=len)
    return typed[0] == name[0] and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
