"""`EXPLAIN (ANALYZE, BUFFERS)` of the main queries, as the service builds them, on the
benchmark data of a scale (the notes in README.md quote its output).

    uv run python -m bench.explain --scale national
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

import asyncpg

from bench import common

ORDER = "ORDER BY r.updated_at DESC, r.id DESC"


def page(where: str) -> str:
    """The page query of `network.referrals.service.list_referrals` for a filter on
    referrals' own columns."""
    return (f"SELECT r.*, b.kind AS barrier_kind, p.name AS partner_name FROM (SELECT r.*"
            f" FROM referrals r WHERE {where} {ORDER} LIMIT 50 OFFSET 0) r"
            f" JOIN barriers b ON b.id = r.barrier_id JOIN partners p ON p.id = r.partner_id"
            f" {ORDER}")


OPEN_WORK = "r.status = ANY ($1::text[]) AND r.coordinator_id = $2"
QUERIES = {
    "list, coordinator's open work: count": (
        f"SELECT count(*) FROM referrals r WHERE {OPEN_WORK}",
        (["sent", "accepted", "in_progress"], 2)),
    "list, coordinator's open work: page": (
        page(OPEN_WORK), (["sent", "accepted", "in_progress"], 2)),
    "list, all sent: page": (page("r.status = ANY ($1::text[])"), (["sent"],)),
    "list, all sent: count": (
        "SELECT count(*) FROM referrals r WHERE r.status = ANY ($1::text[])", (["sent"],)),
    "list, no filter: page": (page("true"), ()),
    "list, no filter: count": ("SELECT count(*) FROM referrals r WHERE true", ()),
    "mail dispatcher: claim (nothing due)": (
        """
        SELECT id FROM outbox
        WHERE (status = 'queued' AND due_at <= $1) OR (status = 'sending' AND lease_until <= $1)
        ORDER BY due_at, id LIMIT 50 FOR UPDATE SKIP LOCKED
        """, (datetime.now(UTC),)),
}


async def explain(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for name, (sql, args) in QUERIES.items():
            # Run once first: the figures are for a warm cache, as under load.
            await connection.fetch(sql, *args)
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
            print(f"-- {name}")
            for row in rows:
                print(row[0])
            print()
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    asyncio.run(explain(url))


if __name__ == "__main__":
    main()
