"""Topics that came back in several overleggen: agenda titles matched fuzzily across overleggen.

"Hennepconvenant" in the IVB and "Hennepconvenant Groningen: stand van zaken" at the 3-Noord
tafel are one topic. Titles are compared after normalising: lower case, no accents, no
punctuation, no numbers (so "2023-2026" does not split a topic), and without general words that
say how an item is treated or where ("stand van zaken", "update", "Groningen") rather than what
it is about. Two titles match when

- the shorter one's words all occur in the longer (rapidfuzz's token set ratio), or the two are
  nearly the same letters (a typo, "Cyber veiligheid" / "Cyberveiligheid"), at `THRESHOLD`; and
- the shorter one still has at least `MIN_TOPIC_LETTERS` letters: "Begroting" or "Rondvraag"
  alone would tie together half the agendas of the year.

The threshold and the word list are pinned by `tests/bot/records/test_topics.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

THRESHOLD = 90
MIN_TOPIC_LETTERS = 10
_FUNCTION_WORDS = (
    "de het een en of van voor in op met aan over bij naar door om te tot uit als na per ter der den"
)
# how an item is treated, not what it is about
_TREATMENT_WORDS = (
    "stand zaken stavaza update terugkoppeling bespreking presentatie toelichting mededelingen rondvraag "
    "voortgang actualiteit actualiteiten informatie verslag vaststellen concept agenda notulen overig "
    "overige evaluatie aanpak project"
)
# where: every title here is about Groningen
_PLACE_WORDS = "groningen groninger provincie regio gemeente gemeenten vgg"
GENERAL_WORDS = frozenset(f"{_FUNCTION_WORDS} {_TREATMENT_WORDS} {_PLACE_WORDS}".split())


@dataclass(frozen=True)
class TopicMention:
    """One agenda title on one day in one overleg."""

    overleg_name: str
    day: date
    title: str


@dataclass(frozen=True)
class RecurringTopic:
    """A topic (named by its shortest title) and where it came up, in date order."""

    title: str
    mentions: tuple[TopicMention, ...]

    @property
    def overleg_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(mention.overleg_name for mention in self.mentions))


def normalise_title(title: str) -> str:
    """The words that carry the topic: "Hennepconvenant Groningen: stand van zaken" → "hennepconvenant"."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[\W_]+", " ", plain).split()
    return " ".join(word for word in words if word not in GENERAL_WORDS and not word.isdigit())


def titles_match(first: str, second: str) -> bool:
    """True when two normalised titles name the same topic (see the module's rules)."""
    shorter = min(first, second, key=len)
    if len(shorter.replace(" ", "")) < MIN_TOPIC_LETTERS:
        return False
    if fuzz.token_set_ratio(first, second) >= THRESHOLD:
        return True
    return fuzz.ratio(first.replace(" ", ""), second.replace(" ", "")) >= THRESHOLD


def _groups(keys: list[str]) -> list[list[int]]:
    """Indexes of `keys` grouped by matching (transitively), via union-find."""
    parent = list(range(len(keys)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            if root(i) != root(j) and titles_match(keys[i], keys[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for index in range(len(keys)):
        groups.setdefault(root(index), []).append(index)
    return list(groups.values())


def recurring_topics(mentions: Sequence[TopicMention]) -> tuple[RecurringTopic, ...]:
    """The topics that came up in more than one overleg, most widespread first, then by name."""
    keys = sorted({normalise_title(mention.title) for mention in mentions} - {""})
    topics = []
    for group in _groups(keys):
        group_keys = {keys[index] for index in group}
        found = sorted(
            (mention for mention in mentions if normalise_title(mention.title) in group_keys),
            key=lambda mention: (mention.day, mention.overleg_name, mention.title),
        )
        topic = RecurringTopic(
            title=min((mention.title for mention in found), key=lambda title: (len(title), title)),
            mentions=tuple(found),
        )
        if len(topic.overleg_names) > 1:
            topics.append(topic)
    return tuple(sorted(topics, key=lambda topic: (-len(topic.overleg_names), topic.title.casefold())))
