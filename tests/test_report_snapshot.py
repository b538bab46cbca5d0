"""The report reads on two connections at once and still counts from one snapshot: a row
written after the snapshot was taken is seen by neither; with a pool of one it reads on one.
The first answers' medians, counted in Python from dates, agree with the calendar's own rule
and with SQL's percentile_cont."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, time, timedelta

import asyncpg

from network import database
from network.reminders.calendar import berlin_moment
from network.reminders.policy import NRW
from network.reports import queries
from network.reports.sections.referrals import answer_medians, middle, working_day_counter
from network.transactions import transaction

COUNT = "SELECT count(*) FROM partners"
ADDED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


async def add_partner(db: str, name: str) -> None:
    connection = await asyncpg.connect(db)
    try:
        await connection.execute(
            "INSERT INTO partners (name, kind, created_at, updated_at)"
            " VALUES ($1, 'other', $2, $2)", name, ADDED)
    finally:
        await connection.close()


async def test_both_connections_read_the_snapshot_taken_first(pool):
    await add_partner(pool, "before")
    async with transaction() as main, queries.snapshot():
        lanes = queries._LANES.get()
        assert lanes is not None and lanes.qsize() == 2  # a second connection was spared
        await add_partner(pool, "after")  # committed once the snapshot is taken
        seen = set()
        for _ in range(2):  # each lane in turn: the queue hands out the free one
            async with queries._lane() as connection:
                seen.add((connection is main, await connection.fetchval(COUNT)))
        assert seen == {(True, 1), (False, 1)}
    async with transaction() as later:
        assert await later.fetchval(COUNT) == 2


async def test_a_pool_of_one_reads_on_the_transaction_alone(db):
    await database.start_pool(db, 1)
    try:
        async with transaction() as main, queries.snapshot():
            lanes = queries._LANES.get()
            assert lanes is not None and lanes.qsize() == 1
            assert await queries.value(COUNT) == 0
            async with queries._lane() as connection:
                assert connection is main
    finally:
        await database.close_pool()


def test_working_days_from_the_counter_are_the_calendars():
    first, last = date(2026, 9, 20), date(2026, 11, 10)  # 3 October, 1 November: holidays
    counter = working_day_counter(first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for start in days[::3]:
        for end in days[::4]:
            if end >= start:
                assert counter[end] - counter[start] == NRW.working_days_between(
                    berlin_moment(start, time(9)), berlin_moment(end, time(17))), (start, end)


def test_the_middle_of_counted_values_is_the_median_of_the_values():
    for counts in ({3: 1}, {1: 1, 4: 1}, {0: 2, 5: 1, 9: 3}, {2: 4, 7: 4}, {1: 5, 2: 1, 8: 2}):
        values = [value for value, n in counts.items() for _ in range(n)]
        assert middle(counts) == statistics.median(values), counts


def test_answer_medians_per_kind_and_over_all():
    rows = [{"kind": "school", "sent_on": date(2026, 10, 1), "answered_on": date(2026, 10, 5),
             "n": 2},  # Thursday -> Monday, Saturday and Sunday between: 2 working days
            {"kind": "school", "sent_on": date(2026, 10, 2), "answered_on": date(2026, 10, 5),
             "n": 1},  # Friday -> Monday over 3 October (a Saturday this year): 1
            {"kind": "other", "sent_on": date(2026, 10, 5), "answered_on": date(2026, 10, 12),
             "n": 1}]  # a week: 5
    found = {row["kind"]: row for row in answer_medians(rows)}
    assert found["school"] == {"kind": "school", "overall": False, "median_days": 2.0,
                               "cases": 3}
    assert found["other"]["median_days"] == 5.0
    assert found[None] == {"kind": None, "overall": True, "median_days": 2.0, "cases": 4}
    assert answer_medians([]) == []
