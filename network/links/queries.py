"""The partner-link queries the query builder cannot say: the rate limit's counting upsert
(every bucket in one statement, each row's count raised in place), and a link with its
referral and what its page says, in one statement. The directory of a handoff is written out
too (a page's part of it, its size and the search's matches in one statement): it is read on
every page of an open referral.
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


# The partners a referral of this partner may be handed to: the other active partners that
# list the barrier's kind. Its values: the referral's partner, the barrier's kind.
DIRECTORY = "partners WHERE active AND id <> {} AND {} = ANY (barrier_kinds)"


async def directory(partner_id: int, barrier_kind: str, patterns: list[str], limit: int
                    ) -> list[dict[str, Any]]:
    """One statement: the directory's partners (`id`, `name`, `kind`), those matching every
    LIKE pattern (in the name, city or postal code) first, then by name, at most `limit`;
    each row with `matched`, its `position` by name, the directory's `size` and how many
    match (`matching`)."""
    return await fetch(
        f"""
        SELECT id, name, kind, matched,
               row_number() OVER (ORDER BY lower(name), id) AS position,
               count(*) OVER () AS size, count(*) FILTER (WHERE matched) OVER () AS matching
        FROM (SELECT id, name, kind, (
                  SELECT coalesce(bool_and(name ILIKE w ESCAPE '\\'
                                           OR coalesce(city, '') ILIKE w ESCAPE '\\'
                                           OR coalesce(postal_code, '') ILIKE w ESCAPE '\\'),
                                  true)
                  FROM unnest({{}}::text[]) AS w) AS matched
              FROM {DIRECTORY}) d
        ORDER BY matched DESC, lower(name), id LIMIT {{}}
        """, patterns, partner_id, barrier_kind, limit)


async def in_directory(partner_id: int, barrier_kind: str, candidate: int) -> bool:
    """Whether `candidate` is in the directory (a handoff's target is checked against it)."""
    rows = await fetch(f"SELECT 1 FROM {DIRECTORY} AND id = {{}}",
                       partner_id, barrier_kind, candidate)
    return bool(rows)
