"""The App Home tab (`app_home_opened` → views.publish) and its "Kalender" button."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import calendar, calendar_read
from bot.answer_cache import Computed, read_through
from bot.blocks import build_calendar
from bot.blocks_open import CALENDAR, Viewer, build_calendar_modal, build_home
from bot.deps import Deps
from bot.home import home_data

logger = logging.getLogger(__name__)

CALENDAR_LIMIT = 40


def publish_home(deps: Deps, client: WebClient, user_id: str) -> None:
    now = deps.clock.now()
    tz = deps.settings.tz
    today = now.astimezone(tz).date()
    viewer = Viewer(user_id=user_id, is_admin=deps.settings.is_admin(user_id))

    def compute(session: Session) -> Computed[dict[str, Any]]:
        data = home_data(session=session, user_id=user_id, now=now, tz=tz)
        # Right until a write, local midnight (ages, "te laat"), or a shown meeting or deadline passing.
        moments = [datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)]
        for info in data.next_meetings:
            until = calendar_read.next_meeting_valid_until(info, now=now)
            if until is not None:
                moments.append(until)
        return Computed(build_home(data, viewer=viewer, today=today, tz=tz), min(moments))

    view = read_through(deps, ("home", user_id, viewer.is_admin, deps.settings.bot_timezone), now, compute)
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError:
        logger.exception("could not publish the Home tab")


def register(app: App, deps: Deps) -> None:
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        publish_home(deps, client, str(event["user"]))

    def show_calendar(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        now = deps.clock.now()
        with deps.sessions.begin() as session:
            meetings = calendar.upcoming_meetings(session=session, now=now, limit=CALENDAR_LIMIT)
            total = calendar.count_upcoming_meetings(session=session, now=now)
            reply = build_calendar(meetings, tz=deps.settings.tz, total=total)
        try:
            client.views_open(trigger_id=str(body.get("trigger_id", "")), view=build_calendar_modal(reply))
        except SlackApiError:
            logger.exception("could not open the calendar")

    app.event("app_home_opened")(home_opened)
    app.action(CALENDAR)(show_calendar)
