"""Digest slots: slot k is DIGEST_START's date plus k * DIGEST_INTERVAL_DAYS, at DIGEST_START's
wall-clock time in BOT_TIMEZONE (so 09:00 stays 09:00 across the summer-time switch).

A slot that falls on a Dutch public holiday is posted anyway, skipped, or shifted to the next
working day. A slot keeps its key (its nominal date) when it is shifted, so the shift cannot make
it post twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.runtime.settings import Settings
from bot.services.working_days import is_holiday, is_working_day

# How many nominal slots to look back for one whose (shifted) moment has come: a shift moves a slot
# by a few days at most (Christmas plus a weekend), so with a one-day interval 10 is plenty.
_LOOKBACK = 10


# --- slot arithmetic ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One digest slot: `key` is its nominal date; `at` when it posts (None when a holiday skips it)."""

    key: str
    index: int
    nominal: datetime
    at: datetime | None

    @property
    def shifted(self) -> bool:
        return self.at is not None and self.at != self.nominal


@dataclass(frozen=True)
class Schedule:
    """The digest schedule as plain values (built from Settings by `schedule_from`)."""

    start: datetime  # naive wall-clock time of the first slot, in tz
    interval_days: int
    tz: ZoneInfo
    holiday_mode: str = "shift"  # post | skip | shift

    @property
    def wall_time(self) -> time:
        return self.start.time()

    def nominal(self, index: int) -> datetime:
        day = self.start.date() + timedelta(days=index * self.interval_days)
        # Wall-clock time in tz, whatever the offset that day: 09:00 in January and in July.
        return datetime.combine(day, self.wall_time, tzinfo=self.tz)

    def slot(self, index: int) -> Slot:
        nominal = self.nominal(index)
        return Slot(key=nominal.date().isoformat(), index=index, nominal=nominal, at=self._effective(nominal))

    def _effective(self, nominal: datetime) -> datetime | None:
        day = nominal.date()
        if self.holiday_mode == "post" or not is_holiday(day):
            return nominal
        if self.holiday_mode == "skip":
            return None
        while not is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.wall_time, tzinfo=self.tz)

    def index_at_or_before(self, moment: datetime) -> int:
        """The index of the last nominal slot at or before `moment` (-1 before the first)."""
        local = moment.astimezone(self.tz)
        days = (local.date() - self.start.date()).days
        index = days // self.interval_days
        if index >= 0 and self.nominal(index) > moment:
            index -= 1
        return max(index, -1)

    def due_slot(self, moment: datetime) -> Slot | None:
        """The latest slot whose moment has come at `moment` (skipped slots are not due)."""
        last = self.index_at_or_before(moment)
        best: Slot | None = None
        best_at: datetime | None = None
        for index in range(last, max(last - _LOOKBACK, -1), -1):
            slot = self.slot(index)
            if slot.at is not None and slot.at <= moment and (best_at is None or slot.at > best_at):
                best, best_at = slot, slot.at
        return best

    def next_slot(self, moment: datetime) -> Slot | None:
        """The first slot that posts after `moment`."""
        index = max(self.index_at_or_before(moment) - _LOOKBACK, 0)
        for candidate in range(index, index + 3 * _LOOKBACK + 400):
            slot = self.slot(candidate)
            if slot.at is not None and slot.at > moment:
                return slot
        return None

    def previous_slot(self, slot: Slot) -> Slot | None:
        """The slot posted before `slot` (holiday-skipped ones passed over)."""
        for index in range(slot.index - 1, max(slot.index - 1 - _LOOKBACK, -1), -1):
            earlier = self.slot(index)
            if earlier.at is not None:
                return earlier
        return None

    def slot_for_key(self, key: str) -> Slot | None:
        try:
            day = date.fromisoformat(key)
        except ValueError:
            return None
        days = (day - self.start.date()).days
        if days < 0 or days % self.interval_days:
            return None
        return self.slot(days // self.interval_days)


def schedule_from(settings: Settings) -> Schedule:
    return Schedule(
        start=settings.digest_start.replace(tzinfo=None, microsecond=0),
        interval_days=settings.digest_interval_days,
        tz=settings.tz,
        holiday_mode=settings.digest_holidays,
    )
