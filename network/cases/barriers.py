"""Barriers of a case, the data side: the record, the reads, and the writes the actions
(network.cases.actions) are made of. Every status change writes an append-only barrier_events
row in the same transaction as the new current status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from network import fields as check
from network.actors import Actor
from network.cases import scope
from network.cases import tables as t
from network.cases.values import BarrierKind, BarrierStatus, CaseStatus
from network.errors import NotFound, RuleViolation
from network.filters import Filter
from network.pagination import Page, limit_and_offset

EDITABLE = ("kind", "description")
UNFINISHED = (BarrierStatus.OPEN.value, BarrierStatus.IN_PROGRESS.value)


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


async def get_barrier(actor: Actor, barrier_id: int) -> Barrier:
    """One barrier, if the actor's legal circle holds its client (else NotFound)."""
    row = await t.Barrier.select(
        *t.Barrier.all_columns(), t.Barrier.client_id.legal_circle.as_alias("legal_circle"),
    ).where(t.Barrier.id == barrier_id).first()
    scope.require(actor, None if row is None else row["legal_circle"], "barrier", barrier_id)
    return _barrier(row)


async def list_barriers(actor: Actor, client_id: int) -> list[Barrier]:
    scope.require(actor, await scope.circle_of_client(client_id), "client", client_id)
    rows = await t.Barrier.select().where(t.Barrier.client_id == client_id).order_by(
        t.Barrier.opened_at, t.Barrier.id)
    return [_barrier(row) for row in rows]


async def statuses_of(client_id: int) -> list[BarrierStatus]:
    rows = await t.Barrier.select(t.Barrier.status).where(t.Barrier.client_id == client_id)
    return [BarrierStatus(row["status"]) for row in rows]


async def list_unfinished_barriers(
    actor: Actor, *, kind: str | None = None, coordinator_id: int | None = None,
    limit: int = 50, offset: int = 0,
) -> Page[Barrier]:
    """Barriers open or in progress on open cases, oldest first: the coordinators' work list.
    (The referrals narrow it to barriers without an open referral.)"""
    limit, offset = limit_and_offset(limit, offset)
    where = Filter()
    scope.limit(where, actor, t.Barrier.client_id.legal_circle)
    where.add(t.Barrier.status.is_in(list(UNFINISHED)))
    where.add(t.Barrier.client_id.status == CaseStatus.OPEN.value)
    if kind is not None:
        where.add(t.Barrier.kind == check.choice("kind", kind, BarrierKind).value)
    coordinator = check.identifier("coordinator_id", coordinator_id)
    if coordinator is not None:
        where.add(t.Barrier.client_id.coordinator_id == coordinator)
    total = await where.applied(t.Barrier.count())
    rows = await where.applied(t.Barrier.select(*t.Barrier.all_columns())).order_by(
        t.Barrier.opened_at, t.Barrier.id).limit(limit).offset(offset)
    return Page(items=[_barrier(r) for r in rows], total=total, limit=limit, offset=offset)


async def insert_barrier(client_id: int, kind: BarrierKind, description: str | None,
                         actor_id: int | None, now: datetime) -> int:
    """Within a caller's transaction: a new open barrier and its first event."""
    rows = await t.Barrier.insert(t.Barrier(
        client_id=client_id, kind=kind.value, description=description,
        status=BarrierStatus.OPEN.value, unresolvable_reason=None, opened_at=now,
        resolved_at=None, created_at=now, updated_at=now,
    )).returning(t.Barrier.id)
    barrier_id = rows[0]["id"]
    await insert_event(barrier_id, None, BarrierStatus.OPEN, actor_id, now, None)
    return barrier_id


async def write_barrier(barrier_id: int, kind: BarrierKind, description: str | None,
                        now: datetime) -> None:
    await t.Barrier.update({t.Barrier.kind: kind.value, t.Barrier.description: description,
                            t.Barrier.updated_at: now}).where(t.Barrier.id == barrier_id)


async def write_status(barrier_id: int, status: BarrierStatus, reason: str | None,
                       resolved_at: datetime | None, now: datetime) -> None:
    await t.Barrier.update({
        t.Barrier.status: status.value, t.Barrier.unresolvable_reason: reason,
        t.Barrier.resolved_at: resolved_at, t.Barrier.updated_at: now,
    }).where(t.Barrier.id == barrier_id)


async def lock_open_case(actor: Actor, client_id: int,
                         hidden_as: tuple[str, int] | None = None) -> None:
    """Lock the client's row for a change of its barriers: the case must be open and within
    the actor's legal circle (else NotFound, naming `hidden_as` when the caller came by
    another record, such as a barrier)."""
    row = await t.Client.select(t.Client.status, t.Client.pseudonymised_at,
                                t.Client.legal_circle).where(
        t.Client.id == client_id).lock_rows().first()
    what, identifier = hidden_as or ("client", client_id)
    scope.require(actor, None if row is None else row["legal_circle"], what, identifier)
    if row["pseudonymised_at"] is not None:
        raise RuleViolation("client_id", "client_pseudonymised")
    if row["status"] != CaseStatus.OPEN.value:
        raise RuleViolation("status", "case_closed_barriers_fixed")


async def insert_event(
    barrier_id: int, before: BarrierStatus | None, after: BarrierStatus, actor_id: int | None,
    at: datetime, note: str | None,
) -> None:
    await t.BarrierEvent.insert(t.BarrierEvent(
        barrier_id=barrier_id, at=at, actor_id=actor_id,
        from_status=before and before.value, to_status=after.value, note=note))


async def load_barrier(barrier_id: int, lock: bool = False) -> Barrier:
    query = t.Barrier.select().where(t.Barrier.id == barrier_id)
    row = await (query.lock_rows() if lock else query).first()
    if row is None:
        raise NotFound("barrier", barrier_id)
    return _barrier(row)


def _barrier(row: Mapping[str, Any]) -> Barrier:
    return Barrier(
        id=row["id"], client_id=row["client_id"], kind=BarrierKind(row["kind"]),
        description=row["description"], status=BarrierStatus(row["status"]),
        unresolvable_reason=row["unresolvable_reason"], opened_at=row["opened_at"],
        resolved_at=row["resolved_at"],
    )
