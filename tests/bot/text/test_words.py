"""Typed text as plain words, and the overleg a phrase names."""

from __future__ import annotations

import pytest

from bot.text.words import MAX_CHARS, find_overlegs, overleg_named, plain_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Wanneer is de volgende IVB?", ["wanneer", "is", "de", "volgende", "ivb"]),
        ("  Één   vraag\t\nover  3-Noord ", ["een", "vraag", "over", "3", "noord"]),
        ("what’s “on” the agenda — kob", ["what", "s", "on", "the", "agenda", "kob"]),
        ("Toezicht &amp; handhaving &lt;nu&gt;", ["toezicht", "handhaving", "nu"]),
        ("ﬁnanciën café", ["financien", "cafe"]),
        ("...?!", []),
    ],
)
def test_plain_words(text: str, words: list[str]) -> None:
    """Case, accents, curly quotes, dashes, ligatures, entities and spacing do not change the words."""
    assert plain_words(text) == words


def test_plain_words_reads_only_the_first_characters() -> None:
    """A pasted essay is cut at MAX_CHARS before it is read, so the work stays small."""
    assert len(plain_words("a " * 100_000)) == MAX_CHARS // len("a ")


def test_find_overlegs_prefers_the_longest_name_and_returns_the_rest(
    overleg_names: dict[str, tuple[str, ...]],
) -> None:
    """`groninger agenda` is the overleg, not the word agenda; the first overleg named wins."""
    words = plain_words("agenda van de Groninger Agenda en de KOB")
    assert find_overlegs(words, overleg_names) == ("groningeragenda", ["agenda", "van", "de", "en", "de"])


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("kob", "kob"),
        ("de KOB", "kob"),
        ("voor het Integraal Veiligheidsberaad", "ivb"),
        ("3–Noord", "3noord"),
        ("3noord tafel", "3noord"),
        ("for the IVB", "ivb"),
        ("Hennep", None),
        ("voor de", None),
        ("kob hennep", None),
    ],
)
def test_overleg_named(phrase: str, key: str | None, overleg_names: dict[str, tuple[str, ...]]) -> None:
    """The whole phrase names the overleg; articles, prepositions and a trailing `tafel` may surround it."""
    assert overleg_named(phrase, overleg_names) == key
