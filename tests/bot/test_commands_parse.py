import pytest

from bot.commands import parse_command


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
    ],
)
def test_parse_command(text: str, verb: str, rest: str) -> None:
    """Dutch and English verbs map to one verb; case, spacing and NUL do not matter."""
    parsed = parse_command(text)
    assert (parsed.verb, parsed.rest) == (verb, rest)
