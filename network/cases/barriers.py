"""Barriers of a case: add, describe, move through their statuses. Every status change writes
an append-only barrier_events row in the same transaction as the new current status."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from network import fields as check
from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.actors import Actor
from network.cases.barrier_status import check_change, is_finished
from network.cases.events import BarrierFinished
from network.cases.values import BarrierKind, BarrierStatus
from network.errors import NotFound, RuleViolation
from network.events import emit
from network.pagination import Page, limit_and_offset
from network.transactions import transaction

log = logging.getLogger(__name__)

EDITABLE = ("kind", "description")


@dataclass(frozen=True)
class Barrier:
    id: int
    client_id: int
    kind: BarrierKind
    description: str | None
    status: BarrierStatus
    unresolvable_reason: str | None
    opened_at: datetime
    resolved_at: datetime | None


async def add_barrier(
    client_id: int, kind: BarrierKind | str, description: str | None, actor: CurrentUser | None,
    *, now: datetime | None = None,
) -> Barrier:
    now = now or datetime.now(UTC)
    checked_kind = check.choice("kind", kind, BarrierKind)
    description = check.text("description", description, 5000)
    async with transaction() as connection:
        await _lock_open_case(connection, client_id)
        barrier_id = await insert_barrier(connection, client_id, checked_kind, description,
                                          user_id(actor), now)
        barrier = await _load(connection, barrier_id)
        await audit.record(actor, "barrier.added", "barrier", barrier_id,
                           {"client_id": client_id})
    log.info("barrier added", extra={"client_id": client_id, "barrier_id": barrier_id,
                                     "actor_id": user_id(actor)})
    return barrier


async def update_barrier(
    barrier_id: int, changes: Mapping[str, Any], actor: CurrentUser | None,
    *, now: datetime | None = None,
) -> Barrier:
    """Change the kind or the description; the status changes through change_barrier_status."""
    now = now or datetime.now(UTC)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], "cannot be changed here")
    async with transaction() as connection:
        barrier = await _load(connection, barrier_id)
        await _lock_open_case(connection, barrier.client_id)
        kind = check.choice("kind", changes.get("kind", barrier.kind), BarrierKind)
        description = check.text("description", changes.get("description",
                                                             barrier.description), 5000)
        await connection.execute(
            "UPDATE barriers SET kind = $2, description = $3, updated_at = $4 WHERE id = $1",
            barrier_id, kind.value, description, now,
        )
        barrier = await _load(connection, barrier_id)
        await audit.record(actor, "barrier.changed", "barrier", barrier_id,
                           {"client_id": barrier.client_id, "fields": sorted(changes)})
    log.info("barrier updated", extra={"barrier_id": barrier_id, "actor_id": user_id(actor)})
    return barrier


async def change_barrier_status(
    barrier_id: int, status: BarrierStatus | str, actor: CurrentUser | None,
    *, reason: str | None = None, note: str | None = None, now: datetime | None = None,
) -> Barrier:
    """Move a barrier to a new status (see barrier_status.TRANSITIONS); `reason` is required
    for `unresolvable`; `note` goes into the event."""
    now = now or datetime.now(UTC)
    target = check.choice("status", status, BarrierStatus)
    reason = check.text("unresolvable_reason", reason, 2000)
    note = check.text("note", note, 2000)
    async with transaction() as connection:
        barrier = await _load(connection, barrier_id, lock=True)
        await _lock_open_case(connection, barrier.client_id)
        check_change(barrier.status, target, reason)
        finished = is_finished(target)
        await connection.execute(
            """
            UPDATE barriers SET status = $2, unresolvable_reason = $3, resolved_at = $4,
                updated_at = $5
            WHERE id = $1
            """,
            barrier_id, target.value, reason if target is BarrierStatus.UNRESOLVABLE else None,
            now if finished else None, now,
        )
        await _event(connection, barrier_id, barrier.status, target, user_id(actor), now, note)
        await audit.record(actor, "barrier.status_changed", "barrier", barrier_id,
                           {"client_id": barrier.client_id, "from": barrier.status.value,
                            "to": target.value})
        if finished:
            await emit(BarrierFinished(barrier_id, barrier.client_id,
                                       Actor.of_user(actor) if actor is not None
                                       else Actor.system("cases"), now))
        barrier = await _load(connection, barrier_id)
    log.info("barrier status changed", extra={"barrier_id": barrier_id, "status": target.value,
                                              "actor_id": user_id(actor)})
    return barrier


async def resolve_barrier(
    barrier_id: int, actor: CurrentUser | None, *, note: str | None = None,
    now: datetime | None = None,
) -> Barrier:
    return await change_barrier_status(barrier_id, BarrierStatus.RESOLVED, actor, note=note,
                                       now=now)


async def get_barrier(barrier_id: int) -> Barrier:
    async with transaction() as connection:
        return await _load(connection, barrier_id)


async def list_barriers(client_id: int) -> list[Barrier]:
    async with transaction() as connection:
        if not await connection.fetchval("SELECT true FROM clients WHERE id = $1", client_id):
            raise NotFound("client", client_id)
        rows = await connection.fetch(
            "SELECT * FROM barriers WHERE client_id = $1 ORDER BY opened_at, id", client_id)
    return [_barrier(row) for row in rows]


async def list_unfinished_barriers(
    *, kind: str | None = None, coordinator_id: int | None = None,
    limit: int = 50, offset: int = 0,
) -> Page[Barrier]:
    """Barriers open or in progress on open cases, oldest first: the coordinators' work list.
    The referrals issue narrows this to barriers without an open referral (no referrals table
    exists yet, so that condition is not here)."""
    limit, offset = limit_and_offset(limit, offset)
    checked_kind = None if kind is None else check.choice("kind", kind, BarrierKind).value
    coordinator = check.identifier("coordinator_id", coordinator_id)
    condition = """
        b.status IN ('open', 'in_progress') AND c.status = 'open'
        AND ($1::text IS NULL OR b.kind = $1)
        AND ($2::bigint IS NULL OR c.coordinator_id = $2)
    """
    source = f"FROM barriers b JOIN clients c ON c.id = b.client_id WHERE {condition}"
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) {source}", checked_kind,
                                          coordinator)
        rows = await connection.fetch(
            f"SELECT b.* {source} ORDER BY b.opened_at, b.id LIMIT {limit} OFFSET {offset}",
            checked_kind, coordinator)
    return Page(items=[_barrier(r) for r in rows], total=total, limit=limit, offset=offset)


async def insert_barrier(
    connection: asyncpg.Connection, client_id: int, kind: BarrierKind,
    description: str | None, actor_id: int | None, now: datetime,
) -> int:
    """Within a caller's transaction: a new open barrier and its first event."""
    barrier_id = await connection.fetchval(
        "INSERT INTO barriers (client_id, kind, description, opened_at, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
        client_id, kind.value, description, now,
    )
    await _event(connection, barrier_id, None, BarrierStatus.OPEN, actor_id, now, None)
    return barrier_id


