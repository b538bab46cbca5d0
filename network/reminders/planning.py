"""Planning: the reminders that no single change starts. Open barriers without an open
referral, open cases (inactivity), active coordinators (the weekly digest) and open referrals
from before reminders existed each get their pending reminder. Idempotent through the unique
keys, so any number of instances may run it."""

from __future__ import annotations

from datetime import datetime

from network.reminders import queries, schedule
from network.reminders.policy import next_weekly_digest
from network.transactions import transaction


async def plan(now: datetime, *, limit: int = 1000) -> int:
    """Give every open situation its pending reminder: barriers without an open referral,
    open cases (inactivity), active coordinators (weekly digest), and open referrals from
    before reminders existed. Idempotent (unique keys); safe on many instances (each walks
    its rows in id order, so two never wait for each other in a circle)."""
    async with transaction():
        found = await queries.unplanned(limit)
        for row in found["barriers"]:
            await schedule.schedule_barrier(row["id"], now)
        for row in found["cases"]:
            await schedule.schedule_case(row["id"], now)
        for row in found["coordinators"]:
            await schedule.schedule_digest(row["id"], next_weekly_digest(now), now)
        for row in found["referrals"]:
            await schedule.next_referral_step(row["id"], row["since"], now)
    return sum(len(rows) for rows in found.values())
