"""Dates and times as the product shows them: Babel in de_DE, on the Berlin wall clock.

    day(value)      "26.11.2026"              (a date, or an instant's date in Berlin)
    moment(value)   "26.11.2026, 14:05 Uhr"   (emails, partner pages)
    clock_time(v)   "26.11.2026, 14:05"       (page tables, where the column says "Zeit")
    month(2026, 10) "Oktober 2026"; short_month(2026, 10) "Okt 26"
    duration(span)  "2 Tage 3 Std."
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date, format_datetime

from network.clock import BERLIN

LOCALE = "de_DE"


def _berlin_date(value: date | datetime) -> date:
    return value.astimezone(BERLIN).date() if isinstance(value, datetime) else value


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_date(_berlin_date(value), "dd.MM.yyyy", locale=LOCALE)


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd.MM.yyyy, HH:mm 'Uhr'", tzinfo=BERLIN, locale=LOCALE)


def clock_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd.MM.yyyy, HH:mm", tzinfo=BERLIN, locale=LOCALE)


def hour(value: datetime) -> str:
    """The Berlin time of day: "14:05"."""
    return format_datetime(value, "HH:mm", tzinfo=BERLIN, locale=LOCALE)


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
