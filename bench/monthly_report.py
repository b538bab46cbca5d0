"""5. The monthly report against its raw aggregate SQL run alone.

`gather` (every section's figures in one REPEATABLE READ snapshot, no PDF; its queries two at
a time on two connections sharing the snapshot) and the full build (`gather` + `render`: PDF
and CSV zip) against the very statements `gather` sends, recorded once and replayed one after
the other on a bare asyncpg connection in the same kind of transaction. The rounds
alternate the sides so load from other processes hits both; the best and the median round
are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bench import common
from network import database
from network.reports import service
from network.reports.period import ReportMonth
from network.settings import Settings

MONTH = ReportMonth.parse("2026-10")  # the generator's data ends in November 2026


async def record_statements(settings: Settings) -> list[tuple[str, str, tuple[Any, ...]]]:
    """Run `gather` once and keep the SQL it sends."""
    with common.recorded_statements() as seen:
        await service.gather(settings, MONTH)
    # the sections' queries and the snapshot's settings, one after the other on one
    # connection (the raw side opens its own REPEATABLE READ transaction): not BEGIN/COMMIT,
    # not the pool's reset, not the sharing of the snapshot with gather's second connection
    return [s for s in seen if s[1].lstrip().upper().startswith(("WITH", "SELECT", "SET"))
            and not any(skip in s[1] for skip in (
                "pg_advisory_unlock_all", "pg_export_snapshot", "SET TRANSACTION SNAPSHOT"))]


async def raw(connection: asyncpg.Connection, statements: list[tuple[str, str, tuple]]
              ) -> None:
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        for name, query, args in statements:
            await getattr(connection, name)(query, *args)


async def timed(call: Any) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def write_plans(connection: asyncpg.Connection,
                      statements: list[tuple[str, str, tuple]], path: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query, in the report's kind of transaction."""
    lines = ["-- The monthly report's queries (bench.monthly_report --explain), each in the",
             "-- report's kind of transaction on one connection; times are of a loaded machine",
             "-- (compare plans and buffers, not milliseconds).", ""]
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        for _name, query, args in statements:
            if query.lstrip().upper().startswith("SET"):
                await connection.execute(query)
                continue
            plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
            lines += [f"== {' '.join(query.split())[:90]}", *(row[0] for row in plan), ""]
    await asyncio.to_thread(Path(path).write_text, "\n".join(lines), encoding="utf-8")


async def measure(url: str, rounds: int, explain_to: str | None = None) -> None:
    settings = Settings.from_env(common.app_env(url, 2))
    await database.start_pool(url, 2)
    # the service's session settings (no JIT), so both sides run the same plans
    connection = await asyncpg.connect(url, server_settings=database.PLANNING)
    try:
        statements = await record_statements(settings)
        print(f"report {MONTH}: {len(statements)} statements; referrals in the database: "
              f"{await connection.fetchval('SELECT count(*) FROM referrals'):,}")
        sides: dict[str, list[float]] = {"gather (no PDF)": [], "raw SQL alone": [],
                                         "full build (PDF + CSV + page)": []}

        renders: list[float] = []

        async def full() -> None:
            report = await service.gather(settings, MONTH)
            started = time.perf_counter()
            service.render(report, 1, datetime.now(UTC), MONTH)
            renders.append(time.perf_counter() - started)

        for _ in range(rounds):
            sides["raw SQL alone"].append(await timed(lambda: raw(connection, statements)))
            sides["gather (no PDF)"].append(
                await timed(lambda: service.gather(settings, MONTH)))
            sides["full build (PDF + CSV + page)"].append(await timed(full))
        sides["of which the render"] = renders
        for name, times in sides.items():
            print(f"{name:24} best {min(times) * 1000:8.1f} ms  median "
                  f"{statistics.median(times) * 1000:8.1f} ms  (n={len(times)})")
        base = min(sides["raw SQL alone"])
        for name in ("gather (no PDF)", "full build (PDF + CSV + page)"):
            print(f"{name}: {min(sides[name]) / base:.2f}x the raw SQL (target <= 1.5x, "
                  f"and < 2 s over 1M referrals)")
        if explain_to is not None:
            await write_plans(connection, statements, explain_to)
        print("\nper statement, raw (ms), in the same kind of transaction:")
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            for name, query, args in statements:
                started = time.perf_counter()
                await getattr(connection, name)(query, *args)
                first = " ".join(query.split())[:90]
                print(f"  {(time.perf_counter() - started) * 1000:8.1f}  {first}")
    finally:
        await connection.close()
        await database.close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common.scale_argument(parser)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", metavar="FILE",
                        help="write each query's EXPLAIN (ANALYZE, BUFFERS) to FILE")
    args = parser.parse_args()

    async def run() -> None:
        url = await common.prepare_database(args.database_url, args.scale)
        await measure(url, args.rounds, args.explain)

    asyncio.run(run())


if __name__ == "__main__":
    main()
