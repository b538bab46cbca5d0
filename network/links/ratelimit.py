"""Rate limits for the partner link pages, counted in PostgreSQL so they hold across instances.

Each request counts once per bucket (the client address, the token) in the current minute's
window; a bucket over its limit is refused until the next window. Buckets are keyed hashes:
neither the raw token nor the client's address is stored. The count runs in the request's
transaction (one statement for every bucket).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from network.accounts.tokens import digest, keyed_digest
from network.links import queries
from network.links.tables import LinkRateLimit

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


async def hit(limits: list[tuple[str, int]], now: datetime) -> bool:
    """Count one request in every bucket; False when any bucket is over its limit."""
    window = window_of(now)
    hits = await queries.count_hits([bucket for bucket, _limit in limits], window)
    if 1 in hits:  # a new window: forget the old ones
        await LinkRateLimit.delete().where(LinkRateLimit.window_start < window - KEEP)
    return all(count <= limit for count, (_bucket, limit) in zip(hits, limits, strict=True))
