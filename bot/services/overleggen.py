"""Which overleg a word means: the one matcher and resolver every surface uses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.services.errors import Refused
from bot.text.dutch import normalise
from storage.queries import meetings as queries
from storage.queries.rows import OverlegRow

DEFAULT_OVERLEG = "ivb"


def names_of(overleg: OverlegRow) -> set[str]:
    """The normalised key, name and aliases an overleg is known by."""
    names = (overleg.key, overleg.name, *overleg.aliases)
    return {normalised for normalised in map(normalise, names) if normalised}


def match_overleg(overleggen: Sequence[OverlegRow], text: str) -> OverlegRow | None:
    """The overleg whose key, name or alias is `text` (case, accents and spacing ignored)."""
    wanted = normalise(text)
    if not wanted:
        return None
    return next((o for o in overleggen if wanted in names_of(o)), None)


def shown_word(text: str, limit: int = 60) -> str:
    """A typed word to show back: without the characters that make mrkdwn links, mentions or markup."""
    return re.sub(r"[<>&`*_~]", "", " ".join(text.split())[:limit])


def unknown_overleg(text: str, overleggen: Sequence[OverlegRow]) -> Refused:
    keys = ", ".join(f"`{o.key}`" for o in overleggen)
    return Refused(f"Ik ken geen overleg `{shown_word(text)}`. Kies uit: {keys}.", field="overleg")


def resolve_overleg(overleggen: Sequence[OverlegRow], text: str | None) -> OverlegRow:
    """The overleg `text` names; the IVB when nothing is named; Refused for an unknown word."""
    wanted = (text or "").strip() or DEFAULT_OVERLEG
    overleg = match_overleg(overleggen, wanted)
    if overleg is None:
        raise unknown_overleg(wanted, overleggen)
    return overleg


def read_overleggen(*, session: Session) -> list[OverlegRow]:
    """All overleggen, in menu order."""
    return queries.overleggen(session=session)


def read_overleg(*, session: Session, text: str | None) -> OverlegRow:
    """The overleg `text` names (the IVB when empty); Refused for an unknown word."""
    return resolve_overleg(queries.overleggen(session=session), text)


def overleg_names(overleggen: Sequence[OverlegRow]) -> dict[str, tuple[str, ...]]:
    """Each overleg's key with its name and aliases: what the text readers (`bot.text`) match."""
    return {o.key: (o.name.lower(), *o.aliases) for o in overleggen}


def channel_overleg(overleggen: Sequence[OverlegRow], channel_id: str) -> OverlegRow | None:
    """The overleg whose own channel (OVERLEG_CHANNELS) this is; None elsewhere."""
    if not channel_id:
        return None
    return next((o for o in overleggen if o.channel_id == channel_id), None)
