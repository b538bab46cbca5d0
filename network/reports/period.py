"""Which month a report covers, and when the scheduler issues it. Pure: no I/O, no clock.

A report month is a calendar month on the Berlin wall clock; its boundaries as UTC instants
come from `network.reminders.calendar.berlin_month`, so a record at 00:30 Berlin time on the
1st belongs to the month that starts then, whatever the daylight-saving offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from network.errors import RuleViolation
from network.reminders.calendar import (
    BERLIN,
    WorkingCalendar,
    berlin_moment,
    berlin_month,
    require_utc,
)

ISSUE_TIME = time(7, 0)  # the scheduler issues last month's report from 07:00 Berlin time
MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
               "September", "Oktober", "November", "Dezember")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ReportMonth:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "month") -> ReportMonth:
        """`2026-10` -> ReportMonth(2026, 10); anything else is refused naming the field."""
        match = _MONTH.match(text.strip()) if isinstance(text, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise RuleViolation(field, "month_format")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, day: date) -> ReportMonth:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """German, as printed on the report: "Oktober 2026"."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.following().first_day - timedelta(days=1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC."""
        return berlin_month(self.year, self.month)

    def following(self) -> ReportMonth:
        return ReportMonth(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> ReportMonth:
        return ReportMonth(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def trailing(self, count: int) -> list[ReportMonth]:
        """The `count` months ending with this one, oldest first (for the trend)."""
        months = [self]
        while len(months) < count:
            months.append(months[-1].previous())
        return months[::-1]

    @property
    def lock_id(self) -> int:
        """A number per month for advisory locks: yyyymm."""
        return self.year * 100 + self.month


def issue_moment(month: ReportMonth, calendar: WorkingCalendar) -> datetime:
    """When `month`'s report is due: 07:00 Berlin on the first working day of the next month."""
    following = month.following()
    return berlin_moment(calendar.first_working_day(following.year, following.month),
                         ISSUE_TIME)


def due_month(now: datetime, calendar: WorkingCalendar) -> ReportMonth | None:
    """The month whose report the scheduler should have issued by `now`: last month once this
    month's first working day has reached 07:00, else None (the month before last was issued
    at the start of last month)."""
    local = require_utc(now).astimezone(BERLIN)
    last_month = ReportMonth(local.year, local.month).previous()
    return last_month if now >= issue_moment(last_month, calendar) else None


def current_month(now: datetime) -> ReportMonth:
    """The month `now` falls in on the Berlin wall clock."""
    local = require_utc(now).astimezone(BERLIN)
    return ReportMonth(local.year, local.month)


def refuse_future(month: ReportMonth, now: datetime, field: str = "month") -> None:
    """A report covers a month that has begun: a future month has no figures yet."""
    if month > current_month(now):
        raise RuleViolation(field, "month_in_future", month=str(month))


def refuse_unfinished(month: ReportMonth, now: datetime, field: str = "month") -> None:
    """Only a month that is over is issued to the committee (the current one is provisional)."""
    refuse_future(month, now, field)
    if month == current_month(now):
        raise RuleViolation(field, "month_not_over", month=str(month))


def provisional(month: ReportMonth, generated_at: datetime) -> bool:
    """A version built before its month ended: later records of the month are missing."""
    return generated_at < month.bounds()[1]
