"""Proposals typed in one go: `agendapunt [overleg]: titel` in a chat, `[overleg:] titel` after `voorstel`."""

from __future__ import annotations

import time

import pytest

from bot.text.proposal_text import DirectProposal, read_direct_proposal, split_proposal_text

Names = dict[str, tuple[str, ...]]


@pytest.mark.parametrize(
    ("text", "overleg", "title", "explanation"),
    [
        ("agendapunt: Drugsoverlast Veendam", None, "Drugsoverlast Veendam", ""),
        ("Agendapunt kob: Weerbaar bestuur", "kob", "Weerbaar bestuur", ""),
        ("agenda punt: Cameratoezicht", None, "Cameratoezicht", ""),
        ("agenda-punt: Cameratoezicht", None, "Cameratoezicht", ""),
        ("agendpunt: Cameratoezicht", None, "Cameratoezicht", ""),
        ("agendapunt voor de KOB: ondermijning", "kob", "ondermijning", ""),
        ("agendavoorstel: Evenementen\nDe vergunningen.\nEn de handhaving.", None, "Evenementen",
         "De vergunningen.\nEn de handhaving."),
        ("agenda item: Crowd control", None, "Crowd control", ""),
        ("Agenda item for the IVB: Crowd control", "ivb", "Crowd control", ""),
        ("  Agendapunt 3-Noord: Grensregio", "3noord", "Grensregio", ""),
        ("Agendapunt Hennep: stand van zaken", None, "Hennep: stand van zaken", ""),
        ("agendapunt: Hennep: stand van zaken", None, "Hennep: stand van zaken", ""),
        ("agendapunt: kob: Weerbaar bestuur", "kob", "Weerbaar bestuur", ""),
        ("agendapunt kob:\nWeerbaar bestuur\nToelichting", "kob", "Weerbaar bestuur", "Toelichting"),
        ("agendapunt:", None, "", ""),
    ],
)  # fmt: skip
def test_read_direct_proposal(
    text: str, overleg: str | None, title: str, explanation: str, overleg_names: Names
) -> None:
    """Spelling variants are read; the part before the colon is an overleg only when it names one."""
    expected = DirectProposal(overleg, title, explanation)
    assert read_direct_proposal(text, overleg_names=overleg_names) == expected


@pytest.mark.parametrize(
    "text",
    [
        "agendapunt indienen",
        "agendapunten van de kob?",
        "Wat is een agendapunt: kun je dat uitleggen?",
        "agendapunt\nkob: Weerbaar bestuur",
        "Drugsoverlast Veendam",
        "agendapunt " + "x" * 100 + ": titel",
    ],
)
def test_read_direct_proposal_ignores_other_text(text: str, overleg_names: Names) -> None:
    """Without the word at the start and a colon on its first line, a message is no direct proposal."""
    assert read_direct_proposal(text, overleg_names=overleg_names) is None


@pytest.mark.parametrize(
    ("text", "overleg", "title"),
    [
        ("kob: Weerbaar bestuur", "kob", "Weerbaar bestuur"),
        ("kob Weerbaar bestuur", "kob", "Weerbaar bestuur"),
        ("KOB, Weerbaar bestuur", "kob", "Weerbaar bestuur"),
        ("Hennep: stand van zaken convenant", None, "Hennep: stand van zaken convenant"),
        ("tafel kob: Weerbaar bestuur", "kob", "Weerbaar bestuur"),
        ("tafel kob Weerbaar bestuur", "kob", "Weerbaar bestuur"),
        ("voor de KOB: ondermijning", "kob", "ondermijning"),
        ("Bestuurlijke tafel KOB - ondermijning", "kob", "ondermijning"),
        ("3-Noord: grensregio", "3noord", "grensregio"),
        ("drie noord grensregio", "3noord", "grensregio"),
        ("kob Hennep: stand van zaken", "kob", "Hennep: stand van zaken"),
        ("Weerbaar bestuur voor de KOB", None, "Weerbaar bestuur voor de KOB"),
        ("Drugsoverlast Veendam", None, "Drugsoverlast Veendam"),
        ("kob", "kob", ""),
        ("  ", None, ""),
    ],
)
def test_split_proposal_text(text: str, overleg: str | None, title: str, overleg_names: Names) -> None:
    """`/ivb voorstel` reads a leading overleg, with or without colon, only when it is a known one."""
    assert split_proposal_text(text, overleg_names=overleg_names) == (overleg, title)


def test_split_proposal_text_reads_a_leading_alias_as_the_overleg(overleg_names: Names) -> None:
    """The price of `kob Titel` without colon: a title that starts with an alias loses that word to it."""
    assert split_proposal_text("OOV capaciteit", overleg_names=overleg_names) == ("ivb", "capaciteit")


def test_long_input_is_read_quickly(overleg_names: Names) -> None:
    """40,000 characters without the shapes looked for are answered at once, not backtracked over."""
    started = time.perf_counter()
    assert read_direct_proposal("agendapunt " + "kob " * 10_000, overleg_names=overleg_names) is None
    assert split_proposal_text("kob " * 10_000, overleg_names=overleg_names)[0] == "kob"
    assert split_proposal_text("x" * 40_000 + ": titel", overleg_names=overleg_names)[0] is None
    assert read_direct_proposal(" " * 40_000 + "agendapunt", overleg_names=overleg_names) is None
    assert time.perf_counter() - started < 1.0
