"""Two changes that wait for each other: PostgreSQL breaks the deadlock by rolling one back
whole. That one answers 409 (nothing was saved, try again), never 500; the other goes on."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.support.app import MakeUser
from tests.support.polling import until
from tests.support.referral_world import make_world

BASE = "/api/v1/referrals"


async def test_a_change_rolled_back_by_a_deadlock_answers_409_and_leaves_nothing_half_written(
        client: httpx.AsyncClient, db: str, make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    created = await client.post(BASE, headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    referral = created.json()

    other = await asyncpg.connect(db)  # another change: the case first, then the referral
    try:
        # this side waits longer before it looks for a deadlock, so the service's side is
        # the one PostgreSQL rolls back
        await other.execute("SET deadlock_timeout = '20s'")
        other_change = other.transaction()
        await other_change.start()
        await other.execute("SELECT 1 FROM clients WHERE id = $1 FOR UPDATE", world.client_id)
        answer = asyncio.ensure_future(client.post(
            f"{BASE}/{referral['id']}/transitions", headers=coordinator.headers,
            json={"status": "cancelled", "version": referral["version"],
                  "reason_text": "doppelt angelegt"}))

        async def service_waits_for_the_case() -> bool:  # it holds the referral by then
            return bool(await other.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND pid <> pg_backend_pid() AND datname = current_database()"))

        await until(service_waits_for_the_case)
        await other.execute("SELECT 1 FROM referrals WHERE id = $1 FOR UPDATE", referral["id"])
        refused = await answer
        await other_change.commit()
    finally:
        await other.close()

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"]
    assert refused.json()["errors"][0]["field"] == "request"
    shown = (await client.get(f"{BASE}/{referral['id']}", headers=coordinator.headers)).json()
    assert shown["status"] == "sent" and shown["version"] == referral["version"]
