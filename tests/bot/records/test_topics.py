"""Fuzzy topic matching across overleggen: normalising, the threshold, short titles, grouping."""

from datetime import date

import pytest

from bot.records.topics import TopicMention, normalise_title, recurring_topics, titles_match


def _match(first: str, second: str) -> bool:
    return titles_match(normalise_title(first), normalise_title(second))


def test_normalising_drops_case_accents_punctuation_numbers_and_general_words() -> None:
    """Only the words that carry the topic remain."""
    assert normalise_title("Hennepconvenant Groningen: stand van zaken") == "hennepconvenant"
    assert normalise_title("Veiligheidsagenda 2023-2026 RBPO") == "veiligheidsagenda rbpo"
    assert normalise_title("Coördinatie Zorg- & Veiligheidshuis") == "coordinatie zorg veiligheidshuis"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Hennepconvenant", "Hennepconvenant Groningen: stand van zaken"),
        ("Hennepconvenat", "Hennepconvenant Groningen: stand van zaken"),  # a typo
        ("Maatregelen jaarwisseling", "Jaarwisseling 2023/2024: maatregelen"),
        ("Cyberveiligheid", "Cyber veiligheid"),
        ("Project mensenhandel", "Mensenhandel: aanpak in de regio"),
        ("Actieprogramma Grip op Onbegrip; Lentis", "Grip op Onbegrip"),
        ("Wet verplichte ggz", "Wet verplichte GGZ (Wvggz): evaluatie"),
        ("Platform Veilig Ondernemen; aanpak criminaliteit", "Veilig ondernemen"),
    ],
)
def test_titles_of_one_topic_match(first: str, second: str) -> None:
    """Titles that name the same topic in other words, order or spelling match at the threshold."""
    assert _match(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Stand van zaken", "Hennepconvenant: stand van zaken"),  # only general words in common
        ("Begroting", "Begroting VRG 2024"),  # too short to match on its own
        ("Burgernet", "Burgernet Noord Nederland"),  # too short, even though it is a subset
        ("Casustafel radicalisering binnen gemeenten", "Casustafel zorg en veiligheid"),
        ("Regionale Energiestrategie", "Regionale Veiligheidsstrategie"),
        ("Veiligheidsagenda 2023-2026 RBPO", "Veiligheidsagenda Noord-Nederland"),  # 87, just under 90
        ("Visie Crisisbeheersing Veiligheidsregio Groningen (VRG)", "Veiligheidsagenda 2023-2026 RBPO"),
    ],
)
def test_different_topics_and_short_titles_do_not_match(first: str, second: str) -> None:
    """Different topics, general words and titles under ten letters stay apart."""
    assert not _match(first, second)


def test_recurring_topics_need_two_overleggen_and_are_named_by_the_shortest_title() -> None:
    """A topic counts when it comes up in two overleggen; the same topic twice in one does not."""
    mentions = [
        TopicMention("IVB", date(2023, 11, 13), "Hennepconvenant"),
        TopicMention("3-Noord tafel", date(2023, 10, 19), "Hennepconvenant Groningen: stand van zaken"),
        TopicMention("IVB", date(2023, 3, 20), "Maatregelen jaarwisseling"),
        TopicMention("IVB", date(2023, 11, 13), "Jaarwisseling: maatregelen"),
        TopicMention("KOB", date(2023, 7, 14), "Rondvraag"),
        TopicMention("IVB", date(2023, 6, 26), "Rondvraag"),
    ]
    (topic,) = recurring_topics(mentions)
    assert topic.title == "Hennepconvenant"
    assert topic.overleg_names == ("3-Noord tafel", "IVB")
    assert [mention.day for mention in topic.mentions] == [date(2023, 10, 19), date(2023, 11, 13)]
