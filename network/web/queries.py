"""Read-only queries the pages need and the domain services do not offer (yet): finding
clients by name or case number, and the counts on the dashboard. Plain reads through the
query builder; the dashboard's joins over reminders, referrals and partners stay SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from network.accounts.tables import AppUser
from network.actors import Actor
from network.cases import finding, scope
from network.cases.service import Client, clients_of
from network.cases.tables import Client as ClientRow
from network.cases.values import CaseStatus
from network.filters import Filter
from network.pagination import Page
from network.referrals.queries import OPEN_SQL
from network.transactions import transaction


async def search_clients(actor: Actor, text: str, status: str | None, limit: int,
                         offset: int, *, coordinator_id: int | None = None) -> Page[Client]:
    """Clients of the actor's legal circle whose name (by letters, umlauts and accents
    folded, or by sound) or case number finds every word of `text`: those found by letters
    first, then by sound, newest case first in each;
    with `coordinator_id`, that coordinator's cases only."""
    where = Filter()
    scope.limit(where, actor, ClientRow.legal_circle)
    if status is not None:
        where.add(ClientRow.status == status)
    if coordinator_id is not None:
        where.add(ClientRow.coordinator_id == coordinator_id)
    finding.narrow_by_name(where, text, also=(ClientRow.case_number,))
    total = await where.applied(ClientRow.count())
    query = where.applied(ClientRow.select())
    ranked = finding.letters_first(text)
    if ranked is not None:
        query = query.order_by(ranked, ascending=False)
    rows = await query.order_by(ClientRow.opened_at, ClientRow.id, ascending=False).limit(
        int(limit)).offset(int(offset))
    return Page(items=await clients_of(rows), total=total, limit=limit, offset=offset)


async def open_cases_of(actor: Actor, coordinator_id: int, limit: int
                        ) -> Page[dict[str, Any]]:
    """The coordinator's open cases within the actor's reach, newest first (the order of
    cases.service.list_clients), with what the dashboard shows of each (id, names, case kind,
    opened) and how many there are: one statement, where list_clients reads every column and
    the languages in three."""
    circle, circle_args = scope.sql(actor, "legal_circle")
    rows = await ClientRow.raw(
        "SELECT id, first_name, last_name, case_kind, opened_at, count(*) OVER () AS total"
        " FROM clients WHERE status = {} AND coordinator_id = {}"
        f" AND {circle} ORDER BY opened_at DESC, id DESC LIMIT {int(limit)}",
        CaseStatus.OPEN.value, coordinator_id, *circle_args)
    return Page(items=rows, total=rows[0]["total"] if rows else 0, limit=limit, offset=0)


async def client_names(actor: Actor, client_ids: list[int]) -> dict[int, str]:
    """The names of those of these clients the actor may see."""
    if not client_ids:
        return {}
    where = Filter()
    where.add(ClientRow.id.is_in(client_ids))
    scope.limit(where, actor, ClientRow.legal_circle)
    rows = await where.applied(ClientRow.select(
        ClientRow.id, ClientRow.first_name, ClientRow.last_name, ClientRow.case_number))
    return {row["id"]: " ".join(filter(None, (row["first_name"], row["last_name"])))
            or row["case_number"] or f"Fall {row['id']}" for row in rows}


async def failed_email_count() -> int:
    async with transaction() as connection:
        return await connection.fetchval("SELECT count(*) FROM outbox WHERE status = 'failed'")


async def user_names() -> dict[int, str]:
    rows = await AppUser.select(AppUser.id, AppUser.display_name)
    return {row["id"]: row["display_name"] for row in rows}


async def reminders_due_for(coordinator_id: int, circle: str, before: datetime, limit: int
                            ) -> tuple[list[asyncpg.Record], int]:
    """Pending reminders due before `before` in this coordinator's referrals and cases (or
    addressed to them) of clients of the coordinator's legal circle, oldest first, and how
    many there are in all: one statement. The candidates come by index from the
    coordinator's own reminders, open referrals (a referral's reminders are cancelled when
    it closes) and clients; the filter then is the rule itself."""
    async with transaction() as connection:
        rows = await connection.fetch(REMINDERS_DUE_FOR, before, coordinator_id, circle, limit)
    return rows, rows[0]["total"] if rows else 0


REMINDERS_DUE_FOR = f"""
    WITH candidates AS (
        SELECT m.id FROM reminders m
        WHERE m.coordinator_id = $2 AND m.status = 'pending' AND m.due_at < $1
        UNION
        SELECT m.id FROM referrals r JOIN reminders m ON m.referral_id = r.id
        WHERE r.coordinator_id = $2 AND r.status IN ({OPEN_SQL})
          AND m.status = 'pending' AND m.due_at < $1
        UNION
        SELECT m.id FROM clients c JOIN reminders m ON m.client_id = c.id
        WHERE c.coordinator_id = $2 AND m.status = 'pending' AND m.due_at < $1)
    SELECT m.id, m.kind, m.due_at, m.referral_id, m.client_id,
           m.snoozed_from IS NOT NULL AS snoozed, count(*) OVER () AS total
    FROM candidates JOIN reminders m ON m.id = candidates.id
    LEFT JOIN referrals r ON r.id = m.referral_id
    LEFT JOIN clients rc ON rc.id = r.client_id
    LEFT JOIN clients c ON c.id = m.client_id
    WHERE coalesce(m.coordinator_id, r.coordinator_id, c.coordinator_id) = $2
      AND coalesce(rc.legal_circle, c.legal_circle, $3) = $3
    ORDER BY m.due_at, m.id LIMIT $4"""


async def partner_answers(coordinator_id: int, circle: str, since: datetime, limit: int
                          ) -> list[asyncpg.Record]:
    """What partners changed (over their link) in this coordinator's referrals of clients of
    the coordinator's legal circle since `since`, newest first: the answers the coordinator
    has not had to chase."""
    async with transaction() as connection:
        return await connection.fetch(
            "SELECT e.referral_id, e.at, e.to_status, r.client_id, p.name AS partner_name"
            " FROM referral_events e JOIN referrals r ON r.id = e.referral_id"
            " JOIN partners p ON p.id = r.partner_id JOIN clients c ON c.id = r.client_id"
            " WHERE e.actor_kind = 'partner' AND r.coordinator_id = $1 AND e.at >= $2"
            " AND c.legal_circle = $3"
            f" ORDER BY e.at DESC, e.id DESC LIMIT {int(limit)}", coordinator_id, since,
            circle)
