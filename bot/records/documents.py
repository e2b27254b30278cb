"""The agenda and the besluitenlijst of one meeting as HTML, ready for `pdf.render_pdf`.

Every piece of user text (titles, explanations, decisions, names, places) passes `esc` exactly
once, here. With `public` the confidential items and their action points are left out before
anything is numbered or counted, so the public documents show no gap in the numbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.records.model import ActionRecord, AgendaItemRecord, MeetingRecord
from bot.records.pdf import esc
from bot.text.dutch import day_range, local_date, meeting_span, trail

OUTCOME_TEXT = {
    "behandeld": "behandeld",
    "doorgeschoven": "doorgeschoven naar een volgende vergadering",
    "vervallen": "vervallen",
    "": "nog niet vastgelegd",
}
STATUS_NOTICE = {
    "geannuleerd": "Deze vergadering is geannuleerd.",
    "verplaatst": "Deze vergadering is verplaatst; hierboven staat de nieuwe datum.",
}


@dataclass(frozen=True)
class HtmlDocument:
    """A document's title (also its PDF metadata title), a one-line description, and its body."""

    title: str
    description: str
    body: str


def meeting_day(meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """`20 maart 2023` (or a range for a multi-day meeting), for document titles."""
    return day_range(local_date(meeting.starts_at, tz), meeting.last_day(tz))


def _header(kind: str, meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> str:
    lines = [f"<h1>{esc(kind)} {esc(meeting.overleg_name)}</h1>", '<div class="meta">']
    if meeting.title and meeting.title != meeting.overleg_name:
        lines.append(f"<p>{esc(meeting.title)}</p>")
    when = meeting_span(meeting.starts_at, meeting.ends_at, meeting.all_day, tz)
    lines.append(f'<p><span class="label">Datum:</span> {esc(when)}</p>')
    location = meeting.location or "nog niet bekend"
    lines.append(f'<p><span class="label">Locatie:</span> {esc(location)}</p></div>')
    if meeting.status in STATUS_NOTICE:
        lines.append(f'<p class="notice">{STATUS_NOTICE[meeting.status]}</p>')
    if not public and (
        any(item.confidential for item in meeting.items)
        or any(action.confidential for action in meeting.actions)
    ):
        lines.append(
            '<p class="notice">Niet openbaar: deze versie bevat vertrouwelijke agenda- of actiepunten. '
            "De openbare versie laat ze weg.</p>"
        )
    return "".join(lines)


def _item_heading(number: int, item: AgendaItemRecord) -> str:
    mark = " (vertrouwelijk)" if item.confidential else ""
    return f"<h2>{number}. {esc(item.title)}{mark}</h2>"


def agenda_html(meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> HtmlDocument:
    """The agenda: the items in order, each with its explanation and who proposed it."""
    parts = [_header("Agenda", meeting, public=public, tz=tz)]
    items = meeting.ordered_items(public=public)
    if not items:
        parts.append("<p>Er staan geen agendapunten op deze agenda.</p>")
    for number, item in enumerate(items, start=1):
        parts.append('<div class="item">' + _item_heading(number, item))
        if item.explanation:
            parts.append(f'<p class="text">{esc(item.explanation)}</p>')
        if item.proposer:
            parts.append(f'<p class="muted">Ingediend door {esc(item.proposer)}</p>')
        parts.append("</div>")
    day = meeting_day(meeting, tz)
    return HtmlDocument(
        title=f"Agenda {meeting.overleg_name} {day}",
        description=f"Agenda van de vergadering van {meeting.overleg_name} op {day}",
        body="".join(parts),
    )


def _actions_table(actions: tuple[ActionRecord, ...]) -> str:
    rows = []
    for action in actions:
        due = day_range(action.due_date, action.due_date) if action.due_date else "geen datum"
        mark = " (vertrouwelijk)" if action.confidential else ""
        rows.append(
            f"<tr><td>{esc(action.text)}{mark}</td><td>{esc(action.owner)}</td>"
            f"<td>{esc(due)}</td><td>{esc(action.status)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Actiepunt</th><th>Wie</th><th>Uiterlijk</th><th>Status</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _decision_item(
    number: int, item: AgendaItemRecord, actions: tuple[ActionRecord, ...], tz: ZoneInfo
) -> str:
    parts = ['<div class="item">', _item_heading(number, item)]
    parts.append(f'<p><span class="label">Uitkomst:</span> {OUTCOME_TEXT[item.outcome]}</p>')
    if item.decision:
        parts.append(f'<p class="text"><span class="label">Besluit:</span> {esc(item.decision)}</p>')
    if item.history:
        parts.append(
            f'<p class="muted"><span class="label">Verloop:</span> {esc(trail(item.history, tz))}</p>'
        )
    if actions:
        parts.append("<h3>Actiepunten</h3>" + _actions_table(actions))
    parts.append("</div>")
    return "".join(parts)


def decisions_html(meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> HtmlDocument:
    """The besluitenlijst: per item its outcome, decision, trail and action points; then the rest."""
    parts = [_header("Besluitenlijst", meeting, public=public, tz=tz)]
    items = meeting.ordered_items(public=public)
    actions = meeting.visible_actions(public=public)
    if not items:
        parts.append("<p>Er stonden geen agendapunten op deze agenda.</p>")
    for number, item in enumerate(items, start=1):
        linked = tuple(action for action in actions if action.item_id == item.id)
        parts.append(_decision_item(number, item, linked, tz))
    shown = {item.id for item in items}
    loose = tuple(action for action in actions if action.item_id not in shown)
    if loose:
        parts.append("<h2>Overige actiepunten</h2>" + _actions_table(loose))
    day = meeting_day(meeting, tz)
    return HtmlDocument(
        title=f"Besluitenlijst {meeting.overleg_name} {day}",
        description=f"Besluiten en actiepunten van de vergadering van {meeting.overleg_name} op {day}",
        body="".join(parts),
    )
