"""The benchmarks' data generator loads valid, realistic data (correctness only: no timing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg

from bench.generate import OPEN, PATHS, SCALES, load
from network.referrals import service
from network.referrals.service import NewReferral, ReferralFilter
from tests.support import referral_world as acting
from tests.support.factories import SYSTEM_ACTOR

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TINY = SCALES["tiny"]


async def test_it_loads_the_counts_of_its_scale(pool: str) -> None:
    loaded = await load(pool, TINY, seed=7, now=NOW)
    assert loaded.rows["partners"] == TINY.partners
    assert loaded.rows["clients"] == TINY.clients
    assert loaded.rows["referrals"] == TINY.referrals
    connection = await asyncpg.connect(pool)
    try:
        for table in ("app_user", "partners", "clients", "barriers", "referrals",
                      "referral_events"):
            assert await connection.fetchval(f"SELECT count(*) FROM {table}") == \
                loaded.rows[table]
        events = await connection.fetchval(
            "SELECT count(*) FROM referrals r WHERE (SELECT count(*) FROM referral_events e"
            " WHERE e.referral_id = r.id) <> r.version")
        assert events == 0  # one event per step, the version counts them
    finally:
        await connection.close()


async def test_its_statuses_and_dates_are_realistic_and_consistent(pool: str) -> None:
    await load(pool, TINY, seed=7, now=NOW)
    connection = await asyncpg.connect(pool)
    try:
        rows = await connection.fetch("SELECT * FROM referrals")
        last_events = {r["referral_id"]: r["to_status"] for r in await connection.fetch(
            "SELECT DISTINCT ON (referral_id) referral_id, to_status FROM referral_events"
            " ORDER BY referral_id, at DESC, id DESC")}
    finally:
        await connection.close()
    statuses = {row["status"] for row in rows}
    assert statuses <= set(PATHS)
    assert {"completed", "sent"} <= statuses
    closed = [row for row in rows if row["status"] not in OPEN]
    assert len(closed) > len(rows) / 2  # most referrals are closed
    for row in rows:
        assert last_events[row["id"]] == row["status"]
        assert NOW - timedelta(days=731) <= row["created_at"] <= row["updated_at"] <= NOW
        assert (row["closed_at"] is None) == (row["status"] in OPEN)


async def test_it_is_deterministic_and_the_service_works_on_its_data(pool: str) -> None:
    await load(pool, TINY, seed=3, now=NOW)
    first = await service.list_referrals(SYSTEM_ACTOR, ReferralFilter(status=("sent",)), limit=200)
    await load(pool, TINY, seed=3, now=NOW)
    again = await service.list_referrals(SYSTEM_ACTOR, ReferralFilter(status=("sent",)), limit=200)
    assert first == again and first.total > 0
    # Sequences moved past the loaded ids: the service adds a referral to the loaded world.
    connection = await asyncpg.connect(pool)
    try:
        barrier_id, partner_id = await connection.fetchrow(
            "SELECT b.id, p.id FROM barriers b JOIN clients c ON c.id = b.client_id,"
            " partners p WHERE c.status = 'open' AND b.status = 'open' AND p.active"
            " AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id"
            " AND r.partner_id = p.id) ORDER BY b.id, p.id LIMIT 1")
    finally:
        await connection.close()
    created = await acting.create_referral(
        NewReferral(barrier_id, partner_id, "sent", override_reason="test"), 2)
    assert created.referral.id == TINY.referrals + 1
