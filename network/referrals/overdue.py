"""When a sent referral counts as overdue: no answer for more than 3 working days (NRW).

`is_overdue` is the definition; `OverdueWindow` states the same rule as date and time bounds
on the Berlin wall clock, so that a list query can filter and paginate in SQL. Pure: the
clock comes in as `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from network.reminders.calendar import BERLIN, WorkingCalendar, require_utc
from network.reminders.policy import NRW

ANSWER_WORKING_DAYS = 3


def is_overdue(sent_at: datetime, now: datetime, *, calendar: WorkingCalendar = NRW,
               days: int = ANSWER_WORKING_DAYS) -> bool:
    """A referral sent at `sent_at` and still unanswered is overdue at `now`."""
    return calendar.add_working_days(sent_at, days) < require_utc(now, "now")


@dataclass(frozen=True)
class OverdueWindow:
    """Sent on or before `all_before_or_on` (Berlin date): overdue whatever the hour. Sent on
    a date after that up to `same_hour_until`: overdue when sent before `hour` (Berlin)."""

    all_before_or_on: date
    same_hour_until: date
    hour: time

    def contains(self, sent_at: datetime) -> bool:
        local = require_utc(sent_at, "sent_at").astimezone(BERLIN)
        day = local.date()
        return day <= self.all_before_or_on or (
            day <= self.same_hour_until and local.time().replace(tzinfo=None) < self.hour)


def overdue_window(now: datetime, *, calendar: WorkingCalendar = NRW,
                   days: int = ANSWER_WORKING_DAYS) -> OverdueWindow:
    local = require_utc(now, "now").astimezone(BERLIN)
    today = local.date()

    def answer_day(sent: date) -> date:
        for _ in range(days):
            sent = calendar.next_working_day(sent)
        return sent

    # answer_day never decreases as the sent date grows: walk back to each boundary.
    early = today
    while answer_day(early) >= today:
        early -= timedelta(days=1)
    late = today
    while answer_day(late) > today:
        late -= timedelta(days=1)
    return OverdueWindow(early, late, local.time().replace(tzinfo=None))
