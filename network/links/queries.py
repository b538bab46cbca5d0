"""The partner-link queries the query builder cannot say: the rate limit's counting upsert
(every bucket in one statement, each row's count raised in place)."""

from __future__ import annotations

from datetime import datetime

from network.links.tables import LinkRateLimit


async def count_hits(buckets: list[str], window: datetime) -> list[int]:
    """Count one request in each bucket's window; the counts after it, in bucket order."""
    rows = await LinkRateLimit.raw(
        """
        INSERT INTO link_rate_limits (bucket, window_start, hits)
        SELECT bucket, {}, 1 FROM unnest({}::text[]) WITH ORDINALITY AS b (bucket, n)
        ORDER BY n
        ON CONFLICT (bucket, window_start)
        DO UPDATE SET hits = link_rate_limits.hits + 1
        RETURNING bucket, hits
        """, window, buckets)
    hits = {row["bucket"]: row["hits"] for row in rows}
    return [hits[bucket] for bucket in buckets]
