"""Working days in NTT: weekends, Indonesian public holidays and the agency's extra days off.

Deadlines such as "verify within 3 working days" (SP4N-LAPOR) and "60 days" (Perpres 76/2013)
are counted here. With `count_working_days` off, a day is just 24 hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

DAY = timedelta(days=1)


class WorkCalendar:
    def __init__(
        self, zone: ZoneInfo, *, working_days: bool = True, extra_holidays: Iterable[date] = ()
    ) -> None:
        self.zone = zone
        self.working_days = working_days
        self.extra = frozenset(extra_holidays)

    @cached_property
    def _public(self) -> holidays.HolidayBase:
        return holidays.country_holidays("ID")  # years are filled in lazily as asked

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._public and day not in self.extra

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """`start` plus `duration`, where each whole day of it is a working day.

        The time of day is kept: a case received on Friday 10:00 with three working days to
        be acknowledged is due on Wednesday 10:00 (or later, past holidays).
        """
        if not self.working_days or duration < DAY:
            return start + duration
        whole_days, rest = divmod(duration, DAY)
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(whole_days):
            day += DAY
            while not self.is_working_day(day):
                day += DAY
        moved = datetime.combine(day, local.timetz()).replace(tzinfo=self.zone)
        return moved + rest

    def fraction(self, start: datetime, duration: timedelta, share: float) -> datetime:
        """When `share` (e.g. 0.8) of the duration has passed, in the same counting."""
        return self.add(start, duration * share)
