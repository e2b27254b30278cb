"""Block Kit for `/ivb help` and for an overleg word the bot does not know."""

from __future__ import annotations

from bot.blocks.kit import Reply, context, section, truncate
from bot.text.slack import escape_mrkdwn
from storage.queries.rows import OverlegRow

HELP_LINES = (
    ("/ivb volgende [overleg]", "wanneer is het volgende overleg, en tot wanneer kun je iets agenderen"),
    ("/ivb agenda [overleg]", "de agenda van de volgende vergadering"),
    ("/ivb voorstel [titel]", "een agendapunt voorstellen (zonder titel opent een formulier)"),
    ("/ivb open [mijn|overleg]", "openstaande voorstellen en actiepunten"),
    ("/ivb actie @persoon &lt;tekst&gt; [voor &lt;datum&gt;]", "actiepunt vastleggen (secretariaat)"),
    ("/ivb besluiten [overleg]", "de besluitenlijst van de laatste vergadering"),
    ("/ivb kalender [overleg]", "de vergaderingen van de komende acht weken (`Meer` toont de rest)"),
    ("/ivb kalender abonneren", "je eigen agenda-link voor Outlook of Google (`intrekken` stopt hem)"),
    ("/ivb help", "deze uitleg"),
)


def build_help(overleggen: list[OverlegRow], *, unknown: str = "") -> Reply:
    intro = ""
    if unknown:
        intro = f"Dat commando ken ik niet (`{escape_mrkdwn(truncate(unknown, 40))}`). Dit kan ik wel:\n"
    commands = "\n".join(f"• `{cmd}` — {what}" for cmd, what in HELP_LINES)
    keys = ", ".join(f"`{o.key}` ({escape_mrkdwn(o.name)})" for o in overleggen)
    blocks = [
        section(intro + "*Wat kan VGG-bot?*\n" + commands),
        section(
            "*In gewone woorden*\nStuur mij een bericht of noem mij in een kanaal. Vraag bijvoorbeeld "
            "_wanneer is de volgende IVB?_ `agendapunt: &lt;titel&gt;` stelt meteen iets voor; "
            "_ik wil iets agenderen_ start een kort gesprek. "
            "`agendapunt vertrouwelijk: &lt;titel&gt;`: alleen jij en het secretariaat zien het."
        ),
        context(f"Overleggen: {keys}. Engelse woorden werken ook (`next`, `calendar`, `help`)."),
    ]
    return Reply(
        text="Hulp bij VGG-bot: /ivb volgende, agenda, voorstel, open, kalender, besluiten", blocks=blocks
    )


def propose_hint(overleg_key: str = "ivb") -> str:
    """How to propose for this overleg, as a hint under an answer (the IVB needs no key)."""
    key = "" if overleg_key == "ivb" else f" {overleg_key}"
    return (
        f"Iets agenderen? `/ivb voorstel{key} &lt;titel&gt;` of stuur mij `agendapunt{key}: &lt;titel&gt;`."
    )
