"""Reading `/ivb` text: the verb (Dutch or English) and the rest."""

import pytest

from handlers.ivb import parse


@pytest.mark.parametrize(
    ("text", "verb", "rest"),
    [
        ("volgende", "volgende", ""),
        ("next kob", "volgende", "kob"),
        ("  Volgende   3-Noord ", "volgende", "3-Noord"),
        ("calendar", "kalender", ""),
        ("HELP", "help", ""),
        ("", "", ""),
        ("foo bar", "?", "bar"),
        ("voorstel kob: Hennepconvenant", "voorstel", "kob: Hennepconvenant"),
        ("volg\x00ende", "volgende", ""),
        ("kalender abonneren", "kalender abonneren", "abonneren"),
        ("calendar Unsubscribe", "kalender intrekken", "Unsubscribe"),
        ("kalender kob", "kalender", "kob"),
    ],
)
def test_parse(text: str, verb: str, rest: str) -> None:
    """Dutch and English verbs map to one verb; case, spacing and NUL do not matter; the feed's words
    after `kalender` are verbs of their own."""
    assert parse(text)[:2] == (verb, rest)
