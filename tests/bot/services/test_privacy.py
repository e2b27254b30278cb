"""AVG/GDPR: export and erase what is stored about one Slack user; ids only, never e-mail addresses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select
from sqlalchemy.orm import Session

from bot.runtime.deps import Deps
from bot.services.errors import Refused
from bot.services.privacy import PLACEHOLDER, erase_user, export_user
from storage.models import (
    ActionPoint,
    AgendaOutcome,
    AgendaProposal,
    AuditEvent,
    Base,
    Conversation,
    FeedToken,
    Outcome,
    PostSlot,
    ProposalStep,
)
from storage.queries.meetings import overleg_for_update as get_overleg
from tests.support.factories import add_meeting
from tests.support.slackclient import SlackSender

ALICE = "U0ALICE0001"
BOB = "U0BOB000001"
NOW = datetime(2023, 3, 1, 9, 0, tzinfo=UTC)


def seed(session: Session) -> None:
    ivb = get_overleg(session=session, key="ivb")
    assert ivb is not None
    for who, title in ((ALICE, "Cameratoezicht centrum"), (BOB, f"Evaluatie met <@{ALICE}>")):
        session.add(AgendaProposal(overleg=ivb, title=title, explanation="Toelichting", proposer_id=who))
    session.add(
        ActionPoint(
            overleg=ivb, text="Notitie opstellen", owner_id=ALICE, created_by=BOB, due_date=date(2023, 4, 1)
        )
    )
    session.add(ActionPoint(overleg=ivb, text="Zaal boeken", owner_id=BOB, created_by=BOB))
    session.add(AuditEvent(entity="proposal", entity_id=1, actor_id=ALICE, at=NOW, action="ingediend"))
    session.add(
        AuditEvent(
            entity="action_point",
            entity_id=1,
            actor_id=BOB,
            at=NOW,
            action="owner",
            from_value=BOB,
            to_value=ALICE,
        )
    )
    session.add(
        Conversation(
            user_id=ALICE,
            channel_id="D0ALICE001",
            step="titel",
            data={"titel": "concept"},
            updated_at=NOW,
            expires_at=NOW + timedelta(hours=1),
        )
    )
    session.add(FeedToken(user_id=ALICE, token_hash="a" * 64, created_at=NOW))
    session.add(FeedToken(user_id=BOB, token_hash="b" * 64, created_at=NOW))
    _seed_minutes(session)
    session.flush()


def _seed_minutes(session: Session) -> None:
    """Alice recorded a besluitenlijst line (its decision names Bob) and took a step; she got the DM."""
    meeting = add_meeting(session, "ivb", NOW - timedelta(days=1))
    session.add(
        ProposalStep(proposal_id=1, at=NOW, state="behandeld", actor_id=ALICE, note=f"met <@{ALICE}>")
    )
    session.add(
        AgendaOutcome(
            meeting_id=meeting.id,
            proposal_id=1,
            outcome=Outcome.BEHANDELD,
            decision=f"<@{ALICE}> stuurt de tekst",
            recorded_by=ALICE,
            recorded_at=NOW,
        )
    )
    session.add(PostSlot(kind="besluitenlijst", slot_key=str(meeting.id), channel=ALICE, claimed_at=NOW))


def occurrences(session: Session, needle: str) -> list[str]:
    """Every table.column whose value contains `needle`, over all text columns of all tables."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                text = cast(column, Text) if isinstance(column.type, JSON) else column
                hits = session.scalar(select(func.count()).select_from(table).where(text.contains(needle)))
                if hits:
                    found.append(f"{table.name}.{column.name}")
    return found


def test_export_has_everything_about_the_user_and_nothing_else(deps: Deps) -> None:
    """Export: the user's proposals, mentions, action points, audit events, dialogue and feed token."""
    with deps.sessions.begin() as s:
        seed(s)
        data = export_user(session=s, user_id=ALICE)
    json.dumps(data)  # JSON-ready
    assert [p["title"] for p in data["agenda_proposals"]] == [
        "Cameratoezicht centrum",
        f"Evaluatie met <@{ALICE}>",
    ]
    assert [a["text"] for a in data["action_points"]] == ["Notitie opstellen"]
    assert len(data["audit_events"]) == 2
    assert data["conversations"][0]["data"] == {"titel": "concept"}
    assert len(data["feed_tokens"]) == 1
    assert "token_hash" not in data["feed_tokens"][0]
    assert len(data["proposal_steps"]) == 1
    assert data["agenda_outcomes"][0]["decision"] == f"<@{ALICE}> stuurt de tekst"


