"""What someone asks the bot in their own words: Dutch (and English) intent rules, no language model.

`read_intent` reads a DM, a mention or what follows `/ivb`; the caller answers as the matching
command would. The rules work on plain words (`bot.text.words`), so case, accents, punctuation and
a missing question mark do not matter; common typos are spelled out in the patterns below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from bot.text.proposal_text import DirectProposal, read_direct_proposal
from bot.text.words import OverlegNames, find_overlegs, plain_words

IntentKind = Literal[
    "next_meeting", "agenda", "open", "calendar", "help", "greeting", "thanks",
    "propose", "direct_proposal", "unknown",
]  # fmt: skip

# A question for the bot is short; longer text is an explanation someone pasted.
MAX_QUESTION_CHARS: Final = 300

# The `/ivb` verb that gives the answer for each kind.
COMMAND_FOR_KIND: Final[dict[IntentKind, str]] = {
    "next_meeting": "volgende",
    "agenda": "agenda",
    "open": "open",
    "calendar": "kalender",
    "help": "help",
    "propose": "voorstel",
}


@dataclass(frozen=True)
class Intent:
    """What a message asks. `overleg` is a key; `asks_deadline` makes the answer lead with the deadline."""

    kind: IntentKind
    overleg: str | None = None
    mine: bool = False
    asks_deadline: bool = False
    proposal: DirectProposal | None = None


# Word lists (plain words: lower case, no accents).
_MINE = frozenset({"mijn", "mn", "mien", "my", "mine"})
# Said with a question about open items, these make it about the asker's own items too.
_ME = frozenset({"ik", "i", "me", "mij"})
_FILLER = frozenset(
    {"de", "het", "t", "een", "van", "voor", "bij", "the", "for", "of", "a", "an", "please", "pls",
     "graag", "aub", "svp", "even", "eens", "nog", "dan", "nu", "nou", "eh", "ehm", "s", "vgg",
     "vggbot", "bot"}
)  # fmt: skip
_COMMAND_WORDS: Final[dict[str, IntentKind]] = {
    **dict.fromkeys(("volgende", "volgnde", "vlgende", "next", "wanneer", "when"), "next_meeting"),
    **dict.fromkeys(("agenda", "agnda", "agneda"), "agenda"),
    **dict.fromkeys(
        ("voorstel", "voorstellen", "propose", "proposal", "agenderen", "agendapunt", "agendavoorstel"),
        "propose",
    ),
    **dict.fromkeys(("open", "openstaand", "openstaande", "pending"), "open"),
    **dict.fromkeys(("kalender", "kalnder", "calendar", "calender", "planning"), "calendar"),
    **dict.fromkeys(("help", "hulp", "uitleg", "commandos"), "help"),
}
_GREETINGS = frozenset(
    {"hoi", "hoii", "hooi", "hallo", "hello", "hai", "hey", "hee", "hi", "hii", "heey", "hoihoi",
     "goedemorgen", "goedemiddag", "goedenavond", "goeiemorgen", "goeiemiddag", "goeienavond",
     "goedendag", "morgen", "middag", "moi", "moin", "mojn", "goidag", "gounmorn", "morn", "dag",
     "daag", "yo", "good", "morning", "afternoon", "evening", "hiya", "howdy"}
)  # fmt: skip
_THANKS = frozenset(
    {"bedankt", "dank", "danku", "dankje", "dankjewel", "dankjwel", "dankuwel", "thanks", "thank",
     "thx", "tnx", "thnx", "merci", "cheers"}
)  # fmt: skip
_GREETING_FILLER = frozenset({"allemaal", "iedereen", "daar", "there", "all", "bot", "vggbot", "vgg", "ha"})
_THANKS_FILLER = _GREETING_FILLER | frozenset(
    {"je", "jij", "u", "wel", "you", "very", "much", "so", "zeer", "hartelijk", "heel", "hartstikke",
     "erg", "super", "top", "veel", "voor", "de", "het", "info", "informatie", "hulp", "help",
     "antwoord", "alvast", "weer", "for", "the", "a", "lot", "ok", "oke", "prima", "mooi", "fijn"}
)  # fmt: skip

# Patterns on the plain words joined by single spaces: only [a-z0-9 ], bounded repeats.
_WHEN = r"(?:wa?n{1,2}e{1,3}r|when|hoe laat|welke (?:dag|datum)|what (?:time|day|date))"
_NEXT = r"(?:eerst ?vo?lge?nde?|vo?lge?nde?|next|nxt|komende|aanstaande|eerstkomende|upcoming)"
_MEETING = r"(?:vergadering|vergadert|vergaderen|vergader|overleg|meeting|meet|bijeenkomst|zitting|beraad)"
_MEETINGS = r"(?:vergaderingen|overleggen|meetings|bijeenkomsten|zittingen|vergaderdata|data|datums|dates)"
_AGENDA = r"(?:agenda|agnda|agneda)"
_SUBMIT_NL = r"(?:aanleveren|inleveren|insturen|indienen|opsturen|aanmelden|inbrengen|agenderen|voorstellen)"
_PUT = r"(?:zetten|plaatsen|krijgen|brengen|toevoegen|erbij|hebben)"
_ITEM = r"(?:agenda ?punt|agendpunt|agendavoorstel|agenda ?item|voorstel|onderwerp|punt|item|topic)"


def _rule(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b(?:{p})\b" for p in patterns))


_DEADLINE = _rule(
    r"deadlines?|dedline|deadlien|sluitingsdatum|inleverdatum|uiterlijk",
    rf"tot {_WHEN}",
    rf"{_WHEN} (?:moet|mot|moeten|uiterlijk)",
    r"hoe laat (?:moet|mot)",
    rf"{_WHEN} (?:\w+ ){{0,5}}?{_SUBMIT_NL}",
    r"(?:kan|kun|mag) (?:ik|je|we) (?:er )?nog",
    r"hoe ?lang (?:\w+ ){0,3}?nog|hoeveel tijd|how (?:long|much time)",
    rf"(?:plek|ruimte|plaats) (?:\w+ ){{0,2}}?op de {_AGENDA}",
    r"until when|by when|due date|cut ?off|last (?:day|moment|chance)|can (?:i|we) still",
    r"when (?:do|should|must|can) (?:i|we) (?:\w+ ){0,3}?(?:submit|send|propose)",
)
_PROPOSE = _rule(
    r"agendeer|agenderen|agendeert",
    rf"(?:op|aan) de {_AGENDA} (?:\w+ ){{0,2}}?{_PUT}",
    rf"(?:zet|zetten|plaats|plaatsen|breng|brengen|krijg|krijgen|voeg|toevoegen) (?:\w+ ){{0,6}}?"
    rf"(?:op|aan) de {_AGENDA}",
    rf"{_ITEM}\w* (?:\w+ ){{0,4}}?(?:{_SUBMIT_NL}|toevoegen|aandragen|doen)",
    rf"(?:wil|wilde|zou|graag) (?:\w+ ){{0,3}}?(?:{_SUBMIT_NL}|aandragen)",
    rf"(?:wil|wilde|zou|graag|want|like) (?:\w+ ){{0,4}}?(?:op|on|to) (?:de|the) {_AGENDA}",
    rf"(?:ik heb|heb ik|i have|i ve got|nieuw|nieuwe|new) (?:\w+ ){{0,3}}?{_ITEM}",
    rf"(?:{_ITEM}|iets|something) (?:\w+ ){{0,2}}?(?:voor|for|on|to) (?:de|the) {_AGENDA}",
    r"(?:add|put|submit|propose|raise|suggest) (?:\w+ ){0,4}?(?:agenda|item|topic|point)",
)
_OPEN = _rule(
    r"openstaand\w*|open ?staan|open ?staat|nog niet behandeld|in behandeling|pending|outstanding",
    r"(?:nog|still|staat|staan|zijn|is|are) (?:er )?(?:nog )?open",
    r"open (?:punten|items|voorstellen|actiepunten|acties|zaken)|actiepunt\w*|actie punten",
    r"action ?(?:points|items)",
    r"(?:mijn|mn|mien|my) (?:\w+ ){0,2}?"
    r"(?:voorstel\w*|agendapunt\w*|punten|punt|items?|proposals?|acties|tasks)",
    r"wat heb (?:ik|we) (?:\w+ ){0,3}?(?:ingediend|voorgesteld|aangeleverd)|what did i (?:submit|propose)",
)
_AGENDA_RULE = _rule(
    rf"{_AGENDA}|agendas|agendapunten|geagendeerd|bespreekpunten",
    r"(?:wat|what|welke|which) (?:\w+ ){0,4}?(?:aan bod|besproken|behandeld|discussed)",
)
_CALENDAR = _rule(
    r"kalender|kalnder|calendar|calender|planning|jaarplanning|vergaderschema|schedule|rooster",
    rf"(?:welke|which|what|wat zijn|wanneer zijn|when are|alle|all|overzicht|{_NEXT})"
    rf" (?:\w+ ){{0,2}}?{_MEETINGS}",
    rf"{_MEETINGS} (?:\w+ ){{0,3}}?(?:eraan|gepland|ingepland)",
    r"(?:komen|komt|staat|staan) (?:er )?(?:\w+ ){0,2}?(?:aan|eraan|gepland|ingepland)|coming up",
)
_NEXT_MEETING = _rule(
    rf"{_WHEN} (?:\w+ ){{0,4}}?(?:{_NEXT}|{_MEETING}|weer|again)",
    rf"{_NEXT} (?:\w+ ){{0,2}}?{_MEETING}",
)
_HELP = _rule(
    r"help|hulp|helpen|uitleg|handleiding|instructies?|commandos?|manual",
    r"wat (?:kan|kun|kunnen|doe|doet) (?:je|jij|u|jullie|ik|de bot|deze bot)",
    r"hoe (?:werkt|gebruik)|how (?:does|do) (?:this|it|you|i) (?:work|use)",
    r"what (?:can|do) you do|wie ben (?:je|jij)|who are you|wat ben (?:je|jij)",
)
_ONLY_PUNCTUATION = re.compile(r"[\s?!.¿]*")
_ABOUT_A_MEETING = _rule(_WHEN, _NEXT, _MEETING)
# Checked in this order: the first that matches decides (a deadline question names the meeting too).
_RULES: Final[tuple[tuple[IntentKind, re.Pattern[str]], ...]] = (
    ("propose", _PROPOSE),
    ("open", _OPEN),
    ("agenda", _AGENDA_RULE),
    ("calendar", _CALENDAR),
    ("next_meeting", _NEXT_MEETING),
)


def read_intent(text: str, *, overleg_names: OverlegNames) -> Intent:
    """What `text` asks: a DM, a mention (mention removed) or the text after `/ivb`.

    `overleg_names` maps each overleg key to its names and aliases; the overleg is the first one
    named anywhere in the text. Text longer than a question is "unknown" unless it is a proposal.
    """
    stripped = text.strip()
    if stripped[:4].lower() == "/ivb":
        stripped = stripped[4:].strip()
    proposal = read_direct_proposal(stripped, overleg_names=overleg_names)
    if proposal is not None:
        return Intent("direct_proposal", overleg=proposal.overleg, proposal=proposal)
    if len(stripped) > MAX_QUESTION_CHARS:
        return Intent("unknown")
    if "?" in stripped and _ONLY_PUNCTUATION.fullmatch(stripped):
        return Intent("help")
    overleg, words = find_overlegs(plain_words(stripped), overleg_names)
    kind, asks_deadline = _kind(words, overleg_named=overleg is not None)
    mine = bool(_MINE.intersection(words)) or (kind == "open" and bool(_ME.intersection(words)))
    return Intent(kind, overleg=overleg, mine=mine, asks_deadline=asks_deadline)


def _kind(words: list[str], *, overleg_named: bool) -> tuple[IntentKind, bool]:
    """The kind of question in `words` (overleg names already taken out), and whether it asks the deadline."""
    said = " ".join(words)
    content = [w for w in words if w not in _FILLER and w not in _MINE]
    if len(content) == 1 and content[0] in _COMMAND_WORDS:
        command = _COMMAND_WORDS[content[0]]
        # "mijn voorstellen" asks for my proposals, it does not propose
        return ("open" if command == "propose" and _MINE.intersection(words) else command), False
    if _DEADLINE.search(said):
        return "next_meeting", True
    for kind, rule in _RULES:
        if rule.search(said):
            return kind, False
    if overleg_named and _ABOUT_A_MEETING.search(said):
        return "next_meeting", False
    social = _social(words)
    if social is not None:
        return social, False
    if _HELP.search(said):
        return "help", False
    if overleg_named and not content:
        return "next_meeting", False
    return "unknown", False


def _social(words: list[str]) -> IntentKind | None:
    """Greeting for `hoi`, `goedemorgen allemaal`; thanks for `bedankt voor de hulp!`; else None."""
    said = set(words)
    if not said or len(words) > 8:
        return None
    if said & _THANKS and said <= _THANKS | _GREETINGS | _THANKS_FILLER:
        return "thanks"
    if said & _GREETINGS and said <= _GREETINGS | _GREETING_FILLER:
        return "greeting"
    return None
