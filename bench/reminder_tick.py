"""6. A reminder tick with 1,000,000 pending reminders of which 1,000 are due.

Loads one pending reminder per referral (the unique index allows one pending step per
referral; national scale has 1,000,000 referrals; like the service's, they name no
coordinator: that is the weekly digest's column), server-side with one INSERT ... SELECT
(faster than COPY through the client for rows derived from the referrals). 1,000 of them,
on `sent` referrals, are due; the rest are due within the next 60 days. Then ticks with the
service's `tick_batch` until nothing is due and prints per batch: time, rows read and
written from `pg_stat_user_tables` (reminders), and EXPLAIN (ANALYZE, BUFFERS) of the claim
query before the tick. The claim must read the due rows only, not the pending ones.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime

import asyncpg

from bench import common
from network import database
from network.reminders import service
from network.settings import Settings

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday in office hours
CLAIM = ("SELECT * FROM reminders WHERE status = 'pending' AND due_at <= $1"
         " ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED")

LOAD = """
INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id, coordinator_id,
                       sequence, epoch, due_at, created_at)
SELECT CASE WHEN r.status IN ('accepted', 'in_progress') THEN 'outcome_follow_up'
            WHEN r.status = 'on_hold' THEN 'hold_check' ELSE 'no_answer' END,
       CASE WHEN r.status = 'sent' THEN 'partner' ELSE 'coordinator' END,
       r.id, r.barrier_id, r.client_id, NULL, 1,
       coalesce(r.sent_at, r.created_at),
       CASE WHEN due.id IS NOT NULL
            THEN $1::timestamptz - (r.id % 1440) * interval '1 minute'
            ELSE $1::timestamptz + interval '1 hour' + (r.id % 86400) * interval '1 minute' END,
       r.created_at
FROM referrals r
LEFT JOIN (SELECT id FROM referrals WHERE status = 'sent' ORDER BY id LIMIT $2) due
    ON due.id = r.id
WHERE $3 OR due.id IS NOT NULL
"""

STATS = ("SELECT seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd"
         " FROM pg_stat_user_tables WHERE relname = 'reminders'")


async def load(url: str, due: int, all_referrals: bool) -> int:
    connection = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        await connection.execute("TRUNCATE reminders")
        await connection.execute("DELETE FROM outbox WHERE dedupe_key LIKE 'reminder:%'")
        await connection.execute(LOAD, NOW, due, all_referrals)
        await connection.execute("VACUUM (ANALYZE) reminders")
        pending = await connection.fetchval(
            "SELECT count(*) FROM reminders WHERE status = 'pending'")
        print(f"loaded {pending:,} pending reminders ({due:,} due) in "
              f"{time.perf_counter() - started:.1f} s")
        return pending
    finally:
        await connection.close()


async def stats(connection: asyncpg.Connection) -> dict[str, int]:
    await asyncio.sleep(0.6)  # the stats collector reports at most every 500 ms
    await connection.execute("SELECT pg_stat_clear_snapshot()")
    row = await connection.fetchrow(STATS)
    return dict(row)


async def explain_claim(connection: asyncpg.Connection, batch: int) -> str:
    async with connection.transaction():  # the row locks end with it; nothing is written
        rows = await connection.fetch("EXPLAIN (ANALYZE, BUFFERS) " + CLAIM, NOW, batch)
    return "\n".join(r[0] for r in rows)


async def measure(url: str, batch: int) -> None:
    settings = Settings.from_env(common.app_env(url, 4))
    probe = await asyncpg.connect(url)
    await database.start_pool(url, 4)
    try:
        print("EXPLAIN (ANALYZE, BUFFERS) of the claim, 1M pending:")
        print(await explain_claim(probe, batch))
        before = await stats(probe)
        times: list[float] = []
        statements: list[int] = []
        total = service.TickResult()
        while True:
            with common.recorded_statements() as sent:
                started = time.perf_counter()
                result = await service.tick_batch(settings, NOW, batch_size=batch)
                elapsed = time.perf_counter() - started
            statements.append(len(sent))
            if result.sent + result.cancelled + result.failed + result.deferred == 0:
                break
            times.append(elapsed)
            total.add(result)
        after = await stats(probe)
        print(f"\n{len(times)} batches of up to {batch}: sent {total.sent}, cancelled "
              f"{total.cancelled}, deferred {total.deferred}, failed {total.failed}")
        ordered = sorted(times)
        print(f"per batch: median {ordered[len(ordered) // 2] * 1000:.0f} ms, max "
              f"{ordered[-1] * 1000:.0f} ms; per reminder "
              f"{sum(times) / max(1, total.sent + total.cancelled) * 1000:.2f} ms; "
              f"all {sum(times) * 1000:.0f} ms; statements per reminder "
              f"{sum(statements) / max(1, total.sent + total.cancelled):.1f}")
        delta = {key: after[key] - before[key] for key in before}
        print(f"reminders table, whole tick: {delta}")
        started = time.perf_counter()
        await service.tick_batch(settings, NOW, batch_size=batch)
        print(f"an empty tick (nothing due, 1M pending): "
              f"{(time.perf_counter() - started) * 1000:.2f} ms")
    finally:
        await database.close_pool()
        await probe.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common.scale_argument(parser)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--only-due", action="store_true",
                        help="load the due reminders only (to compare: does the 1M matter?)")
    parser.add_argument("--batch", type=int, default=service.BATCH_SIZE)
    parser.set_defaults(scale="national")
    args = parser.parse_args()

    async def run() -> None:
        url = await common.prepare_database(args.database_url, args.scale)
        if not await load(url, args.due, not args.only_due):
            raise SystemExit(f"no referrals to remind about at {args.scale} scale: run"
                             f" `python -m bench.generate --scale {args.scale}` first")
        await measure(url, args.batch)

    asyncio.run(run())


if __name__ == "__main__":
    main()
