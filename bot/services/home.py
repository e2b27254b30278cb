"""The data behind the App Home tab: a handful of bounded queries, whatever the database size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.meetings import NextMeeting, read_next_meeting
from bot.services.open_items import ActionItem, OpenFilter, ProposalItem, open_actions, open_proposals
from storage.queries import meetings as meeting_queries
from storage.queries import open_items as open_queries

HOME_ITEMS = 10
# Each action point on the Home tab carries its buttons, so fewer are shown; the rest: `/ivb open mijn`.
HOME_ACTIONS = 5
HOME_OVERLEGGEN = 20


@dataclass(frozen=True)
class HomeData:
    next_meetings: list[NextMeeting]
    proposals: list[ProposalItem]
    proposal_total: int
    actions: list[ActionItem]
    action_total: int


def home_data(*, session: Session, user_id: str, now: datetime, tz: ZoneInfo) -> HomeData:
    mine = OpenFilter(user_id=user_id)
    overleggen = meeting_queries.overleggen(session=session)[:HOME_OVERLEGGEN]
    return HomeData(
        next_meetings=[read_next_meeting(session=session, overleg=o, now=now, tz=tz) for o in overleggen],
        proposals=open_proposals(session=session, flt=mine, limit=HOME_ITEMS, now=now),
        proposal_total=open_queries.count_proposals(session=session, flt=mine),
        actions=open_actions(session=session, flt=mine, limit=HOME_ACTIONS),
        action_total=open_queries.count_actions(session=session, flt=mine),
    )
