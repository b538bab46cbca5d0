"""When a partner's directory entry counts as stale, and when a capacity pause may end: pure
calendar rules, no I/O.

An entry is stale when it was not confirmed for six calendar months (on the Berlin wall
clock: confirmed on 15 March, stale from 15 September; confirmed on 31 August, stale from
1 March), or never. A pause ends at the latest a year from today."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from network.clock import BERLIN

STALE_AFTER_MONTHS = 6
LONGEST_PAUSE_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it has none)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def today(now: datetime) -> date:
    return now.astimezone(BERLIN).date()


def is_stale(confirmed_at: datetime | None, now: datetime) -> bool:
    """Not confirmed within the last six calendar months (Berlin days), or never."""
    if confirmed_at is None:
        return True
    return today(confirmed_at) <= months_before(today(now), STALE_AFTER_MONTHS)


def latest_pause_end(now: datetime) -> date:
    return months_after(today(now), LONGEST_PAUSE_MONTHS)


def is_paused(paused_until: date | None, now: datetime) -> bool:
    """No new clients through `paused_until` (inclusive)."""
    return paused_until is not None and paused_until >= today(now)