async def _lock_open_case(connection: asyncpg.Connection, client_id: int) -> None:
    row = await connection.fetchrow(
        "SELECT status, pseudonymised_at FROM clients WHERE id = $1 FOR UPDATE", client_id)
    if row is None:
        raise NotFound("client", client_id)
    if row["pseudonymised_at"] is not None:
        raise RuleViolation("client_id", "the client has been pseudonymised and cannot change")
    if row["status"] != "open":
        raise RuleViolation("status", "the case is closed: its barriers cannot change")


async def _event(
    connection: asyncpg.Connection, barrier_id: int, before: BarrierStatus | None,
    after: BarrierStatus, actor_id: int | None, at: datetime, note: str | None,
) -> None:
    await connection.execute(
        "INSERT INTO barrier_events (barrier_id, at, actor_id, from_status, to_status, note)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        barrier_id, at, actor_id, before and before.value, after.value, note,
    )


async def _load(connection: asyncpg.Connection, barrier_id: int, lock: bool = False) -> Barrier:
    row = await connection.fetchrow(
        "SELECT * FROM barriers WHERE id = $1" + (" FOR UPDATE" if lock else ""), barrier_id)
    if row is None:
        raise NotFound("barrier", barrier_id)
    return _barrier(row)


def _barrier(row: asyncpg.Record) -> Barrier:
    return Barrier(
        id=row["id"], client_id=row["client_id"], kind=BarrierKind(row["kind"]),
        description=row["description"], status=BarrierStatus(row["status"]),
        unresolvable_reason=row["unresolvable_reason"], opened_at=row["opened_at"],
        resolved_at=row["resolved_at"],
    )
