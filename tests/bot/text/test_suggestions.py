"""The verb or overleg a mistyped word most likely means ("Bedoel je …?"), and no guess for other words."""

from __future__ import annotations

import time

import pytest

from bot.text.suggestions import suggest_overleg, suggest_verb

Names = dict[str, tuple[str, ...]]

# The words `/ivb` knows (bot/commands.py VERBS), plus `besluiten` from the design's verb list.
VERBS = (
    "volgende", "next", "wanneer", "agenda", "voorstel", "voorstellen", "propose", "proposal",
    "open", "openstaand", "kalender", "calendar", "actie", "actiepunt", "action", "help", "hulp",
    "?", "besluiten",
)  # fmt: skip


@pytest.mark.parametrize(
    ("word", "verb"),
    [
        ("volgnde", "volgende"),  # ratio 0.93
        ("VOLGNDE", "volgende"),
        ("Volgende:", "volgende"),  # already a verb
        ("?", "?"),
        ("oen", "open"),
        ("agnda", "agenda"),  # 0.91
        ("agen", "agenda"),  # 0.80: exactly the cutoff
        ("voorstl", "voorstel"),  # 0.93
        ("kalnder", "kalender"),  # 0.93
        ("opn", "open"),  # 0.86, short but the first letter is right
        ("nxt", "next"),
        ("hep", "help"),
        ("wanner", "wanneer"),
        ("besluten", "besluiten"),
    ],
)
def test_suggest_verb(word: str, verb: str) -> None:
    """A verb with one or two letters wrong, missing or swapped is suggested."""
    assert suggest_verb(word, VERBS) == verb


@pytest.mark.parametrize(
    "word",
    [
        "xyz",
        "age",  # 0.67 against agenda: below the cutoff
        "pen",  # 0.86 against open, but a short word must start with the right letter
        "op",
        "agendapunt",  # 0.75 against agenda: a proposal, read by read_direct_proposal instead
        "abonneren",  # 0.62 against wanneer
        "kob",
        "ivb",
        "mijn",
        "status",
        "vergadering",
        "deadline",
        "hoi",
        "",
    ],
)
def test_suggest_verb_does_not_guess(word: str) -> None:
    """Overleg keys, other words and short words that merely look alike get no suggestion."""
    assert suggest_verb(word, VERBS) is None


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("ivv", "ivb"),
        ("ibv", "ivb"),  # two letters swapped
        ("vib", "ivb"),
        ("ivbs", "ivb"),
        ("kbo", "kob"),
        ("kop", "kob"),  # one letter wrong, same first letter: accepted as a likely typo
        ("KOB", "kob"),  # already a key
        ("de KOB", "kob"),
        ("veiligheidsbraad", "ivb"),
        ("3 nord", "3noord"),
        ("noord", "3noord"),
        ("jaarkalendr", "jaarkalender"),
        ("groninger agnda", "groningeragenda"),
        ("secretaris", "groningeragenda"),
    ],
)
def test_suggest_overleg(word: str, key: str, overleg_names: Names) -> None:
    """A mistyped key (one typo), name or alias (difflib ratio 0.85 or more) suggests the overleg."""
    assert suggest_overleg(word, overleg_names) == key


@pytest.mark.parametrize(
    "word",
    [
        "job",  # one letter from kob, but not the first letter
        "bob",
        "ov",  # too short to guess
        "ivx2",
        "mijn",
        "open",
        "alle",
        "week",
        "kalender",  # 0.80 against jaarkalender: below the overleg cutoff
        "agenda",
        "hennep",
        "overleg",
        "bestuur",
        "integraal",
        "tafel",
    ],
)
def test_suggest_overleg_does_not_guess(word: str, overleg_names: Names) -> None:
    """Short keys make difflib eager: these near misses and name fragments get no suggestion."""
    assert suggest_overleg(word, overleg_names) is None


def test_long_words_are_not_compared(overleg_names: Names) -> None:
    """A pasted text is no typo: 40,000 characters get no suggestion, and at once."""
    started = time.perf_counter()
    assert suggest_verb("volgende" * 5_000, VERBS) is None
    assert suggest_overleg("ivb" * 13_334, overleg_names) is None
    assert time.perf_counter() - started < 1.0
