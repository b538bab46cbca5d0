"""Referrals as the program sees them: the `Referral` and its history (`Event`), the shapes
actions take and return, and the reads (one referral with its history, the filtered list, the
barriers still to refer). Every change is an action in `network.referrals.actions`.

Plain reads use the table classes (`tables`); the list's free text and overdue window and the
barriers still to refer are hand-written SQL in `queries`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from network import fields as check
from network.actors import Actor
from network.cases import barriers as barrier_service
from network.cases import scope
from network.cases.barriers import Barrier
from network.cases.values import BarrierKind
from network.errors import Conflict, NotFound, NotPermitted, RuleViolation
from network.pagination import Page, limit_and_offset
from network.referrals import queries
from network.referrals.lifecycle import (
    OPEN_STATUSES,
    DeclineReason,
    Outcome,
    Status,
)
from network.referrals.overdue import is_overdue, overdue_window
from network.referrals.tables import Referral as ReferralRow
from network.referrals.tables import ReferralEvent as EventRow
from network.transactions import transaction

__all__ = ["NotPermitted"]  # the views catch it from here

MAX_NOTE = 5000
MAX_OVERRIDE_REASON = 2000
MAX_IDEMPOTENCY_KEY = 200
CREATABLE = (Status.DRAFT, Status.SENT)


class ReferralConflict(Conflict):
    """The referral changed under the caller, or its status does not allow the change (409).
    Carries the current state so the caller can show it."""

    def __init__(self, field: str, code: str, referral: Referral, **params: Any):
        super().__init__(field, code, **params)
        self.referral = referral


@dataclass(frozen=True)
class Referral:
    id: int
    client_id: int
    barrier_id: int
    barrier_kind: BarrierKind
    partner_id: int
    partner_name: str
    coordinator_id: int
    created_by: int
    status: Status
    reason_code: DeclineReason | None
    reason_text: str | None
    outcome: Outcome | None
    note: str | None  # the coordinator's note for the partner
    override_reason: str | None  # why the partner gets a barrier kind it does not list
    handed_off_from: int | None
    handed_off_to: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    hold_until: date | None = None  # on hold: the day it is on hold until, if one was given

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime) -> bool:
        """Sent and no answer for more than 3 working days."""
        return (self.status is Status.SENT and self.sent_at is not None
                and is_overdue(self.sent_at, now))


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    event: str  # created, status_changed, handed_off, reassigned
    actor_kind: str  # user, partner, system
    actor_user_id: int | None
    from_status: Status | None
    to_status: Status
    reason_code: DeclineReason | None
    reason_text: str | None
    outcome: Outcome | None
    note: str | None
    linked_referral_id: int | None
    from_coordinator_id: int | None
    to_coordinator_id: int | None


@dataclass(frozen=True)
class ReferralDetail:
    referral: Referral
    history: tuple[Event, ...]


@dataclass(frozen=True)
class NewReferral:
    barrier_id: int
    partner_id: int
    status: Status | str = Status.DRAFT
    coordinator_id: int | None = None  # None: the creating user
    note: str | None = None
    override_reason: str | None = None


@dataclass(frozen=True)
class Created:
    referral: Referral
    replayed: bool  # an earlier request with the same Idempotency-Key created it
    history: tuple[Event, ...] = ()

    @property
    def detail(self) -> ReferralDetail:
        return ReferralDetail(self.referral, self.history)


@dataclass(frozen=True)
class Transitioned:
    referral: Referral
    changed: bool  # False: the referral already had the requested status
    history: tuple[Event, ...] = ()

    @property
    def detail(self) -> ReferralDetail:
        return ReferralDetail(self.referral, self.history)


@dataclass(frozen=True)
class HandedOff:
    """A handoff to another partner: the referral closed and the linked one opened."""

    closed: ReferralDetail
    opened: ReferralDetail


@dataclass(frozen=True)
class ReferralFilter:
    status: Sequence[Status | str] = ()
    partner_id: int | None = None
    coordinator_id: int | None = None
    barrier_kind: BarrierKind | str | None = None
    client_id: int | None = None
    overdue: bool | None = None
    text: str | None = None



# --- reading ------------------------------------------------------------------------------


async def get_referral(actor: Actor, referral_id: int) -> ReferralDetail:
    async with transaction():
        referral = await load_for(actor, referral_id)
        history = await history_of(referral_id)
    return ReferralDetail(referral, history)


async def load(referral_id: int, *, lock: bool = False) -> Referral:
    """One referral with its barrier's kind and partner's name (locked for the caller's
    transaction with `lock`), whoever asks: see `load_for` for an actor's."""
    row = await _select(referral_id, lock)
    if row is None:
        raise NotFound("referral", referral_id)
    return referral_of(row)


async def load_for(actor: Actor, referral_id: int, *, lock: bool = False) -> Referral:
    """`load` for an actor: a referral whose client lies outside the actor's legal circle is
    not found (network.cases.scope), in the same statement."""
    row = await _select(referral_id, lock)
    scope.require(actor, None if row is None else row["legal_circle"], "referral", referral_id)
    return referral_of(row)


async def _select(referral_id: int, lock: bool) -> Any:
    query = ReferralRow.select(
        *ReferralRow.all_columns(), ReferralRow.barrier_id.kind.as_alias("barrier_kind"),
        ReferralRow.partner_id.name.as_alias("partner_name"),
        ReferralRow.client_id.legal_circle.as_alias("legal_circle"),
    ).where(ReferralRow.id == referral_id).first()
    if lock:
        query = query.lock_rows("UPDATE", of=(ReferralRow,))
    return await query


