"""Block Kit for answers to questions in words: the deadline first when that is what was asked, a
"Bedoel je …?" before the answer to a mistyped command, and the small talk (greeting, thanks)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.blocks.kit import MESSAGE_BLOCK_LIMIT, Reply, context, section, simple
from bot.services.meetings import NextMeeting
from bot.text.dutch import list_date, list_datetime, relative_day, with_article
from bot.text.slack import escape_mrkdwn


def build_deadline_lead(info: NextMeeting, *, tz: ZoneInfo, now: datetime) -> Reply | None:
    """ "Tot wanneer kan ik iets aanleveren?": the deadline for a proposal made now, in one bold line."""
    meeting, deadline = info.meeting, info.deadline
    if info.deadline_passed:
        meeting, deadline = info.following, info.following_deadline
    if meeting is None or deadline is None:
        return None
    today = now.astimezone(tz).date()
    soon = relative_day(deadline, today, tz)
    name = with_article(escape_mrkdwn(info.overleg.name))
    line = (
        f":hourglass_flowing_sand: Agendapunten voor {name}: *uiterlijk {list_datetime(deadline, today, tz)}*"
        + (f" ({soon})" if soon else "")
        + f", voor de vergadering van {list_date(meeting.starts_at, today, tz)}."
    )
    if info.deadline_passed:
        line += " De deadline voor de vergadering daarvóór is voorbij."
    text = (
        f"Agendapunten voor {with_article(info.overleg.name)}: uiterlijk {list_datetime(deadline, today, tz)}"
    )
    return Reply(text=text, blocks=[section(line)])


def with_lead(lead: Reply, answer: Reply) -> Reply:
    """`lead` above `answer`, in one message; the lead's text is what notifications show."""
    return Reply(text=lead.text, blocks=[*lead.blocks, *answer.blocks][:MESSAGE_BLOCK_LIMIT])


def build_did_you_mean(typed: str, answer: Reply) -> Reply:
    """ "Bedoel je `/ivb volgende`?" above the answer to it."""
    question = f"Bedoel je `/ivb {escape_mrkdwn(typed)}`?"
    return Reply(
        text=f"Bedoel je /ivb {typed}? {answer.text}",
        blocks=[context(question), *answer.blocks][:MESSAGE_BLOCK_LIMIT],
    )


def build_did_you_mean_only(typed: str) -> Reply:
    """For a command that would change something: ask, do not guess."""
    return simple(f"Bedoel je `/ivb {escape_mrkdwn(typed)}`? Typ het dan zo nog een keer.")


def build_greeting() -> Reply:
    return simple(
        "Hoi! :wave: Ik ben VGG-bot. Vraag me bijvoorbeeld _wanneer is de volgende IVB?_, "
        "_tot wanneer kan ik iets aanleveren voor de KOB?_ of _wat staat er op de agenda?_ "
        "Iets voorstellen: `agendapunt: &lt;titel&gt;`. Alles: `/ivb help`."
    )


def build_thanks() -> Reply:
    return simple("Graag gedaan! :slightly_smiling_face:")
