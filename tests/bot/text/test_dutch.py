from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.text.dutch import (
    days_phrase,
    dutch_date,
    dutch_datetime,
    dutch_day,
    dutch_month,
    list_date,
    list_datetime,
    number,
    plural,
    relative_day,
)
from bot.text.slack import escape_mrkdwn, plain_text_from_slack, without_mentions

AMS = ZoneInfo("Europe/Amsterdam")


def test_dutch_datetime_matches_the_house_format() -> None:
    """Dates read the Dutch way: weekday, day, month, year, 24-hour time."""
    assert dutch_datetime(datetime(2023, 3, 20, 8, 30, tzinfo=UTC), AMS) == "maandag 20 maart 2023, 09:30"


def test_summer_time_is_shown_in_local_time() -> None:
    """A UTC moment in summer is shown two hours later (CEST), in winter one hour (CET)."""
    assert dutch_datetime(datetime(2023, 6, 26, 7, 30, tzinfo=UTC), AMS) == "maandag 26 juni 2023, 09:30"
    assert dutch_datetime(datetime(2023, 11, 13, 8, 30, tzinfo=UTC), AMS) == "maandag 13 november 2023, 09:30"


def test_dates_and_months_in_dutch() -> None:
    """Plain dates and month headings use Dutch names."""
    assert dutch_date(date(2023, 10, 3)) == "dinsdag 3 oktober 2023"
    assert dutch_month(datetime(2023, 5, 1, tzinfo=UTC), AMS) == "mei 2023"


def test_escape_mrkdwn_neutralises_channel_pings_and_links() -> None:
    """User text cannot ping a channel or link anywhere; a stored person (`<@U…>`, an id) is shown by
    Slack as their current name."""
    assert escape_mrkdwn("<!channel> & <https://evil.example|klik> <@U0JAN00001>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|klik&gt; <@U0JAN00001>"
    )
    assert escape_mrkdwn("<@u0jan|piet> <@U0JAN00001|piet>") == "&lt;@u0jan|piet&gt; &lt;@U0JAN00001|piet&gt;"


def test_stored_text_keeps_ids_not_usernames_and_no_lone_surrogates() -> None:
    """`<@U…|priv.persoon>` is stored as `<@U…>`: privacy export finds the id, no username is kept; half
    a surrogate pair (which cannot be encoded) becomes U+FFFD."""
    assert plain_text_from_slack("Nota aan <@U0PRIV1|priv.persoon>") == "Nota aan <@U0PRIV1>"
    assert "priv.persoon" not in plain_text_from_slack("<@U0PRIV1|priv.persoon>")
    assert plain_text_from_slack("a\ud800b\x00") == "a\ufffdb"
    assert without_mentions("<@U0BOT00001> agendapunt: Nota aan <@U0JAN00001|jan>") == (
        "agendapunt: Nota aan <@U0JAN00001>"
    )


def test_days_phrase() -> None:
    """Relative days read naturally in Dutch."""
    assert [days_phrase(d) for d in (0, 1, -1, 5, -3)] == [
        "vandaag",
        "morgen",
        "gisteren",
        "over 5 dagen",
        "3 dagen geleden",
    ]


def test_slack_encoded_text_becomes_what_the_user_typed() -> None:
    """Entities, mentions, channels and links from Slack become plain text, so nothing is escaped twice."""
    assert (
        plain_text_from_slack("Jaarwisseling &amp; vuurwerk &lt;concept&gt;")
        == "Jaarwisseling & vuurwerk <concept>"
    )
    assert plain_text_from_slack("met <@U123|piet> in <#C9|oov> <!here>") == "met <@U123> in #oov @here"
    assert plain_text_from_slack("zie <https://vgg.nl/a?b=1&amp;c=2|de notitie>") == (
        "zie de notitie (https://vgg.nl/a?b=1&c=2)"
    )
    assert plain_text_from_slack("<https://vgg.nl>") == "https://vgg.nl"


def test_list_dates_leave_out_this_year() -> None:
    """In lists a date of this year has no year; another year's has."""
    today = date(2026, 11, 30)
    assert list_date(date(2026, 12, 3), today) == "do 3 dec"
    assert list_date(date(2027, 3, 22), today) == "ma 22 mrt 2027"
    assert list_datetime(datetime(2026, 12, 3, 13, 0, tzinfo=UTC), today, AMS) == "do 3 dec 14:00"


def test_relative_day_only_where_it_helps() -> None:
    """`vandaag`, `morgen`, `over 3 dagen`, `gisteren` within two weeks; further away nothing."""
    today = date(2026, 11, 30)
    assert [relative_day(date(2026, 11, 30) + timedelta(days=d), today) for d in (0, 1, 3, -1, 15)] == [
        "vandaag",
        "morgen",
        "over 3 dagen",
        "gisteren",
        "",
    ]


def test_numbers_have_dutch_thousands_separators() -> None:
    """4892 reads 4.892, in counts too."""
    assert number(4892) == "4.892"
    assert plural(4892, "voorstel", "voorstellen") == "4.892 voorstellen"
    assert plural(1, "voorstel", "voorstellen") == "1 voorstel"


def test_a_day_in_a_sentence() -> None:
    """`20 maart` for notifications."""
    assert dutch_day(datetime(2023, 3, 20, 8, 30, tzinfo=UTC), AMS) == "20 maart"


def test_normalise_keeps_no_long_texts_in_memory() -> None:
    """Whole DM texts are never cached: 1,200 texts of 40,000 characters leave the cache at its bound
    of short entries (a 4,096-entry cache of whole texts once held 382 MB)."""
    from bot.text.dutch import _normalise_short, normalise

    _normalise_short.cache_clear()
    for i in range(1200):
        assert normalise("Agendapunt " + "x" * 40_000 + f" {i} 🙂").startswith("agendapunt")
    assert _normalise_short.cache_info().currsize == 0
    for i in range(5000):
        normalise(f"kort {i}")
    assert _normalise_short.cache_info().currsize <= _normalise_short.cache_info().maxsize <= 1024
