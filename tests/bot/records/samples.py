"""A meeting to archive: ordinary items, a deferred one with a trail, a confidential one, hostile text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.records.model import ActionRecord, AgendaItemRecord, HistoryStep, MeetingRecord

AMS = ZoneInfo("Europe/Amsterdam")
MARCH = datetime(2027, 3, 22, 9, 30, tzinfo=AMS)
JUNE = datetime(2027, 6, 28, 9, 30, tzinfo=AMS)

SECRET_TITLE = "Dossier Zwarte Zwaan ondermijning"
SECRET_EXPLANATION = "Vertrouwelijke casus over de Zwarte Zwaan"
SECRET_ACTION = "Zwarte Zwaan: rapport naar het OM"
SECRET_LOOSE_ACTION = "Informant Zwaan beschermen"  # from a confidential item of an earlier meeting
HOSTILE_TITLE = '=HYPERLINK("http://x") <script>alert(1)</script> & co'


def june_meeting(**changes: object) -> MeetingRecord:
    """The IVB of 28 June 2027: four items (one confidential), four action points (two confidential)."""
    items = (
        AgendaItemRecord(
            id=11,
            position=1,
            title="Hennepconvenant Groningen: stand van zaken",
            explanation="Toelichting door het RIEC.\nMet een tweede regel.",
            proposer="Anne de Vries",
            outcome="behandeld",
            decision="Het convenant wordt in september getekend.",
            confidential=False,
            history=(
                HistoryStep("aangehouden", at=MARCH, meeting_starts_at=MARCH, note="wacht op het RIEC"),
                HistoryStep("geagendeerd", at=datetime(2027, 5, 2, 10, tzinfo=AMS), meeting_starts_at=JUNE),
                HistoryStep("behandeld", at=JUNE, meeting_starts_at=JUNE, note="convenant in september"),
            ),
            proposed_at=datetime(2027, 2, 1, 10, tzinfo=AMS),
        ),
        AgendaItemRecord(
            id=12,
            position=2,
            title=SECRET_TITLE,
            explanation=SECRET_EXPLANATION,
            proposer="U0SECRET01",
            outcome="behandeld",
            decision="Zwarte Zwaan besluit blijft binnenskamers.",
            confidential=True,
        ),
        AgendaItemRecord(
            id=13,
            position=3,
            title=HOSTILE_TITLE,
            explanation="",
            proposer="Piet <Politie>",
            outcome="doorgeschoven",
            decision="",
            confidential=False,
        ),
        AgendaItemRecord(
            id=14,
            position=None,
            title="Burgernet Noord Nederland",
            explanation="Jaarcijfers.",
            proposer="U0OFFICIAL1",
            outcome="",
            decision="",
            confidential=False,
        ),
    )
    actions = (
        ActionRecord(
            id=101,
            text="Convenanttekst rondsturen",
            owner="Anne de Vries",
            due_date=date(2027, 7, 15),
            status="open",
            created_at=JUNE,
            item_id=11,
        ),
        ActionRecord(
            id=102,
            text=SECRET_ACTION,
            owner="U0SECRET01",
            due_date=None,
            status="open",
            created_at=JUNE,
            item_id=12,
        ),
        ActionRecord(
            id=104,
            text=SECRET_LOOSE_ACTION,
            owner="Politie",
            due_date=date(2027, 9, 1),
            status="open",
            created_at=MARCH,
            item_id=99,
            confidential=True,
        ),
        ActionRecord(
            id=103,
            text="Datum IVB november vastleggen",
            owner="Secretariaat",
            due_date=date(2027, 7, 1),
            status="afgerond",
            created_at=JUNE,
        ),
    )
    values: dict[str, object] = {
        "id": 7,
        "uid": "040000008200E00074C5B7101A82E008-2027-06-28",
        "overleg_key": "ivb",
        "overleg_name": "IVB",
        "title": "IVB juni",
        "starts_at": JUNE,
        "ends_at": datetime(2027, 6, 28, 12, 0, tzinfo=AMS),
        "all_day": False,
        "location": "Provinciehuis Groningen",
        "status": "gepland",
        "items": items,
        "actions": actions,
    }
    values.update(changes)
    return MeetingRecord(**values)  # type: ignore[arg-type]
