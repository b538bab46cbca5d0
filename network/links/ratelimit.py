"""Rate limits for the partner link pages, counted in PostgreSQL so they hold across instances.

Each request counts once per bucket (the client address, the token) in the current minute's
window; a bucket over its limit is refused until the next window. Buckets are keyed hashes:
neither the raw token nor the client's address is stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from network.accounts.tokens import digest, keyed_digest

WINDOW = timedelta(minutes=1)
KEEP = timedelta(minutes=10)
PER_ADDRESS = 120  # requests per minute from one address (an office shares one)
PER_TOKEN = 30  # requests per minute on one link


def buckets(secret_key: str, address: str | None, token: str) -> list[tuple[str, int]]:
    found = [("token:" + digest(token), PER_TOKEN)]
    if address:
        found.append(("address:" + keyed_digest(secret_key, "link-address", address),
                      PER_ADDRESS))
    return found


def window_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


async def hit(connection: asyncpg.Connection, limits: list[tuple[str, int]],
              now: datetime) -> bool:
    """Count one request in every bucket; False when any bucket is over its limit."""
    window = window_of(now)
    allowed = True
    for bucket, limit in limits:
        hits = await connection.fetchval(
            """
            INSERT INTO link_rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
            ON CONFLICT (bucket, window_start)
            DO UPDATE SET hits = link_rate_limits.hits + 1
            RETURNING hits
            """, bucket, window)
        if hits == 1:  # a new window: forget the old ones
            await connection.execute(
                "DELETE FROM link_rate_limits WHERE window_start < $1", window - KEEP)
        allowed = allowed and hits <= limit
    return allowed
