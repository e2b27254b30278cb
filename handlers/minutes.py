"""After the meeting: `/ivb besluiten [overleg]`, the "Besluitenlijst invullen" button, and its form.

The form comes in pages (10 items each); each page is saved on its own, then the next one replaces it
(`response_action: update`). After a save the proposers hear the outcome of their item by DM, owners
of new action points get theirs, and the review posts show the outcome.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids
from bot.blocks.action_points import build_action_assigned_dm
from bot.blocks.kit import Reply, build_refused
from bot.blocks.minutes import (
    build_last_minutes,
    build_minutes_modal,
    build_minutes_saved,
    build_outcome_dm,
    page_count,
    read_page,
)
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, Followup, OpenView, UpdateReview
from bot.services import minutes, minutes_record
from bot.services.errors import NotAllowed, Refused
from bot.services.minutes_record import OutcomeEntry, Recorded
from handlers.command import Command
from handlers.payload import action_value, button_ids, form_values, user_of

logger = logging.getLogger(__name__)

FIELDS = (ids.MINUTES_OUTCOME, ids.MINUTES_DECISION, ids.MINUTES_OWNER, ids.MINUTES_ACTION, ids.MINUTES_DUE)


def besluiten(deps: Deps, command: Command) -> Reply:
    """`/ivb besluiten [overleg]`: the last besluitenlijst, without others' confidential items."""
    is_admin = deps.settings.is_admin(command.user_id)
    with deps.sessions() as session:
        last = minutes.last_minutes(session=session, overleg=command.text, now=deps.clock.now())
    if last.minutes is not None:
        shown = minutes.visible_to(last.minutes, viewer_id=command.user_id, is_admin=is_admin)
        last = minutes.LastMinutes(last.overleg, shown, last.waiting, last.waiting_items)
    return build_last_minutes(last, tz=deps.settings.tz, is_admin=is_admin)


def open_form(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """ "Besluitenlijst invullen": the form's first page, for the secretariaat only."""
    ack()
    user_id = user_of(body)
    try:
        meeting_id, _, _ = button_ids(action_value(body))
        with deps.sessions() as session:
            found = minutes.minutes_form(
                session=session,
                meeting_id=meeting_id,
                actor_id=user_id,
                admin_ids=deps.settings.admin_user_ids,
                now=deps.clock.now(),
            )
    except (NotAllowed, Refused) as exc:
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))
        return
    view = build_minutes_modal(found, page=0, tz=deps.settings.tz)
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), view))


def entries_of(values: dict[str, str]) -> list[OutcomeEntry]:
    """The form's fields ("<field>:<proposal id>") as one entry per item."""
    per_item: dict[int, dict[str, str]] = defaultdict(dict)
    for block_id, value in values.items():
        field, _, number = block_id.partition(":")
        if field in FIELDS and number.isdigit():
            per_item[int(number)][field] = value
    entries = []
    for item, fields in sorted(per_item.items()):
        due = fields.get(ids.MINUTES_DUE, "")
        try:
            due_date = date.fromisoformat(due) if due else None
        except ValueError:
            raise Refused("Kies een datum in de datumkiezer.", field=f"{ids.MINUTES_DUE}:{item}") from None
        entries.append(
            OutcomeEntry(
                proposal_id=item,
                outcome=fields.get(ids.MINUTES_OUTCOME, ""),
                decision=fields.get(ids.MINUTES_DECISION, ""),
                action_owner=fields.get(ids.MINUTES_OWNER, ""),
                action_text=fields.get(ids.MINUTES_ACTION, ""),
                action_due=due_date,
            )
        )
    return entries


def submit(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    """One page saved; errors show on their field; the next page follows, or the form closes."""
    user_id = user_of(body)
    values = form_values(view)
    try:
        meeting_id, page = read_page(str(view.get("private_metadata") or ""))
    except (ValueError, KeyError, TypeError):
        ack(response_action="errors", errors={next(iter(values), "x"): "Dit formulier klopt niet meer."})
        return
    try:
        with deps.sessions.begin() as session:
            recorded = minutes_record.record_outcomes(
                session=session,
                meeting_id=meeting_id,
                actor_id=user_id,
                admin_ids=deps.settings.admin_user_ids,
                entries=entries_of(values),
                now=deps.clock.now(),
                tz=deps.settings.tz,
            )
            after = minutes.read_minutes(session=session, meeting=recorded.meeting)
            deps.followups.after_commit(session, *_announcements(deps, recorded, user_id, len(after.pending)))
    except (NotAllowed, Refused) as exc:
        field = getattr(exc, "field", "") if isinstance(exc, Refused) else ""
        ack(response_action="errors", errors={field or _first_field(values): exc.message})
        return
    if page + 1 < page_count(after):
        ack(response_action="update", view=build_minutes_modal(after, page=page + 1, tz=deps.settings.tz))
        return
    ack()


def _first_field(values: dict[str, str]) -> str:
    return next((block_id for block_id in values if block_id.startswith(ids.MINUTES_OUTCOME)), "x")


def _announcements(deps: Deps, recorded: Recorded, actor_id: str, remaining: int) -> list[Followup]:
    """Proposers hear their outcomes (one DM each), owners their new action points; review posts update."""
    tz = deps.settings.tz
    by_proposer: dict[str, list[minutes_record.RecordedItem]] = defaultdict(list)
    for item in recorded.items:
        by_proposer[item.proposer_id].append(item)
    later: list[Followup] = [
        DirectMessage(proposer, build_outcome_dm(items, meeting=recorded.meeting, tz=tz))
        for proposer, items in by_proposer.items()
    ]
    later += [
        DirectMessage(action.owner_id, build_action_assigned_dm(action, by=actor_id))
        for item in recorded.items
        for action in item.actions
        if action.owner_id != actor_id
    ]
    later += [UpdateReview(item.proposal_id) for item in recorded.items]
    later.append(DirectMessage(actor_id, build_minutes_saved(recorded, remaining=remaining, tz=tz)))
    return later


def register(app: App, deps: Deps) -> None:
    app.action(ids.FILL_MINUTES)(partial(open_form, deps))
    app.view(ids.MINUTES_VIEW)(partial(submit, deps))
