"""Parsing of `/ivb` text: a verb (Dutch or English) and the rest."""

from __future__ import annotations

from dataclasses import dataclass

# Every word a user may type, mapped to the verb the handlers know.
VERBS = {
    "volgende": "volgende",
    "next": "volgende",
    "wanneer": "volgende",
    "agenda": "agenda",
    "voorstel": "voorstel",
    "voorstellen": "voorstel",
    "propose": "voorstel",
    "proposal": "voorstel",
    "open": "open",
    "openstaand": "open",
    "kalender": "kalender",
    "calendar": "kalender",
    "actie": "actie",
    "actiepunt": "actie",
    "action": "actie",
    "help": "help",
    "hulp": "help",
    "?": "help",
}


@dataclass(frozen=True)
class ParsedCommand:
    verb: str  # a value of VERBS, "" for empty input, "?" for an unknown word
    rest: str
    word: str  # what the user typed as the verb


def parse_command(text: str) -> ParsedCommand:
    """Split `/ivb` text into its verb and the rest; NUL and surrounding space are dropped."""
    cleaned = text.replace("\x00", "").strip()
    if not cleaned:
        return ParsedCommand("", "", "")
    word, _, rest = cleaned.partition(" ")
    verb = VERBS.get(word.lower().rstrip(":"), "?")
    return ParsedCommand(verb, rest.strip(), word)
