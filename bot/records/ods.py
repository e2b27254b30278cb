"""`vergadering.json`: one meeting in the shape of ODS Open Raadsinformatie, with stable ids.

ODS Open Raadsinformatie (VNG Realisatie, API 2.0) describes a `Vergadering` with `Agendapunt`en
and `Besluit`en in plain JSON: camelCase Dutch names, an `id` of at most 40 characters per
object, references by id. We use its names where the meaning is the same:

- Vergadering: `id`, `naam`, `status` (its list: gepland / gehouden / geannuleerd), `vergaderdatum`,
  `geplandeAanvangVergadering`, `geplandeEindeVergadering`, `locatie`, `georganiseerdDoorGremium`
  (`gremiumidentificatie`, `gremiumnaam`: the overleg);
- Agendapunt: `id`, `agendapuntvolgnummer`, `agendapuntTitel`, `agendapuntOmschrijving`,
  `indicatorBehandeld`, `indicatorBesloten` (treated behind closed doors: our `vertrouwelijk`);
- Besluit: `id`, `besluitresultaat` (the decision text).

VGG additions, not in ODS: `uid` (the calendar UID), `statusVgg` (keeps "verplaatst"), `heleDag`,
`voorstelId` (the proposal across the meetings it was on), `indiener`, `uitkomst` (behandeld /
doorgeschoven / vervallen), `verloop` (the item's history) and `actiepunten` (ODS has no action
points; each refers to its agendapunt by id and says whether it is `vertrouwelijk`). ODS's
required `vergaderingstype` is left out: its list (raadsvergadering, commissievergadering, …)
has nothing for an intergemeentelijk overleg.
ODS is plain JSON, not JSON-LD, so there is no `@context` or `@type`.

Ids are UUIDv5 (RFC 9562) of a fixed namespace and a name built from the meeting's calendar UID
and our record ids: the same meeting gives the same ids in every export, public or not, and the
ids fit ODS's 40 characters. They reveal nothing about confidential items left out.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.records.model import ActionRecord, AgendaItemRecord, HistoryStep, MeetingRecord
from bot.text.dutch import local_date

# uuid5(NAMESPACE_URL, "urn:vggbot:records"); fixed forever, or every archived id changes.
ID_NAMESPACE = uuid.UUID("139721e2-8dad-5a4f-a4e2-b12a18e6d112")
FORMAT = "vggbot-vergadering/1"
MODEL_NOTE = (
    "Veldnamen volgen ODS Open Raadsinformatie (Vergadering, Agendapunt, Besluit) waar de betekenis "
    "dezelfde is; uid, statusVgg, heleDag, voorstelId, indiener, uitkomst, verloop en actiepunten "
    "zijn aanvullingen van de VGG."
)


def stable_id(*parts: str | int) -> str:
    """A UUIDv5 from the parts, e.g. ("vergadering", uid, "agendapunt", 12)."""
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def meeting_id(meeting: MeetingRecord) -> str:
    return stable_id("vergadering", meeting.uid)


def item_id(meeting: MeetingRecord, item: AgendaItemRecord) -> str:
    return stable_id("vergadering", meeting.uid, "agendapunt", item.id)


def action_id(action: ActionRecord) -> str:
    return stable_id("actiepunt", action.id)


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def ods_status(meeting: MeetingRecord) -> str:
    """ODS's status: geannuleerd; gehouden once a besluitenlijst is recorded; else gepland."""
    if meeting.cancelled:
        return "geannuleerd"
    return "gehouden" if any(item.outcome for item in meeting.items) else "gepland"


def _step(step: HistoryStep) -> dict[str, Any]:
    return {
        "status": step.state,
        "datum": _utc(step.at),
        "vergaderingAanvang": _utc(step.meeting_starts_at),
        "toelichting": step.note,
    }


def _item(meeting: MeetingRecord, number: int, item: AgendaItemRecord) -> dict[str, Any]:
    decision = None
    if item.decision:
        decision = {
            "id": stable_id("vergadering", meeting.uid, "besluit", item.id),
            "besluitresultaat": item.decision,
        }
    return {
        "id": item_id(meeting, item),
        "voorstelId": stable_id("agendavoorstel", item.id),
        "agendapuntvolgnummer": str(number),
        "agendapuntTitel": item.title,
        "agendapuntOmschrijving": item.explanation,
        "indiener": item.proposer,
        "indicatorBehandeld": (item.outcome == "behandeld") if item.outcome else None,
        "indicatorBesloten": item.confidential,
        "uitkomst": item.outcome or None,
        "besluit": decision,
        "verloop": [_step(step) for step in item.history],
    }


def _action(action: ActionRecord, item_ids: dict[int, str]) -> dict[str, Any]:
    return {
        "id": action_id(action),
        "omschrijving": action.text,
        "eigenaar": action.owner,
        "uiterlijk": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "vertrouwelijk": action.confidential,
        "agendapunt": item_ids.get(action.item_id) if action.item_id is not None else None,
    }


def meeting_json(meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> dict[str, Any]:
    """The meeting as a JSON-ready dict; with `public`, without confidential items and their actions."""
    items = meeting.ordered_items(public=public)
    item_ids = {item.id: item_id(meeting, item) for item in items}
    return {
        "formaat": FORMAT,
        "model": MODEL_NOTE,
        "openbaar": public,
        "vergadering": {
            "id": meeting_id(meeting),
            "uid": meeting.uid,
            "naam": meeting.title,
            "georganiseerdDoorGremium": {
                "gremiumidentificatie": meeting.overleg_key,
                "gremiumnaam": meeting.overleg_name,
            },
            "status": ods_status(meeting),
            "statusVgg": meeting.status,
            "vergaderdatum": local_date(meeting.starts_at, tz).isoformat(),
            "geplandeAanvangVergadering": _utc(meeting.starts_at),
            "geplandeEindeVergadering": _utc(meeting.ends_at),
            "heleDag": meeting.all_day,
            "locatie": meeting.location,
            "agendapunten": [_item(meeting, n, item) for n, item in enumerate(items, start=1)],
            "actiepunten": [_action(action, item_ids) for action in meeting.visible_actions(public=public)],
        },
    }


def meeting_json_text(meeting: MeetingRecord, *, public: bool, tz: ZoneInfo) -> str:
    """The file's text: UTF-8 as is (no \\u escapes), indented, the same bytes for the same meeting."""
    return json.dumps(meeting_json(meeting, public=public, tz=tz), ensure_ascii=False, indent=2) + "\n"
