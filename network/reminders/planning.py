"""Planning: the reminders that no single change starts. Open barriers without an open
referral, open cases (inactivity), active coordinators (the weekly digest) and open referrals
from before reminders existed each get their pending reminder. Idempotent through the unique
keys, so any number of instances may run it."""

from __future__ import annotations

from datetime import datetime

from network.reminders import schedule
from network.reminders.policy import next_weekly_digest
from network.transactions import transaction


async def plan(now: datetime, *, limit: int = 1000) -> int:
    """Give every open situation its pending reminder: barriers without an open referral,
    open cases (inactivity), active coordinators (weekly digest), and open referrals from
    before reminders existed. Idempotent (unique keys); safe on many instances (each walks
    its rows in id order, so two never wait for each other in a circle)."""
    planned = 0
    async with transaction() as connection:
        barriers = await connection.fetch(
            f"""
            SELECT b.id FROM barriers b JOIN clients c ON c.id = b.client_id
            WHERE b.status IN ('open', 'in_progress') AND c.status = 'open'
              AND c.pseudonymised_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                              AND r.status IN ({schedule.OPEN_SQL}))
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.barrier_id = b.id
                              AND m.kind = 'barrier_uncovered' AND m.status = 'pending')
            ORDER BY b.id LIMIT $1
            """, limit)
        for row in barriers:
            await schedule.schedule_barrier(connection, row["id"], now)
        cases = await connection.fetch(
            """
            SELECT c.id FROM clients c WHERE c.status = 'open' AND c.pseudonymised_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.client_id = c.id
                              AND m.kind = 'case_inactive' AND m.status = 'pending')
            ORDER BY c.id LIMIT $1
            """, limit)
        for row in cases:
            await schedule.schedule_case(connection, row["id"], now)
        coordinators = await connection.fetch(
            """
            SELECT u.id FROM app_user u WHERE u.active AND u.role = 'coordinator'
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.coordinator_id = u.id
                              AND m.kind = 'weekly_digest' AND m.status = 'pending')
            ORDER BY u.id LIMIT $1
            """, limit)
        for row in coordinators:
            await schedule.schedule_digest(connection, row["id"], next_weekly_digest(now), now)
        unplanned = await connection.fetch(
            """
            SELECT r.id, r.barrier_id, r.client_id, r.status,
                (SELECT max(at) FROM referral_events e WHERE e.referral_id = r.id
                 AND e.to_status = r.status AND e.from_status IS DISTINCT FROM e.to_status)
                AS since
            FROM referrals r
            WHERE r.status IN ('sent', 'accepted', 'in_progress', 'on_hold')
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.referral_id = r.id)
            ORDER BY r.id LIMIT $1
            """, limit)
        for row in unplanned:
            await schedule.next_referral_step(connection, row["id"], row["since"], now)
        planned = len(barriers) + len(cases) + len(coordinators) + len(unplanned)
    return planned
