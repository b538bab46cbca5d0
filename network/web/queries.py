"""Read-only queries the pages need and the domain services do not offer (yet): finding
clients by name or case number, the counts on the dashboard, the names the lists show.
Plain reads through the query builder; the dashboard's joins over reminders, referrals and
partners and the names on every list page (a hot path) stay SQL."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
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


def _client_name(row: Mapping[str, Any]) -> str:
    """How the pages name a client: first and last name, else (pseudonymised) the case
    number, else the case's id."""
    return (" ".join(filter(None, (row["first_name"], row["last_name"])))
            or row["case_number"] or f"Fall {row['id']}")


async def client_names(actor: Actor, client_ids: list[int]) -> dict[int, str]:
    """The names of those of these clients the actor may see (network.cases.scope: a
    client's `legal_circle` is always one of the circles, so `= ANY(every circle)` holds
    for those who see all)."""
    if not client_ids:
        return {}
    rows = await ClientRow.raw(  # in the caller's transaction if any, else on the pool
        "SELECT id, first_name, last_name, case_number FROM clients"
        " WHERE id = ANY({}::bigint[]) AND legal_circle = ANY({}::text[])",
        client_ids, list(scope.circles(actor)))
    return {row["id"]: _client_name(row) for row in rows}


# The referral list page's names in one statement and one row: the clients of the page (as
# client_names), the staff (as network.web.referral_queries.staff, by name) and every partner
# by name (the picker, keyed by the id as the form sends it). As JSON: three parts of
# different shapes in one row, and 300 partners in one text, which the page turns into its
# picker once per text (a UNION of rows cost PostgreSQL and Python 0.87 ms of CPU, the JSON
# 0.6 with the partners decoded each time).
LIST_PAGE_NAMES = """
    SELECT
      (SELECT json_agg(json_build_object('id', id, 'first_name', first_name,
                                         'last_name', last_name, 'case_number', case_number))
       FROM clients WHERE id = ANY($1::bigint[]) AND legal_circle = ANY($2::text[])
      )::text AS clients,
      (SELECT json_agg(json_build_object('id', id, 'display_name', display_name, 'role', role,
                                         'legal_circle', legal_circle, 'active', active)
                       ORDER BY lower(display_name), id)
       FROM app_user WHERE role IN ('admin', 'coordinator')
      )::text AS staff,
      (SELECT json_object_agg(id, name ORDER BY lower(name), id) FROM partners)::text
        AS partners"""


@dataclass(frozen=True)
class ListPageNames:
    clients: dict[int, str]  # as client_names
    staff: list[dict[str, Any]]  # as network.web.referral_queries.staff
    # every partner by name, {"id": "name", ...} as JSON text: the picker's options
    # (network.web.render.options_from_json keeps their rendering per text)
    partners_json: str


async def list_page_names(actor: Actor, client_ids: list[int]) -> ListPageNames:
    """The names the referral list shows and offers, in one round trip (three cost the page
    a third of its time against the JSON list's); in the page's transaction."""
    async with transaction() as connection:
        row = await connection.fetchrow(LIST_PAGE_NAMES, client_ids,
                                        list(scope.circles(actor)))
    assert row is not None
    clients = json.loads(row["clients"] or "[]")
    return ListPageNames(clients={client["id"]: _client_name(client) for client in clients},
                         staff=json.loads(row["staff"] or "[]"),
                         partners_json=row["partners"] or "{}")


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
