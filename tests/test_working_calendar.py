"""Working days in NRW and office hours in Berlin, across holidays and daylight-saving switches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from network.reminders.calendar import (
    BERLIN,
    OfficeHours,
    WorkingCalendar,
    add_calendar_days,
    berlin_moment,
    berlin_month,
)

CAL = WorkingCalendar()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 4, 3), "Good Friday"),
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 6, 4), "Corpus Christi"),
    (date(2027, 11, 1), "All Saints' Day"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 26), "Second Day of Christmas"),
])
def test_it_knows_the_nrw_public_holidays(day: date, name: str) -> None:
    assert CAL.holiday_name(day) == name
    assert not CAL.is_working_day(day)


def test_it_treats_christmas_eve_and_weekdays_as_working_days_and_weekends_not() -> None:
    assert CAL.is_working_day(date(2026, 12, 24))
    assert CAL.is_working_day(date(2026, 11, 26))
    assert not CAL.is_working_day(date(2026, 11, 28))
    assert not CAL.is_working_day(date(2026, 11, 29))


def test_it_honours_extra_closed_days() -> None:
    closed = WorkingCalendar(closed_days=frozenset({date(2026, 12, 24)}))
    assert not closed.is_working_day(date(2026, 12, 24))


def test_it_adds_working_days_over_a_weekend_keeping_the_wall_clock_time() -> None:
    assert CAL.add_working_days(berlin(2026, 11, 27, 10, 0), 3) == berlin(2026, 12, 2, 10, 0)
    assert CAL.add_working_days(berlin(2026, 11, 28, 10, 0), 1) == berlin(2026, 11, 30, 10, 0)
    assert CAL.add_working_days(berlin(2026, 11, 27, 10, 0), 0) == berlin(2026, 11, 27, 10, 0)


def test_it_adds_working_days_across_the_spring_switch() -> None:
    # Friday 27 March 2026, 10:00 CET = 09:00 UTC; Sunday 29 March clocks go forward.
    start = utc(2026, 3, 27, 9, 0)
    assert CAL.add_working_days(start, 3) == utc(2026, 4, 1, 8, 0)  # 10:00 CEST


def test_it_adds_working_days_across_the_autumn_switch() -> None:
    # Friday 23 October 2026, 10:00 CEST = 08:00 UTC; Sunday 25 October clocks go back.
    assert CAL.add_working_days(utc(2026, 10, 23, 8, 0), 1) == utc(2026, 10, 26, 9, 0)


def test_it_skips_good_friday_the_weekend_and_easter_monday() -> None:
    assert CAL.add_working_days(berlin(2026, 4, 2, 10, 0), 1) == berlin(2026, 4, 7, 10, 0)


def test_it_skips_corpus_christi() -> None:
    assert CAL.add_working_days(berlin(2026, 6, 3, 10, 0), 1) == berlin(2026, 6, 5, 10, 0)


def test_it_skips_all_saints_day() -> None:
    assert CAL.add_working_days(berlin(2027, 10, 29, 10, 0), 1) == berlin(2027, 11, 2, 10, 0)


def test_it_skips_christmas() -> None:
    assert CAL.add_working_days(berlin(2026, 12, 24, 10, 0), 1) == berlin(2026, 12, 28, 10, 0)


def test_it_refuses_naive_datetimes_and_negative_days() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_working_days(datetime(2026, 11, 27, 10, 0), 1)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(utc(2026, 11, 27, 10, 0), -1)


@pytest.mark.parametrize(("moment", "expected"), [
    (berlin(2026, 11, 26, 12, 0), berlin(2026, 11, 26, 12, 0)),  # in hours: itself
    (berlin(2026, 11, 26, 7, 59), berlin(2026, 11, 26, 8, 0)),  # before opening
    (berlin(2026, 11, 26, 8, 0), berlin(2026, 11, 26, 8, 0)),  # opening is inside
    (berlin(2026, 11, 27, 16, 0), berlin(2026, 11, 30, 8, 0)),  # closing is outside
    (berlin(2026, 11, 28, 11, 0), berlin(2026, 11, 30, 8, 0)),  # Saturday
    (berlin(2026, 4, 3, 9, 0), berlin(2026, 4, 7, 8, 0)),  # Good Friday -> after Easter
    (berlin(2026, 12, 24, 17, 0), berlin(2026, 12, 28, 8, 0)),  # Christmas
])
def test_it_finds_the_next_office_hours_moment(moment: datetime, expected: datetime) -> None:
    assert CAL.next_office_moment(moment) == expected


def test_it_opens_at_eight_berlin_time_on_both_sides_of_the_spring_switch() -> None:
    assert CAL.next_office_moment(utc(2026, 3, 27, 20, 0)) == utc(2026, 3, 30, 6, 0)
    assert CAL.next_office_moment(utc(2026, 3, 26, 20, 0)) == utc(2026, 3, 27, 7, 0)


def test_it_opens_at_eight_berlin_time_on_both_sides_of_the_autumn_switch() -> None:
    assert CAL.next_office_moment(utc(2026, 10, 23, 20, 0)) == utc(2026, 10, 26, 7, 0)
    assert CAL.next_office_moment(utc(2026, 10, 22, 20, 0)) == utc(2026, 10, 23, 6, 0)


def test_it_uses_configured_office_hours() -> None:
    mornings = WorkingCalendar(office_hours=OfficeHours(time(9, 0), time(12, 0)))
    assert mornings.next_office_moment(berlin(2026, 11, 26, 12, 0)) == berlin(2026, 11, 27, 9, 0)
    assert mornings.next_office_moment(berlin(2026, 11, 26, 8, 30)) == berlin(2026, 11, 26, 9, 0)
    with pytest.raises(ValueError, match="open before"):
        OfficeHours(time(16, 0), time(8, 0))


def test_it_moves_a_wall_clock_time_in_the_spring_gap_past_the_gap() -> None:
    assert berlin_moment(date(2026, 3, 29), time(2, 30)) == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert berlin_moment(date(2026, 10, 25), time(2, 30)) == utc(2026, 10, 25, 0, 30)  # first


def test_it_adds_calendar_days_on_the_wall_clock() -> None:
    assert add_calendar_days(utc(2026, 10, 19, 7, 0), 14) == utc(2026, 11, 2, 8, 0)
    assert add_calendar_days(utc(2026, 3, 20, 9, 0), 14) == utc(2026, 4, 3, 8, 0)


def test_it_counts_working_days_between_two_moments() -> None:
    assert CAL.working_days_between(berlin(2026, 4, 2, 9, 0), berlin(2026, 4, 2, 15, 0)) == 0
    assert CAL.working_days_between(berlin(2026, 4, 2, 9, 0), berlin(2026, 4, 7, 8, 0)) == 1
    assert CAL.working_days_between(berlin(2026, 11, 27, 15, 0), berlin(2026, 11, 30, 8, 0)) == 1
    assert CAL.working_days_between(berlin(2026, 11, 30, 8, 0), berlin(2026, 11, 27, 15, 0)) == -1
    assert CAL.working_days_between(berlin(2026, 12, 21, 9, 0), berlin(2027, 1, 4, 9, 0)) == 8


def test_it_gives_berlin_month_boundaries_in_utc() -> None:
    assert berlin_month(2026, 3) == (utc(2026, 2, 28, 23, 0), utc(2026, 3, 31, 22, 0))
    assert berlin_month(2026, 10) == (utc(2026, 9, 30, 22, 0), utc(2026, 10, 31, 23, 0))
    assert berlin_month(2026, 12) == (utc(2026, 11, 30, 23, 0), utc(2026, 12, 31, 23, 0))


def test_it_finds_the_first_working_day_of_a_month() -> None:
    assert CAL.first_working_day(2026, 1) == date(2026, 1, 2)
    assert CAL.first_working_day(2027, 11) == date(2027, 11, 2)
    assert CAL.first_working_day(2026, 12) == date(2026, 12, 1)


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31),
                       timezones=st.just(UTC))


@given(moment=moments, days=st.integers(min_value=0, max_value=40))
def test_added_working_days_land_on_working_days_after_the_start(moment: datetime,
                                                                 days: int) -> None:
    result = CAL.add_working_days(moment, days)
    assert result.tzinfo is UTC
    assert result >= moment - timedelta(hours=1)  # a spring-gap wall time may shift by the gap
    assert CAL.working_days_between(moment, result) == days
    if days:
        assert CAL.is_working_day(result.astimezone(BERLIN).date())


@given(moment=moments)
def test_the_next_office_moment_is_in_office_hours_and_never_earlier(moment: datetime) -> None:
    result = CAL.next_office_moment(moment)
    assert result >= moment and result.tzinfo is UTC
    assert CAL.is_office_time(result)
    assert result - moment < timedelta(days=6)
