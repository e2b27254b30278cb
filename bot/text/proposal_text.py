"""Reading a proposal typed in one go: `agendapunt kob: Titel` in a chat, `kob: Titel` after `/ivb voorstel`.

The part before a colon is an overleg only when it names a known overleg; otherwise the colon
belongs to the title (`Hennep: stand van zaken`), so a title is never refused for its colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.words import OverlegNames, overleg_named

# `agendapunt`, `agenda punt`, `agenda-punt`, `agendpunt`, `agendapnt`, `agendavoorstel`,
# `agenda item`, `agenda point`: the word that marks a message as a proposal, at its start.
_HEAD = re.compile(r"agend(?:a)?[ \t-]?(?:punt|pnt|voorstel|item|point)\b", re.IGNORECASE)
# An overleg named before the title has at most this many words (`secretarissenoverleg groninger agenda`).
_MAX_OVERLEG_WORDS = 5
_HEAD_CHARS = 80
_FIRST_WORDS = re.compile(r"\S+")
_SEPARATORS = " \t:;,-–—"


@dataclass(frozen=True)
class DirectProposal:
    """A proposal typed in one message: the overleg key if one was named, the title, the explanation."""

    overleg: str | None
    title: str
    explanation: str
    confidential: bool = False


# `agendapunt vertrouwelijk: …`, `/ivb voorstel kob vertrouwelijk: …`: only the proposer and the
# secretariaat see the item.
CONFIDENTIAL_WORDS = frozenset({"vertrouwelijk", "confidential"})


def strip_confidential(text: str) -> tuple[str, bool]:
    """`kob vertrouwelijk: Titel` -> ("kob: Titel", True); `vertrouwelijk: Titel` -> ("Titel", True).

    Only the words before the first colon on the first line count: a title may say "vertrouwelijk"."""
    head, colon, rest = text.partition(":")
    if not colon or "\n" in head or len(head) > _HEAD_CHARS:
        return text, False
    words = head.split()
    kept = [word for word in words if word.casefold() not in CONFIDENTIAL_WORDS]
    if len(kept) == len(words):
        return text, False
    return (f"{' '.join(kept)}:{rest}" if kept else rest.strip()), True


def read_direct_proposal(text: str, *, overleg_names: OverlegNames) -> DirectProposal | None:
    """`agendapunt [overleg]: titel` with further lines as explanation; None for anything else.

    The colon must be on the first line. With nothing after it, the next line is the title.
    """
    stripped = text.lstrip()
    match = _HEAD.match(stripped)
    if match is None:
        return None
    first_line, _, more = stripped[match.end() :].partition("\n")
    between, colon, after = first_line.partition(":")
    if not colon or len(between) > _HEAD_CHARS:
        return None
    kept = [word for word in between.split() if word.casefold() not in CONFIDENTIAL_WORDS]
    confidential = len(kept) != len(between.split())
    between = " ".join(kept)
    if between.strip():
        overleg, title = split_proposal_text(f"{between.strip()}:{after}", overleg_names=overleg_names)
    else:  # `agendapunt: kob: Titel` names the overleg after the colon; `agendapunt: OOV-tafel` does not
        overleg, title = _split_named_head(after.strip(), overleg_names) or (None, after.strip())
    explanation = more.strip()
    if not title:
        title, _, explanation = explanation.partition("\n")
        title, explanation = title.strip(), explanation.strip()
    return DirectProposal(overleg=overleg, title=title, explanation=explanation, confidential=confidential)


def split_proposal_text(text: str, *, overleg_names: OverlegNames) -> tuple[str | None, str]:
    """`kob: Titel`, `voor de KOB: Titel` or `kob Titel` -> ("kob", "Titel"); else (None, the text).

    An overleg is read only from a known key, name or alias: `Hennep: stand van zaken` stays a title.
    """
    stripped = text.strip()
    return _split_named_head(stripped, overleg_names) or _split_leading_overleg(stripped, overleg_names)


def _split_named_head(text: str, overleg_names: OverlegNames) -> tuple[str, str] | None:
    """`voor de KOB: Titel` -> ("kob", "Titel"); None when the part before the colon names no overleg."""
    head, colon, rest = text.partition(":")
    if not colon or "\n" in head or len(head) > _HEAD_CHARS:
        return None
    key = overleg_named(head, overleg_names)
    return None if key is None else (key, rest.strip())


def _split_leading_overleg(text: str, overleg_names: OverlegNames) -> tuple[str | None, str]:
    """`kob Weerbaar bestuur`, `tafel kob Weerbaar bestuur` -> ("kob", "Weerbaar bestuur")."""
    # Only the first few words are looked at, so a pasted essay costs nothing.
    words = list(_FIRST_WORDS.finditer(text[: _HEAD_CHARS * 2]))[:_MAX_OVERLEG_WORDS]
    for count in range(len(words), 0, -1):
        end = words[count - 1].end()
        key = overleg_named(text[:end], overleg_names)
        if key is not None:
            return key, text[end:].lstrip(_SEPARATORS).strip()
    return None, text
