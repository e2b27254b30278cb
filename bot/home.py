"""The data behind the App Home tab: a handful of bounded queries, whatever the database size."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import calendar_read
from bot.blocks_open import HomeData
from bot.open_items import (
    OpenFilter,
    count_open_actions,
    count_open_proposals,
    open_actions,
    open_proposals,
)

HOME_ITEMS = 10


def home_data(*, session: Session, user_id: str, now: datetime, tz: ZoneInfo) -> HomeData:
    mine = OpenFilter(user_id=user_id)
    return HomeData(
        # The fast read path (bot/calendar_read.py): two round trips less per overleg than the ORM.
        next_meetings=[
            calendar_read.read_next_meeting(session=session, overleg=overleg, now=now, tz=tz)
            for overleg in calendar_read.read_overleggen(session=session)[:20]
        ],
        proposals=open_proposals(session=session, flt=mine, limit=HOME_ITEMS),
        proposal_total=count_open_proposals(session=session, flt=mine),
        actions=open_actions(session=session, flt=mine, limit=HOME_ITEMS),
        action_total=count_open_actions(session=session, flt=mine),
    )
