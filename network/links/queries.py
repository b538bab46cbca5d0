"""The partner-link queries the query builder cannot say: the rate limit's counting upsert
(every bucket in one statement, each row's count raised in place), and a link with its
referral and what its page says, in one statement. The directory of a handoff is written out
too: the query builder spent ~2 ms of CPU building it, on every page of an open referral.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from network.referrals.emails import FACTS_COLUMNS, FACTS_JOINS
from network.transactions import fetch


async def count_hits(buckets: list[str], window: datetime) -> list[int]:
    """Count one request in each bucket's window; the counts after it, in bucket order."""
    rows = await fetch(
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


async def link_with_referral(token_hash: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The link of this token hash and its referral, in one statement: the link's row (`id`,
    `referral_id`, `partner_id`, `expires_at`) and the referral's (its columns with its
    barrier's kind and its partner's name, as `referrals.service.load` gives them, and what
    its page may say: `referrals.emails.FACTS_COLUMNS`). None: no such link."""
    rows = await fetch(
        f"""
        SELECT pl.id AS link_id, pl.partner_id AS link_partner_id,
               pl.expires_at AS link_expires, r.*, {FACTS_COLUMNS}
        FROM partner_links pl JOIN referrals r ON r.id = pl.referral_id {FACTS_JOINS}
        WHERE pl.token_hash = {{}}
        """, token_hash)
    if not rows:
        return None
    row = rows[0]
    link = {"id": row["link_id"], "referral_id": row["id"], "partner_id": row["link_partner_id"],
            "expires_at": row["link_expires"]}
    return link, row


async def directory(partner_id: int, barrier_kind: str) -> list[dict[str, Any]]:
    """The other active partners that list the barrier's kind (`id`, `name`, `kind`), by
    name."""
    return await fetch(
        "SELECT id, name, kind FROM partners WHERE active AND id <> {}"
        " AND {} = ANY (barrier_kinds) ORDER BY lower(name)", partner_id, barrier_kind)
