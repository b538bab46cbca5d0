"""The dates the product shows are written out without Babel (network.words.dates): they must
be Babel's de_DE output on the Berlin wall clock, for every kind of value the pages pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from babel.dates import format_date, format_datetime

from network.clock import BERLIN
from network.words import dates

LOCALE = "de_DE"

# Around both changes of the clocks in 2026 (29 March, 25 October), midnight, the turn of the
# year, a year before 1000 (four digits), in other zones, without a zone (read as UTC).
INSTANTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2026, 7, 26, 22, 30, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, tzinfo=BERLIN), datetime(999, 5, 6, 7, 8, tzinfo=UTC),
    datetime(2026, 11, 30, 5, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-9))),
    datetime(2026, 11, 30, 23, 30), datetime(2026, 6, 1, 0, 0),
]


def test_it_writes_days_as_babel_does() -> None:
    for value in [*INSTANTS, date(2026, 3, 1), date(999, 12, 31)]:
        day = value.astimezone(BERLIN).date() if isinstance(value, datetime) else value
        assert dates.day(value) == format_date(day, "dd.MM.yyyy", locale=LOCALE), value


def test_it_writes_moments_and_times_as_babel_does() -> None:
    for value in [*INSTANTS, date(2026, 7, 1)]:  # a day: its midnight in UTC, as in Babel
        def babel(pattern: str, value: date | datetime = value) -> str:
            return format_datetime(value, pattern, tzinfo=BERLIN, locale=LOCALE)

        assert dates.moment(value) == babel("dd.MM.yyyy, HH:mm 'Uhr'"), value
        assert dates.clock_time(value) == babel("dd.MM.yyyy, HH:mm"), value
    for value in INSTANTS:
        assert dates.hour(value) == format_datetime(value, "HH:mm", tzinfo=BERLIN,
                                                    locale=LOCALE), value


def test_nothing_is_written_for_no_value() -> None:
    assert dates.day(None) == dates.moment(None) == dates.clock_time(None) == ""
