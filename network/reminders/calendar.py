"""Working days and office hours of the Integration Point (NRW, Europe/Berlin).

Partners are reminded "after 3 working days" and only in office hours, and the report counts
working days to a partner's first answer: all of that is asked here. Working days are Monday to
Friday minus the public holidays of North Rhine-Westphalia (the `holidays` library). Arithmetic
happens on Berlin wall-clock dates and times, so daylight-saving switches never shift a reminder
by an hour. Every datetime in and out is timezone-aware UTC; pure, no clock reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from network.clock import BERLIN  # the one Europe/Berlin, re-exported for callers here

MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0


def require_utc(moment: datetime, name: str = "moment") -> datetime:
    """Refuse naive datetimes (a silent local-time guess is how reminders go out at 3 am)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def berlin_moment(day: date, at: time) -> datetime:
    """The UTC instant of a Berlin wall-clock time; a time skipped by the spring switch moves on
    by the gap (02:30 becomes 03:30 CEST), a repeated autumn time takes the first (summer) one."""
    # fold=0 (PEP 495): in the spring gap the pre-switch offset applies, which lands after the
    # gap; in the autumn overlap it picks the first occurrence.
    local = datetime.combine(day, at).replace(tzinfo=BERLIN, fold=0)
    return local.astimezone(UTC)


def add_calendar_days(moment: datetime, days: int) -> datetime:
    """Calendar days on the Berlin wall clock: 10:00 stays 10:00 across a DST switch."""
    local = require_utc(moment).astimezone(BERLIN)
    return berlin_moment(local.date() + timedelta(days=days), local.time().replace(tzinfo=None))


@dataclass(frozen=True)
class OfficeHours:
    """When the Integration Point and its partners work: [opens, closes) on working days."""

    opens: time = time(8, 0)
    closes: time = time(16, 0)

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError(f"office hours must open before they close, got "
                             f"{self.opens}-{self.closes}")


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days in NRW (Mon-Fri minus public holidays, plus any extra closed days)."""

    office_hours: OfficeHours = field(default_factory=OfficeHours)
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    closed_days: frozenset[date] = frozenset()  # e.g. a works outing; not public holidays

    @cached_property
    def _holidays(self) -> Any:  # a holidays.HolidayBase
        import holidays  # on first use: half a second of imports no command start needs

        return holidays.Germany(subdiv="NW")  # expands to any year on lookup

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return (day.weekday() in self.weekdays and day not in self._holidays
                and day not in self.closed_days)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The same Berlin wall-clock time on the `days`-th working day after `moment`'s date.

        Friday 10:00 + 3 -> Wednesday 10:00; a Saturday start counts from Monday as day 1.
        """
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        local = require_utc(moment).astimezone(BERLIN)
        day = local.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return berlin_moment(day, local.time().replace(tzinfo=None))

    def is_office_time(self, moment: datetime) -> bool:
        local = require_utc(moment).astimezone(BERLIN)
        hours = self.office_hours
        return (self.is_working_day(local.date())
                and hours.opens <= local.time().replace(tzinfo=None) < hours.closes)

    def next_office_moment(self, moment: datetime) -> datetime:
        """`moment` itself when it falls in office hours, else the next opening (in UTC)."""
        moment = require_utc(moment)
        if self.is_office_time(moment):
            return moment
        local = moment.astimezone(BERLIN)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.office_hours.opens):
            day = self.next_working_day(day)
        return berlin_moment(day, self.office_hours.opens)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days from `start` to `end` (Berlin dates): the working days after
        start's date up to and including end's date. Same day -> 0; Friday -> Monday -> 1."""
        first = require_utc(start, "start").astimezone(BERLIN).date()
        last = require_utc(end, "end").astimezone(BERLIN).date()
        if last < first:
            return -self.working_days_between(end, start)
        count, day = 0, first
        while True:
            day = self.next_working_day(day)
            if day > last:
                return count
            count += 1

    def first_working_day(self, year: int, month: int) -> date:
        day = date(year, month, 1)
        return day if self.is_working_day(day) else self.next_working_day(day)


def berlin_month(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a calendar month in Berlin, as UTC instants (for monthly figures)."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return berlin_moment(date(year, month, 1), time()), berlin_moment(following, time())
