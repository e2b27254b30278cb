"""Block Kit for the calendar-feed subcommands (`/ivb kalender abonneren|intrekken`)."""

from __future__ import annotations

from bot.blocks.kit import Reply, context, section, simple


def build_feed_subscribed(url: str | None, *, revoked_earlier: bool) -> Reply:
    """The private link, with how to add it in Outlook and Google Agenda."""
    if url is None:
        return simple(
            "De agenda-link is er nog niet: eerst moet het webadres van de bot worden ingesteld "
            "(`PUBLIC_URL`). Vraag het secretariaat daarnaar, en gebruik intussen `/ivb kalender`."
        )
    webcal = "webcal://" + url.split("://", 1)[1]
    lines = [
        ":calendar: *Je persoonlijke agenda-link* (alle overleggen en agendadeadlines):",
        f"`{url}`",
        "Outlook: _Agenda toevoegen → Abonneren vanaf internet_ en plak de link, "
        f"of open <{webcal}|deze link>.",
        "Google Agenda: _Andere agenda's → + → Via URL_.",
    ]
    note = "Deel deze link niet: wie hem heeft, ziet de kalender. Intrekken: `/ivb kalender intrekken`."
    if revoked_earlier:
        note = "Je vorige link werkt niet meer. " + note
    return Reply(text="Je persoonlijke agenda-link", blocks=[section("\n".join(lines)), context(note)])


def build_feed_revoked(count: int) -> Reply:
    if count == 0:
        return simple("Je had geen agenda-link. Een nieuwe maak je met `/ivb kalender abonneren`.")
    return simple(
        ":lock: Je agenda-link is ingetrokken; wie hem nog heeft, ziet niets meer. "
        "Een nieuwe maak je met `/ivb kalender abonneren`."
    )