def test_erase_leaves_no_trace_of_the_user_and_keeps_the_history(deps: Deps) -> None:
    """Erase: no column anywhere holds the id; proposals and action points stay under the placeholder."""
    with deps.sessions.begin() as s:
        seed(s)
        erasure = erase_user(session=s, user_id=ALICE, now=NOW)
    assert erasure.deleted == {"conversations": 1, "feed_tokens": 1, "dm_claims": 1, "outbox": 0}
    with deps.sessions.begin() as s:
        assert occurrences(s, ALICE) == []
        assert s.scalar(select(func.count()).select_from(AgendaProposal)) == 2
        titles = set(s.scalars(select(AgendaProposal.title)))
        assert titles == {"Cameratoezicht centrum", f"Evaluatie met <@{PLACEHOLDER}>"}
        assert (
            s.scalar(select(ActionPoint.owner_id).where(ActionPoint.text == "Notitie opstellen"))
            == PLACEHOLDER
        )
        # Bob's records are untouched.
        assert s.scalar(select(func.count()).select_from(FeedToken).where(FeedToken.user_id == BOB)) == 1
        assert s.scalar(select(ActionPoint.created_by).where(ActionPoint.text == "Notitie opstellen")) == BOB
        erased = s.scalars(select(AuditEvent).where(AuditEvent.entity == "privacy")).one()
        assert erased.action == "erase"


def test_only_slack_user_ids_are_accepted(deps: Deps) -> None:
    """An e-mail address or a wildcard is not a user id: refused, nothing changes."""
    with deps.sessions.begin() as s:
        for bad in ("alice@vgg.nl", "%", "", "U", "U0ALICE0001 OR 1=1"):
            with pytest.raises(Refused):
                erase_user(session=s, user_id=bad, now=NOW)


def test_models_store_no_email_addresses() -> None:
    """No table has a column for an e-mail address or a person's name: Slack ids only."""
    columns = [f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns]
    assert not [c for c in columns if any(word in c.lower() for word in ("mail", "real_name", "phone"))]


def vggbot(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(DATABASE_URL=database_url, LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "bot.runtime.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent,
        check=False,
    )


def test_cli_export_and_erase(deps: Deps) -> None:
    """`vggbot privacy export` prints JSON; `erase --dry-run` changes nothing; `erase` wipes the id."""
    with deps.sessions.begin() as s:
        seed(s)
    url = deps.settings.database_url
    exported = vggbot(url, "privacy", "export", ALICE)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["user_id"] == ALICE
    dry = vggbot(url, "privacy", "erase", ALICE, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "zou veranderen" in dry.stdout
    with deps.sessions.begin() as s:
        assert occurrences(s, ALICE)
    done = vggbot(url, "privacy", "erase", ALICE)
    assert done.returncode == 0, done.stderr
    with deps.sessions.begin() as s:
        assert occurrences(s, ALICE) == []
    refused = vggbot(url, "privacy", "export", "alice@vgg.nl")
    assert refused.returncode == 2
    assert "geen Slack-gebruikers-id" in refused.stderr


def test_one_user_id_is_never_found_inside_another(deps: Deps) -> None:
    """Erasing U0PRIV1 exports and rewrites nothing of U0PRIV12 (whole ids only, not a prefix match)."""
    short, longer = "U0PRIV1", "U0PRIV12"
    with deps.sessions.begin() as s:
        ivb = get_overleg(session=s, key="ivb")
        assert ivb is not None
        s.add(AgendaProposal(overleg=ivb, title=f"Overleg met <@{longer}>", proposer_id=longer))
        s.add(AgendaProposal(overleg=ivb, title=f"Nota van <@{short}>", proposer_id=BOB))
        s.add(
            AuditEvent(
                entity="action_point", entity_id=1, actor_id=BOB, at=NOW, action="owner", to_value=longer
            )
        )
    with deps.sessions.begin() as s:
        data = export_user(session=s, user_id=short)
        assert [p["title"] for p in data["agenda_proposals"]] == [f"Nota van <@{short}>"]
        assert data["audit_events"] == []
        erase_user(session=s, user_id=short, now=NOW)
    with deps.sessions.begin() as s:
        titles = set(s.scalars(select(AgendaProposal.title)))
        assert titles == {f"Overleg met <@{longer}>", f"Nota van <@{PLACEHOLDER}>"}
        assert s.scalar(select(AuditEvent.to_value).where(AuditEvent.action == "owner")) == longer
        assert (
            s.scalar(select(AgendaProposal.proposer_id).where(AgendaProposal.title.contains(longer)))
            == longer
        )


def test_a_mention_with_a_username_stores_the_id_only(slack: SlackSender, deps: Deps) -> None:
    """`/ivb voorstel … <@U…|priv.persoon>`: the title keeps `<@U…>`, no username; export finds it,
    erasure removes it."""
    person = "U0PRIV00001"
    slack.command(f"voorstel Gesprek met <@{person}|priv.persoon> over cameratoezicht")
    with deps.sessions.begin() as s:
        (title,) = s.scalars(select(AgendaProposal.title))
        assert title == f"Gesprek met <@{person}> over cameratoezicht"
        assert occurrences(s, "priv.persoon") == []
        assert [p["title"] for p in export_user(session=s, user_id=person)["agenda_proposals"]] == [title]
        erase_user(session=s, user_id=person, now=NOW)
    with deps.sessions.begin() as s:
        assert occurrences(s, person) == []
