"""The App Home tab (`app_home_opened` → views.publish) and its "Kalender" button."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.action_points import Viewer
from bot.blocks.home import build_home
from bot.blocks.meetings import build_calendar, build_calendar_modal
from bot.runtime.answer_cache import Computed
from bot.runtime.deps import Deps
from bot.runtime.followups import OpenView, PublishHome
from bot.runtime.posting import Poster
from bot.services.home import home_data
from bot.services.meetings import next_meeting_valid_until, read_calendar_page


def home_view(deps: Deps, user_id: str) -> dict[str, Any]:
    """The Home tab of `user_id`, kept until a write, local midnight, or a shown meeting or deadline."""
    now = deps.clock.now()
    tz = deps.settings.tz
    today = now.astimezone(tz).date()
    viewer = Viewer(user_id=user_id, is_admin=deps.settings.is_admin(user_id))

    def compute(session: Session) -> Computed[dict[str, Any]]:
        data = home_data(session=session, user_id=user_id, now=now, tz=tz)
        moments = [datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)]
        moments += [m for info in data.next_meetings if (m := next_meeting_valid_until(info, now=now))]
        return Computed(build_home(data, viewer=viewer, today=today, tz=tz), min(moments))

    key = ("home", user_id, viewer.is_admin, deps.settings.bot_timezone)
    return deps.answers.read_through(deps.reads, key, now, compute)


def publish_home(deps: Deps, poster: Poster, item: PublishHome) -> None:
    """PublishHome's performer: views.publish of the user's Home tab."""
    poster.client.views_publish(user_id=item.user_id, view=home_view(deps, item.user_id))


def home_opened(deps: Deps, event: dict[str, Any]) -> None:
    if event.get("tab", "home") == "home" and event.get("user"):
        deps.followups.now(PublishHome(str(event["user"])))


def show_calendar(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    now = deps.clock.now()
    with deps.reads() as session:
        page = read_calendar_page(session=session, now=now, tz=deps.settings.tz)
    view = build_calendar_modal(build_calendar(page, tz=deps.settings.tz, now=now, with_more=False))
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), view))


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(partial(home_opened, deps))
    app.action(ids.SHOW_CALENDAR)(partial(show_calendar, deps))
