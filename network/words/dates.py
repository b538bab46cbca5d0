"""Dates and times as the product shows them: de_DE, on the Berlin wall clock.

    day(value)      "26.11.2026"              (a date, or an instant's date in Berlin)
    moment(value)   "26.11.2026, 14:05 Uhr"   (emails, partner pages)
    clock_time(v)   "26.11.2026, 14:05"       (page tables, where the column says "Zeit")
    month(2026, 10) "Oktober 2026"; short_month(2026, 10) "Okt 26"
    duration(span)  "2 Tage 3 Std."

The numeric patterns (dd.MM.yyyy, HH:mm) need no locale data: they are written out here,
five times faster than Babel's format_datetime (which looks up the locale and builds a
formatter on every call; a list page formats 25-50 dates). They give Babel's output for
Babel's input (an instant without a zone counts as UTC), which tests/test_dates.py checks
against Babel itself; month names come from Babel.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date

from network.clock import BERLIN

LOCALE = "de_DE"


def _wall_clock(value: date | datetime) -> datetime:
    """The Berlin wall clock of an instant, read as Babel's format_datetime reads it: one
    without a zone is UTC, a day is its midnight UTC (so its date is the day itself)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(BERLIN)


def _digits(value: date) -> str:
    """dd.MM.yyyy"""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _hours_minutes(value: datetime) -> str:
    """HH:mm"""
    return f"{value.hour:02d}:{value.minute:02d}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return _digits(_wall_clock(value).date())


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return clock_time(value) + " Uhr"


def clock_time(value: datetime | None) -> str:
    if value is None:
        return ""
    wall = _wall_clock(value)
    return f"{_digits(wall)}, {_hours_minutes(wall)}"


def hour(value: datetime) -> str:
    """The Berlin time of day: "14:05"."""
    return _hours_minutes(_wall_clock(value))


def month_name(number: int) -> str:
    """ "Oktober" for 10."""
    return format_date(date(2000, number, 1), "LLLL", locale=LOCALE)


def month(year: int, number: int) -> str:
    """As the report names its month: "Oktober 2026"."""
    return f"{month_name(number)} {year}"


def short_month(year: int, number: int) -> str:
    """As the report's trend axis names a month: "Okt 26", "Mär 26"."""
    return f"{month_name(number)[:3]} {year % 100:02d}"


def duration(span: timedelta | None) -> str:
    """A span as a German reader says it: "2 Tage 3 Std.", "5 Std. 20 Min.", "12 Min."."""
    if span is None:
        return "–"
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} {'Tag' if days == 1 else 'Tage'}" + (f" {hours} Std." if hours else "")
    if hours:
        return f"{hours} Std." + (f" {minutes} Min." if minutes else "")
    return f"{minutes} Min." if minutes else "unter 1 Min."
