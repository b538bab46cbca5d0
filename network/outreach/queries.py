"""Outreach's hand-written SQL: the worklist (a join with the attempts, in the order of waiting),
the row lock of one prospect, and the candidates for duplicate warnings (born on the same day or
in the same year), always within the actor's legal circles (`network.cases.scope`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from network.actors import Actor
from network.cases import scope
from network.outreach.tables import Prospect

_LISTED = ("p.id, p.first_name, p.last_name, p.date_of_birth, p.birth_year, p.country_code,"
           " p.shelter, p.source, p.status, p.added_at, p.parked_at, p.park_reason,"
           " p.languages, count(c.id) AS attempts, max(c.on_day) AS last_attempt")


async def waiting(actor: Actor, good_countries: Sequence[str], *, good: bool, limit: int,
                  offset: int = 0) -> list[dict[str, Any]]:
    """Waiting prospects (not parked, not converted, not erased) whose country has good
    prospects of staying (`good`) or not, the longest waiting first."""
    where, args = scope.sql(actor, "p.legal_circle")
    test = "" if good else "NOT "
    return await Prospect.raw(
        f"SELECT {_LISTED} FROM prospects p"
        " LEFT JOIN prospect_contacts c ON c.prospect_id = p.id"
        f" WHERE {where} AND p.status = 'waiting' AND p.erased_at IS NULL"
        " AND p.client_id IS NULL"
        f" AND {test}(coalesce(p.country_code, '') = ANY ({{}}::text[]))"
        " GROUP BY p.id ORDER BY p.added_at, p.id LIMIT {} OFFSET {}",
        *args, list(good_countries), limit, offset)


async def parked(actor: Actor, limit: int) -> list[dict[str, Any]]:
    where, args = scope.sql(actor, "p.legal_circle")
    return await Prospect.raw(
        f"SELECT {_LISTED} FROM prospects p"
        " LEFT JOIN prospect_contacts c ON c.prospect_id = p.id"
        f" WHERE {where} AND p.status = 'parked' AND p.erased_at IS NULL"
        " GROUP BY p.id ORDER BY p.parked_at DESC, p.id LIMIT {}", *args, limit)


async def lock(prospect_id: int) -> dict[str, Any] | None:
    rows = await Prospect.raw("SELECT * FROM prospects WHERE id = {} FOR UPDATE", prospect_id)
    return rows[0] if rows else None


async def outcomes_of(prospect_id: int) -> list[str]:
    rows = await Prospect.raw(
        "SELECT outcome FROM prospect_contacts WHERE prospect_id = {}"
        " ORDER BY on_day, recorded_at, id", prospect_id)
    return [row["outcome"] for row in rows]


async def born_like(circle: str, days: Sequence[date], years: Sequence[int]
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Prospects and clients of the circle born on one of `days` or in one of `years`: the
    candidates for the name comparison (`network.name_matching.similar`)."""
    prospects = await Prospect.raw(
        "SELECT id, first_name, last_name, date_of_birth, birth_year, status FROM prospects"
        " WHERE legal_circle = {} AND erased_at IS NULL AND client_id IS NULL"
        " AND (date_of_birth = ANY ({}::date[]) OR birth_year = ANY ({}::int[]))",
        circle, list(days), list(years))
    clients = await Prospect.raw(
        "SELECT id, first_name, last_name, date_of_birth, birth_year, status FROM clients"
        " WHERE legal_circle = {} AND pseudonymised_at IS NULL"
        " AND (date_of_birth = ANY ({}::date[])"
        " OR extract(year FROM date_of_birth)::int = ANY ({}::int[]))",
        circle, list(days), list(years))
    return prospects, clients
