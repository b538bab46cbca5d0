"""Handovers between legal circles, the data side: the record as each side sees it, the reads
and the writes the actions (`network.cases.actions`: propose, accept, decline, withdraw) are
made of. Who sees what is `network.cases.scope.may_see_handover`: while a handover is pending
the receiving circle sees the client's name and birth date and the reason, nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from network.actors import Actor
from network.cases import scope
from network.cases import tables as t
from network.cases.queries import REMOVED
from network.errors import NotFound
from network.filters import Filter

PENDING = "pending"
STATUSES = ("pending", "accepted", "declined", "withdrawn")


@dataclass(frozen=True)
class Handover:
    id: int
    client_id: int
    from_circle: str
    to_circle: str
    reason: str
    status: str  # pending, accepted, declined, withdrawn
    proposed_by: int | None
    proposed_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    decision_reason: str | None
    to_coordinator_id: int | None
    # The least the receiving circle needs to decide (None once pseudonymised):
    first_name: str | None
    last_name: str | None
    date_of_birth: date | None


def _columns() -> list[Any]:
    h = t.CircleHandover
    return [*h.all_columns(), h.client_id.first_name.as_alias("first_name"),
            h.client_id.last_name.as_alias("last_name"),
            h.client_id.date_of_birth.as_alias("date_of_birth")]


def _handover(row: Mapping[str, Any]) -> Handover:
    return Handover(**{name: row[name] for name in Handover.__dataclass_fields__})


async def load(handover_id: int, *, lock: bool = False) -> Handover:
    h = t.CircleHandover
    query = h.select(*_columns()).where(h.id == handover_id).first()
    if lock:
        query = query.lock_rows("UPDATE", of=(h,))
    row = await query
    if row is None:
        raise NotFound("handover", handover_id)
    return _handover(row)


async def load_for(actor: Actor, handover_id: int, *, lock: bool = False) -> Handover:
    """A handover the actor may see (scope.may_see_handover), else NotFound."""
    try:
        found = await load(handover_id, lock=lock)
    except NotFound:
        found = None
    if found is None or not scope.may_see_handover(actor, found.from_circle, found.to_circle,
                                                   found.status):
        raise NotFound("handover", handover_id)
    return found


async def get(actor: Actor, handover_id: int) -> Handover:
    return await load_for(actor, handover_id)


async def pending(actor: Actor) -> list[Handover]:
    """The pending handovers that touch the actor's circles, coming in or going out, oldest
    first."""
    h = t.CircleHandover
    reach = list(scope.circles(actor))
    if not reach:
        return []
    where = Filter()
    where.add(h.status == PENDING)
    where.add(h.from_circle.is_in(reach) | h.to_circle.is_in(reach))
    rows = await where.applied(h.select(*_columns())).order_by(h.proposed_at, h.id)
    return [_handover(row) for row in rows]


async def of_client(actor: Actor, client_id: int) -> list[Handover]:
    """Every handover of a client the actor sees (its case page), oldest first."""
    h = t.CircleHandover
    await scope.require_client(actor, client_id)
    rows = await h.select(*_columns()).where(h.client_id == client_id).order_by(
        h.proposed_at, h.id)
    return [_handover(r) for r in rows
            if scope.may_see_handover(actor, r["from_circle"], r["to_circle"], r["status"])]


async def pending_of(client_id: int) -> int | None:
    h = t.CircleHandover
    row = await h.select(h.id).where((h.client_id == client_id) & (h.status == PENDING)).first()
    return None if row is None else row["id"]


async def insert(client_id: int, from_circle: str, to_circle: str, reason: str,
                 proposed_by: int | None, now: datetime) -> int:
    h = t.CircleHandover
    rows = await h.insert(h(
        client_id=client_id, from_circle=from_circle, to_circle=to_circle, reason=reason,
        status=PENDING, proposed_by=proposed_by, proposed_at=now, decided_by=None,
        decided_at=None, decision_reason=None, to_coordinator_id=None,
    )).returning(h.id)
    return rows[0]["id"]


async def decide(handover_id: int, status: str, by: int | None, now: datetime, *,
                 reason: str | None = None, coordinator_id: int | None = None) -> None:
    h = t.CircleHandover
    await h.update({h.status: status, h.decided_by: by, h.decided_at: now,
                    h.decision_reason: reason, h.to_coordinator_id: coordinator_id}).where(
        h.id == handover_id)


async def move_client(client_id: int, circle: str, coordinator_id: int, now: datetime) -> None:
    await t.Client.update({t.Client.legal_circle: circle,
                           t.Client.coordinator_id: coordinator_id,
                           t.Client.updated_at: now}).where(t.Client.id == client_id)


async def scrub(client_id: int, now: datetime) -> None:
    """Erasure and pseudonymisation: the reasons go; a pending handover ends (withdrawn)."""
    h = t.CircleHandover
    await h.update({h.status: "withdrawn", h.decided_at: now}).where(
        (h.client_id == client_id) & (h.status == PENDING))
    await h.update({h.reason: REMOVED}).where(h.client_id == client_id)
    await h.update({h.decision_reason: REMOVED}).where(
        (h.client_id == client_id) & h.decision_reason.is_not_null())
