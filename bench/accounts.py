"""Credentials for benchmark requests: an API token for a generated coordinator."""

from __future__ import annotations

import asyncpg

from network.accounts.tokens import digest, new_api_token


async def busiest_coordinator(url: str) -> int:
    """The coordinator with the most open referrals: the heaviest realistic work list."""
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(
            "SELECT coordinator_id FROM referrals WHERE status IN ('sent', 'accepted',"
            " 'in_progress') GROUP BY coordinator_id ORDER BY count(*) DESC, coordinator_id"
            " LIMIT 1")
    finally:
        await connection.close()


async def api_token(url: str, user_id: int) -> str:
    """A fresh API token for `user_id`; only its hash is stored, as the service does."""
    raw = new_api_token()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO api_token (user_id, name, token_hash) VALUES ($1, 'benchmark', $2)",
            user_id, digest(raw))
    finally:
        await connection.close()
    return raw
