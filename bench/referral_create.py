"""Creating a referral, side by side on the same database: the service function against raw
asyncpg doing the same writes in this process, and `POST /api/v1/referrals` against a bare
Litestar handler doing them, both served by uvicorn.

    uv run python -m bench.referral_create --scale district [--creates 600 --concurrency 8]

"The same writes" (`bench.raw_writes.create_with_same_writes`) is every row the service writes
for a sent referral, hand-written in one transaction, with the barrier locked as the service
locks it: the referral, its event, the audit row, the partner's sealed link, the partner's
email in the outbox, the first reminder, the barrier's "no open referral" reminder cancelled.
The old baseline (the referral and its event only) is still printed, so the change of
baseline stays visible.

Each side gets its own (barrier, partner) pairs with no open referral, so nothing conflicts;
consecutive pairs belong to different clients, so the concurrent workers do not queue on one
client's rows. The rows stay (events are append-only); `bench.generate` resets the data.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import httpx

from bench import common, raw_writes
from bench.accounts import api_token
from network import database
from network.accounts.service import get_user
from network.accounts.sessions import user_from_row
from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.composition import compose
from network.referrals import actions
from network.referrals.service import NewReferral
from network.settings import Settings

RATE_TARGET = 0.60  # issue 18: creating a referral >= 60 % of the same raw writes
OVERRIDE = "benchmark: the partner takes every kind"
NOTE = "Bitte um Termin (benchmark)"
WARM_UP = 17  # one, then two rounds of the default concurrency


async def free_pairs(url: str, count: int, user_id: int) -> list[tuple[int, int, int]]:
    """(barrier, client, partner) triples a new referral may use: open barrier, open case of
    the user's legal circle, active partner, no open referral of the pair. Up to two partners
    per barrier (the second ones after every first one), and within that one barrier of each
    client in turn, so neighbours (which run at the same time) are different clients."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            """
            SELECT barrier_id, client_id, partner_id FROM (
                SELECT b.id AS barrier_id, b.client_id, p.id AS partner_id, p.rank,
                       row_number() OVER (PARTITION BY p.rank, b.client_id ORDER BY b.id)
                           AS turn
                FROM barriers b JOIN clients c ON c.id = b.client_id AND c.status = 'open'
                    AND c.legal_circle = (SELECT legal_circle FROM app_user WHERE id = $2)
                CROSS JOIN LATERAL (
                    SELECT p.id, row_number() OVER (ORDER BY (p.id * 31 + b.id) % 997, p.id)
                               AS rank
                    FROM partners p
                    WHERE p.active AND NOT EXISTS (
                        SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                        AND r.partner_id = p.id
                        AND r.status IN ('draft', 'sent', 'accepted', 'in_progress', 'on_hold'))
                    ORDER BY (p.id * 31 + b.id) % 997, p.id LIMIT 2) p
                WHERE b.status IN ('open', 'in_progress')) pairs
            ORDER BY rank, turn, client_id LIMIT $1
            """, count, user_id)
    finally:
        await connection.close()
    if len(rows) < count:
        raise SystemExit(f"only {len(rows)} free barrier/partner pairs; regenerate the data")
    return [(r["barrier_id"], r["client_id"], r["partner_id"]) for r in rows]


async def raw_side(name: str, url: str, pairs: list[tuple[int, int, int]],
                   concurrency: int, write: Callable[..., Awaitable[object]]
                   ) -> common.Figures:
    """`write(connection, barrier_id, client_id, partner_id)` for each pair, on a pool of
    its own: one of `bench.raw_writes`."""
    pool = await asyncpg.create_pool(url, min_size=concurrency, max_size=concurrency,
                                     server_settings=database.PLANNING)

    async def create(index: int) -> bool:
        async with pool.acquire() as connection:
            await write(connection, *pairs[index])
        return True

    try:
        return await common.run_concurrently(name, create, requests=len(pairs),
                                             concurrency=concurrency)
    finally:
        await pool.close()


async def service_side(url: str, pairs: list[tuple[int, int, int]], user_id: int,
                       concurrency: int, warm_up: list[tuple[int, int, int]]
                       ) -> common.Figures:
    """`warm_up`: pairs created first, not counted: the first create of a process loads the
    email templates and the holiday calendar (seconds on a busy machine), which the
    concurrent first requests would all wait for (the p99 of earlier runs). The first one
    alone, the rest `concurrency` at a time: the pool opens its connections then, as the raw
    side's pool has them open before it starts (it opens them lazily, one per concurrent
    create, each taking some milliseconds on a new server process: the p99 of round four)."""
    await database.start_pool(url, concurrency)
    compose(Settings.from_env(common.app_env(url, concurrency)))  # the emails' subscribers
    coordinator = Actor.of_user(user_from_row(await get_user(user_id)))

    async def create(index: int, chosen: list[tuple[int, int, int]] = pairs) -> bool:
        barrier_id, _, partner_id = chosen[index]
        await actions.create(
            coordinator, SYSTEM_CLOCK,
            NewReferral(barrier_id, partner_id, "sent", note=NOTE, override_reason=OVERRIDE))
        return True

    await create(0, warm_up)
    await common.run_concurrently("warm-up", lambda index: create(index + 1, warm_up),
                                  requests=len(warm_up) - 1, concurrency=concurrency)
    try:
        return await common.run_concurrently("actions.create", create,
                                             requests=len(pairs), concurrency=concurrency)
    finally:
        await database.close_pool()


async def http_side(name: str, base: str, path: str, pairs: list[tuple[int, int, int]],
                    user_id: int, concurrency: int, headers: dict[str, str],
                    warm_up: str = "/") -> common.Figures:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers,
                                 limits=limits) as client:
        await client.get(warm_up)  # lazy loads (the holiday calendar) done
        # then the HTTP connections and the server's database connections up, `concurrency`
        # at a time (the app opens its pool's connections lazily, the bare app at its start)
        async def warm(_index: int) -> bool:
            return (await client.get(warm_up)).status_code == 200

        await common.run_concurrently("warm-up", warm, requests=2 * concurrency,
                                      concurrency=concurrency)

        async def create(index: int) -> bool:
            barrier_id, client_id, partner_id = pairs[index]
            response = await client.post(path, json={
                "barrier_id": barrier_id, "partner_id": partner_id, "status": "sent",
                "note": NOTE, "override_reason": OVERRIDE} if path.startswith("/api") else {
                "barrier_id": barrier_id, "client_id": client_id, "partner_id": partner_id,
                "user_id": user_id, "note": NOTE, "override_reason": OVERRIDE})
            return response.status_code == 201

        return await common.run_concurrently(name, create, requests=len(pairs),
                                             concurrency=concurrency)


async def measure(url: str, creates: int, concurrency: int) -> None:
    user_id = 2  # a generated coordinator
    pairs = await free_pairs(url, 6 * creates + WARM_UP, user_id)
    batches = [pairs[i * creates:(i + 1) * creates] for i in range(6)]
    token = await api_token(url, user_id)
    env = common.app_env(url, concurrency)
    two = await raw_side(
        "raw asyncpg (2 inserts)", url, batches[0], concurrency,
        lambda connection, barrier, client, partner: raw_writes.create_with_two_inserts(
            connection, client, barrier, partner, user_id, NOTE, OVERRIDE))
    raw = await raw_side(
        "raw asyncpg, same writes", url, batches[1], concurrency,
        lambda connection, barrier, _client, partner: raw_writes.create_with_same_writes(
            connection, barrier, partner, user_id, NOTE, OVERRIDE))
    ours = await service_side(url, batches[2], user_id, concurrency, pairs[6 * creates:])
    with common.uvicorn_process("network.app:app_from_environment", common.free_port(), env,
                                factory=True) as app_base, \
         common.uvicorn_process("bench.bare_app:app", common.free_port(), env) as bare_base:
        bare_two = await http_side("bare handler POST (2 inserts)", bare_base,
                                   "/bare/referrals", batches[3], user_id, concurrency, {})
        bare_http = await http_side("bare handler POST, same writes", bare_base,
                                    "/bare/referrals/same-writes", batches[4], user_id,
                                    concurrency, {})
        http = await http_side("POST /api/v1/referrals", app_base, "/api/v1/referrals",
                               batches[5], user_id, concurrency,
                               {"Authorization": f"Bearer {token}"},
                               warm_up="/api/v1/referrals?status=sent&limit=5")
    for figures in (ours, raw, two, http, bare_http, bare_two):
        print(figures.line())
    print(f"service vs raw asyncpg, same writes: "
          f"{common.compare(ours, raw, rate_target=RATE_TARGET, p99_target=None)}")
    print(f"service vs raw asyncpg, 2 inserts (old baseline): "
          f"{common.compare(ours, two, rate_target=RATE_TARGET, p99_target=None)}")
    print(f"HTTP API vs bare handler, same writes: "
          f"{common.compare(http, bare_http, rate_target=RATE_TARGET, p99_target=None)}")
    print(f"HTTP API vs bare handler, 2 inserts (old baseline): "
          f"{common.compare(http, bare_two, rate_target=RATE_TARGET, p99_target=None)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--creates", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    asyncio.run(measure(url, args.creates, args.concurrency))


if __name__ == "__main__":
    main()
