"""Read-only queries the pages need and the domain services do not offer (yet): finding
clients by name or case number, and the counts on the dashboard."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from network.cases.service import Client, load_client
from network.pagination import Page
from network.transactions import transaction


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_clients(text: str, status: str | None, limit: int, offset: int
                         ) -> Page[Client]:
    """Clients whose name or case number contains every word of `text`, newest case first."""
    args: list[object] = [status]
    conditions = ["($1::text IS NULL OR status = $1)"]
    for word in text.split()[:5]:
        args.append("%" + _escape_like(word) + "%")
        conditions.append(f"concat_ws(' ', first_name, last_name, case_number) ILIKE ${len(args)}"
                          " ESCAPE '\\'")
    where = " AND ".join(conditions)
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) FROM clients WHERE {where}", *args)
        rows = await connection.fetch(
            f"SELECT id FROM clients WHERE {where} ORDER BY opened_at DESC, id DESC"
            f" LIMIT {int(limit)} OFFSET {int(offset)}", *args)
        items = [await load_client(connection, row["id"]) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


async def client_names(client_ids: list[int]) -> dict[int, str]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT id, first_name, last_name, case_number FROM clients WHERE id = ANY($1)",
            client_ids)
    return {row["id"]: " ".join(filter(None, (row["first_name"], row["last_name"])))
            or row["case_number"] or f"Fall {row['id']}" for row in rows}


async def failed_email_count() -> int:
    async with transaction() as connection:
        return await connection.fetchval("SELECT count(*) FROM outbox WHERE status = 'failed'")


async def user_names() -> dict[int, str]:
    async with transaction() as connection:
        rows = await connection.fetch("SELECT id, display_name FROM app_user")
    return {row["id"]: row["display_name"] for row in rows}


async def reminders_due_for(coordinator_id: int, before: datetime, limit: int
                            ) -> tuple[list[asyncpg.Record], int]:
    """Pending reminders due before `before` in this coordinator's referrals and cases (or
    addressed to them), oldest first, and how many there are in all."""
    where = """
        FROM reminders m LEFT JOIN referrals r ON r.id = m.referral_id
        LEFT JOIN clients c ON c.id = m.client_id
        WHERE m.status = 'pending' AND m.due_at < $1
          AND coalesce(m.coordinator_id, r.coordinator_id, c.coordinator_id) = $2"""
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) {where}", before, coordinator_id)
        rows = await connection.fetch(
            f"SELECT m.id, m.kind, m.due_at, m.referral_id, m.client_id,"
            f" m.snoozed_from IS NOT NULL AS snoozed {where}"
            f" ORDER BY m.due_at, m.id LIMIT {int(limit)}", before, coordinator_id)
    return rows, total


async def partner_answers(coordinator_id: int, since: datetime, limit: int
                          ) -> list[asyncpg.Record]:
    """What partners changed (over their link) in this coordinator's referrals since `since`,
    newest first: the answers the coordinator has not had to chase."""
    async with transaction() as connection:
        return await connection.fetch(
            "SELECT e.referral_id, e.at, e.to_status, r.client_id, p.name AS partner_name"
            " FROM referral_events e JOIN referrals r ON r.id = e.referral_id"
            " JOIN partners p ON p.id = r.partner_id"
            " WHERE e.actor_kind = 'partner' AND r.coordinator_id = $1 AND e.at >= $2"
            f" ORDER BY e.at DESC, e.id DESC LIMIT {int(limit)}", coordinator_id, since)