async def history_of(referral_id: int) -> tuple[Event, ...]:
    rows = await EventRow.select().where(EventRow.referral_id == referral_id).order_by(
        EventRow.at, EventRow.id)
    return tuple(event_of(row) for row in rows)


async def list_referrals(
    actor: Actor, where: ReferralFilter = ReferralFilter(), *, limit: int = 50, offset: int = 0,
    now: datetime | None = None,
) -> Page[Referral]:
    """Referrals matching every given filter, the most recently changed first. `text` looks
    in the client's name and case number, the partner's name, the barrier's description and
    the referral's notes and reasons. `now` (the caller's clock) decides what is overdue; the
overdue filter needs it."""
    limit, offset = limit_and_offset(limit, offset)
    conditions: list[str] = []
    args: list[Any] = []

    def condition(sql: str, *values: Any) -> None:
        args.extend(values)
        conditions.append(sql)

    circle, circle_args = scope.sql(actor, "c.legal_circle")
    if circle != "true":
        condition(circle, *circle_args)

    if where.status:
        statuses = check.choices("status", where.status, Status)
        condition("r.status = ANY ({}::text[])", [s.value for s in statuses])
    for field in ("partner_id", "coordinator_id", "client_id"):
        value = check.identifier(field, getattr(where, field))
        if value is not None:
            condition(f"r.{field} = {{}}", value)
    if where.barrier_kind is not None:
        condition("b.kind = {}", check.choice("barrier_kind", where.barrier_kind,
                                              BarrierKind).value)
    if where.overdue is not None:
        if not isinstance(where.overdue, bool):
            raise RuleViolation("overdue", "referral.true_or_false")
        if now is None:
            raise ValueError("the overdue filter needs the caller's clock reading (now=)")
        window = overdue_window(now)
        local = "(r.sent_at AT TIME ZONE 'Europe/Berlin')"
        overdue = (f"(r.status = 'sent' AND ({local}::date <= {{}}::date OR ({local}::date <= "
                   f"{{}}::date AND {local}::time < {{}}::time)))")
        condition(overdue if where.overdue else f"NOT {overdue}", window.all_before_or_on,
                  window.same_hour_until, window.hour)
    words = (check.text("text", where.text, 200) or "").split()
    for word in words:
        condition(queries.TEXT_SEARCHED,
                  "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    source = queries.list_source(conditions, text=bool(words),
                                 barrier_kind=where.barrier_kind is not None,
                                 client=circle != "true")
    async with transaction():
        total, rows = await queries.count_and_page(source, args, limit, offset)
    return Page(items=[referral_of(row) for row in rows], total=total, limit=limit,
                offset=offset)


async def barriers_without_open_referral(
    actor: Actor, *, client_id: int | None = None, coordinator_id: int | None = None,
    kind: BarrierKind | str | None = None, limit: int = 50, offset: int = 0,
) -> Page[Barrier]:
    """Open or in-progress barriers of open cases that no open referral works on, oldest
    first: what the case view and the coordinators' work list show as "still to refer"
    (the narrowing `cases.barriers.list_unfinished_barriers` leaves to this issue)."""
    limit, offset = limit_and_offset(limit, offset)
    async with transaction():
        total, rows = await queries.barriers_without_open_referral(
            list(scope.circles(actor)), check.identifier("client_id", client_id),
            check.identifier("coordinator_id", coordinator_id),
            None if kind is None else check.choice("kind", kind, BarrierKind).value,
            limit, offset)
    return Page(items=[barrier_service._barrier(row) for row in rows], total=total,
                limit=limit, offset=offset)


def referral_of(row: Any) -> Referral:
    return Referral(
        id=row["id"], client_id=row["client_id"], barrier_id=row["barrier_id"],
        barrier_kind=BarrierKind(row["barrier_kind"]), partner_id=row["partner_id"],
        partner_name=row["partner_name"], coordinator_id=row["coordinator_id"],
        created_by=row["created_by"], status=Status(row["status"]),
        reason_code=_enum(DeclineReason, row["reason_code"]), reason_text=row["reason_text"],
        outcome=_enum(Outcome, row["outcome"]), note=row["note"],
        override_reason=row["override_reason"], handed_off_from=row["handed_off_from"],
        handed_off_to=row["handed_off_to"], version=row["version"],
        created_at=row["created_at"], updated_at=row["updated_at"], sent_at=row["sent_at"],
        closed_at=row["closed_at"], hold_until=row.get("hold_until"),
    )


def event_of(row: Any) -> Event:
    return Event(
        id=row["id"], at=row["at"], event=row["event"], actor_kind=row["actor_kind"],
        actor_user_id=row["actor_user_id"], from_status=_enum(Status, row["from_status"]),
        to_status=Status(row["to_status"]), reason_code=_enum(DeclineReason, row["reason_code"]),
        reason_text=row["reason_text"], outcome=_enum(Outcome, row["outcome"]),
        note=row["note"], linked_referral_id=row["linked_referral_id"],
        from_coordinator_id=row["from_coordinator_id"],
        to_coordinator_id=row["to_coordinator_id"],
    )


def _enum(kind: Any, value: str | None) -> Any:
    return None if value is None else kind(value)
