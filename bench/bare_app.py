"""The bare minimum for the referral list and for creating a referral: Litestar + an asyncpg
pool running the same SQL the service builds for the benchmark's filter, rows straight to
JSON. No authentication, validation or domain objects: what is left when every layer is
taken away.

The list, two ways: the old baseline of its two reads, and the same work as the service's
(the caller's API token looked up with its owner, the page read within the owner's legal
circle, the read audited, in one transaction), hand-written.

Creating a referral, two ways: the old baseline of two inserts (the referral and its event),
and every write the service makes (`bench.raw_writes.create_with_same_writes`).

Served by `bench.referrals_list` with uvicorn (`bench.bare_app:app`, DATABASE_URL from the
environment).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
from litestar import Litestar, Request, get, post

from bench.raw_writes import create_with_same_writes, create_with_two_inserts
from network.database import PLANNING

# Copied from what network.referrals.service.list_referrals builds for the filter
# (status, coordinator_id).
WHERE = " WHERE r.status = ANY ($1::text[]) AND r.coordinator_id = $2"
COUNT_SQL = "SELECT count(*) FROM referrals r" + WHERE
ORDER = " ORDER BY r.updated_at DESC, r.id DESC"
PAGE_SQL = ("SELECT r.*, b.kind AS barrier_kind, p.name AS partner_name FROM (SELECT r.*"
            " FROM referrals r" + WHERE + ORDER + " LIMIT 50 OFFSET 0) r"
            " JOIN barriers b ON b.id = r.barrier_id JOIN partners p ON p.id = r.partner_id"
            + ORDER)


# The same work as the service's list (the statements it sends, written out).
TOKEN_SQL = """
    SELECT t.id, u.id AS user_id, u.legal_circle FROM api_token t
    JOIN app_user u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"""
SCOPED = (" JOIN clients c ON c.id = r.client_id WHERE c.legal_circle = ANY ($3::text[])"
          " AND r.status = ANY ($1::text[]) AND r.coordinator_id = $2")
SCOPED_COUNT_SQL = "SELECT count(*) FROM referrals r" + SCOPED
SCOPED_PAGE_SQL = ("SELECT r.*, b.kind AS barrier_kind, p.name AS partner_name FROM (SELECT r.*"
                   " FROM referrals r" + SCOPED + ORDER + " LIMIT 50 OFFSET 0) r"
                   " JOIN barriers b ON b.id = r.barrier_id"
                   " JOIN partners p ON p.id = r.partner_id" + ORDER)
READ_AUDIT_SQL = """
    INSERT INTO audit_log (at, actor_id, action, entity, details, actor_kind)
    VALUES ($3, $1, 'referral.list', 'referral', $2::jsonb, 'user')"""


@asynccontextmanager
async def pool(app: Litestar) -> AsyncIterator[None]:
    size = int(os.environ.get("DATABASE_POOL_SIZE", "10"))
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=size,
                                               max_size=size,
                                               server_settings=PLANNING)
    try:
        yield
    finally:
        await app.state.pool.close()


@get("/")
async def root() -> str:
    return "bare"


@get("/bare/referrals")
async def referrals(request: Request, coordinator_id: int, status: list[str]
                    ) -> dict[str, Any]:
    async with request.app.state.pool.acquire() as connection:
        total = await connection.fetchval(COUNT_SQL, status, coordinator_id)
        rows = await connection.fetch(PAGE_SQL, status, coordinator_id)
    return {"items": [dict(row) for row in rows], "total": total, "limit": 50, "offset": 0}


@get("/bare/referrals/same-work")
async def referrals_same_work(request: Request, coordinator_id: int, status: list[str]
                              ) -> dict[str, Any]:
    """The list with the service's work besides its layers: who asks (their token), the
    page within their legal circle, the read audited; one transaction."""
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    async with request.app.state.pool.acquire() as connection, connection.transaction():
        owner = await connection.fetchrow(TOKEN_SQL, hashlib.sha256(token.encode()).hexdigest())
        circles = [owner["legal_circle"]]
        total = await connection.fetchval(SCOPED_COUNT_SQL, status, coordinator_id, circles)
        rows = await connection.fetch(SCOPED_PAGE_SQL, status, coordinator_id, circles)
        await connection.execute(READ_AUDIT_SQL, owner["user_id"], json.dumps(
            {"filters": ["coordinator_id", "status"], "count": len(rows)}), datetime.now(UTC))
    return {"items": [dict(row) for row in rows], "total": total, "limit": 50, "offset": 0}


@post("/bare/referrals")
async def create_referral(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """The old baseline: the referral row and its event, one transaction, without any check,
    audit, email, reminder or reloading."""
    async with request.app.state.pool.acquire() as connection:
        return await create_with_two_inserts(
            connection, data["client_id"], data["barrier_id"], data["partner_id"],
            data["user_id"], data["note"], data["override_reason"])


@post("/bare/referrals/same-writes")
async def create_referral_same_writes(request: Request, data: dict[str, Any]
                                      ) -> dict[str, Any]:
    """Every write the service makes for a sent referral, hand-written, one transaction."""
    async with request.app.state.pool.acquire() as connection:
        return await create_with_same_writes(
            connection, data["barrier_id"], data["partner_id"], data["user_id"], data["note"],
            data["override_reason"])


app = Litestar([root, referrals, referrals_same_work, create_referral,
                create_referral_same_writes],
               lifespan=[pool])
