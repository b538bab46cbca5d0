"""Referrals: create, move through the lifecycle, hand off, list, and show with their history.

Every rule about status changes lives in `lifecycle.decide()`; this module applies its
answers. Each write is one transaction: the referral row (its status column, its `version`)
and its event row change together, and a completed referral with "barrier removed: yes"
resolves its barrier in the same transaction.

Concurrency: a write locks the referral row (`SELECT ... FOR UPDATE`) and compares the
`version` the caller saw; whoever comes second gets a `ReferralConflict` carrying the current
state (409). The database holds the rule "at most one open referral per barrier and partner"
in a partial unique index, so it holds under any race.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from network import fields as check
from network.accounts.service import get_user
from network.accounts.sessions import user_from_row
from network.actors import Actor as ActorOf
from network.actors import Actor as EventActor
from network.actors import ActorKind
from network.cases import actions as case_actions
from network.cases import barriers as barrier_service
from network.cases.barriers import Barrier
from network.cases.service import consent_covers
from network.cases.values import BarrierKind
from network.clock import FixedClock
from network.errors import Conflict, NotFound, NotPermitted, RuleViolation
from network.events import emit
from network.pagination import Page, limit_and_offset
from network.referrals.events import (
    ReferralCoordinatorChanged,
    ReferralCreated,
    ReferralStatusChanged,
)
from network.referrals.lifecycle import (
    OPEN_STATUSES,
    Actor,
    Change,
    DeclineReason,
    Outcome,
    Problem,
    Refusal,
    Status,
    decide,
    may_reassign,
)
from network.referrals.overdue import is_overdue, overdue_window
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

MAX_NOTE = 5000
MAX_OVERRIDE_REASON = 2000
MAX_IDEMPOTENCY_KEY = 200
CREATABLE = (Status.DRAFT, Status.SENT)
OPEN_SQL = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
STAFF_ROLES = ("admin", "coordinator")


class ReferralConflict(Conflict):
    """The referral changed under the caller, or its status does not allow the change (409).
    Carries the current state so the caller can show it."""

    def __init__(self, field: str, message: str, referral: Referral):
        super().__init__(field, message)
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


@dataclass(frozen=True)
class Transitioned:
    referral: Referral
    changed: bool  # False: the referral already had the requested status


@dataclass(frozen=True)
class ReferralFilter:
    status: Sequence[Status | str] = ()
    partner_id: int | None = None
    coordinator_id: int | None = None
    barrier_kind: BarrierKind | str | None = None
    client_id: int | None = None
    overdue: bool | None = None
    text: str | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- create -------------------------------------------------------------------------------


async def create_referral(
    new: NewReferral, actor_id: int, *, idempotency_key: str | None = None,
    now: datetime | None = None, settings: Settings | None = None,
) -> Created:
    """Refer a barrier to a partner, as a draft or sent at once. With an idempotency key, the
    same key from the same user returns the referral the first request created.
    The emails and reminders follow from the events it emits (network.composition)."""
    now = now or utc_now()
    key = _checked_key(idempotency_key)
    async with transaction() as connection:
        if key is not None:
            # Two requests with one key wait for each other here; the second finds the first.
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))",
                                     f"referral-idempotency:{actor_id}:{key}")
            existing = await connection.fetchrow(
                "SELECT id, barrier_id, partner_id FROM referrals"
                " WHERE created_by = $1 AND idempotency_key = $2", actor_id, key)
            if existing is not None:
                if (existing["barrier_id"], existing["partner_id"]) != (
                        new.barrier_id, new.partner_id):
                    raise RuleViolation("Idempotency-Key", "was used before for another "
                                        f"referral ({existing['id']}); use a new key")
                return Created(await _load(connection, existing["id"]), replayed=True)
        referral_id = await _insert(connection, new, actor_id, now, key=key)
        referral = await _load(connection, referral_id)
        await emit(ReferralCreated(referral.id, referral.status, referral.handed_off_from,
                                   _event_actor(Actor.COORDINATOR, actor_id, referral), now))
    log.info("referral created", extra={"referral_id": referral_id, "actor_id": actor_id,
                                        "status": referral.status.value})
    return Created(referral, replayed=False)


async def _insert(
    connection: asyncpg.Connection, new: NewReferral, actor_id: int, now: datetime, *,
    key: str | None = None, handed_off_from: int | None = None,
    actor: Actor = Actor.COORDINATOR,
) -> int:
    """Check every rule of a new referral and write it with its first event."""
    status = _creatable(new.status)
    note = check.text("note", new.note, MAX_NOTE)
    override = check.text("override_reason", new.override_reason, MAX_OVERRIDE_REASON)
    barrier_id = _required_id("barrier_id", new.barrier_id)
    partner_id = _required_id("partner_id", new.partner_id)
    coordinator_id = _required_id("coordinator_id", new.coordinator_id or actor_id)
    creator = actor_id if actor is Actor.COORDINATOR else coordinator_id

    barrier = await connection.fetchrow(
        """
        SELECT b.id, b.client_id, b.kind, b.status, c.status AS case_status, c.pseudonymised_at
        FROM barriers b JOIN clients c ON c.id = b.client_id WHERE b.id = $1
        FOR UPDATE OF b
        """, barrier_id)
    if barrier is None:
        raise RuleViolation("barrier_id", f"there is no barrier {barrier_id}")
    if barrier["pseudonymised_at"] is not None or barrier["case_status"] != "open":
        raise RuleViolation("barrier_id", "the client's case is closed: nothing is referred")
    if barrier["status"] not in ("open", "in_progress"):
        raise RuleViolation("barrier_id", f"the barrier is {barrier['status']}; reopen it "
                            "before referring it")
    partner = await connection.fetchrow(
        "SELECT id, name, kind, active, barrier_kinds FROM partners WHERE id = $1", partner_id)
    if partner is None:
        raise RuleViolation("partner_id", f"there is no partner {partner_id}")
    if not partner["active"]:
        raise RuleViolation("partner_id", f"{partner['name']} is inactive and takes no "
                            "referrals")
    if not await consent_covers(barrier["client_id"], partner["kind"], now):
        raise RuleViolation("partner_id", f"the client's consent does not cover partners of "
                            f"kind {partner['kind']}; record a consent first")
    if barrier["kind"] not in partner["barrier_kinds"] and override is None:
        raise RuleViolation("override_reason", f"{partner['name']} does not list "
                            f"{barrier['kind']} barriers; give an override_reason to refer "
                            "anyway")
    await _check_staff(connection, "coordinator_id", coordinator_id)
    clash = await connection.fetchval(
        f"SELECT id FROM referrals WHERE barrier_id = $1 AND partner_id = $2"
        f" AND status IN ({OPEN_SQL})", barrier_id, partner_id)
    if clash is not None:
        raise Conflict("partner_id", f"referral {clash} of this barrier to this partner is "
                       "still open")

    referral_id = await connection.fetchval(
        """
        INSERT INTO referrals (client_id, barrier_id, partner_id, coordinator_id, created_by,
            status, note, override_reason, handed_off_from, idempotency_key, created_at,
            updated_at, sent_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11,
                CASE WHEN $6 = 'sent' THEN $11::timestamptz END)
        RETURNING id
        """,
        barrier["client_id"], barrier_id, partner_id, coordinator_id, creator, status.value,
        note, override, handed_off_from, key, now,
    )
    await _event(connection, referral_id, "created", actor, actor_id, now,
                 None, status, note=note, linked=handed_off_from)
    return referral_id


# --- status changes -----------------------------------------------------------------------


async def transition(
    referral_id: int, target: Status | str, actor: Actor | str, actor_id: int | None, *,
    expected_version: int | None = None, reason_code: str | None = None,
    reason_text: str | None = None, outcome: str | None = None, note: str | None = None,
    now: datetime | None = None, settings: Settings | None = None,
    by: EventActor | None = None,
) -> Transitioned:
    """Move a referral to `target` as `actor` (a user's id for the coordinator, None for the
    partner through its link and for the system). `expected_version` is the version the caller
    saw; when the referral has moved on since, nothing changes and ReferralConflict says how
    it stands now. Asking for the status it already has changes nothing (changed=False)."""
    now = now or utc_now()
    note = check.text("note", note, MAX_NOTE)
    async with transaction() as connection:
        referral = await _load(connection, referral_id, lock=True)
        decision = decide(referral.status, target, actor, reason_code, reason_text, outcome)
        if isinstance(decision, Refusal) and decision.problem is Problem.ALREADY:
            return Transitioned(referral, changed=False)
        _refuse_stale(referral, expected_version)
        change = _allowed(decision, referral)
        await _apply(connection, referral, change, actor_id, now, note=note)
        referral = await _load(connection, referral_id)
        await emit(ReferralStatusChanged(
            referral.id, change, by or _event_actor(change.actor, actor_id, referral), now))
    log.info("referral status changed", extra={
        "referral_id": referral_id, "from": change.from_status.value,
        "to": change.to_status.value, "actor": change.actor.value, "actor_id": actor_id})
    return Transitioned(referral, changed=True)


async def hand_off_to_partner(
    referral_id: int, to_partner_id: int, closing_status: Status | str, actor_id: int | None,
    *, expected_version: int | None = None, reason_code: str | None = None,
    reason_text: str | None = None, outcome: str | None = None, note: str | None = None,
    override_reason: str | None = None, new_status: Status | str = Status.SENT,
    now: datetime | None = None, settings: Settings | None = None,
    actor: Actor | str = Actor.COORDINATOR,
) -> tuple[Referral, Referral]:
    """"Not us, try them": close the referral as declined or completed and open a linked one
    for the same barrier with another partner (every rule of a new referral applies, the
    client's consent too). `note` is the note for the new partner. The coordinator (a user's
    `actor_id`) or the partner through its link (`actor=partner`, no id) may hand off; the
    new referral keeps the coordinator. Returns (closed, opened)."""
    now = now or utc_now()
    async with transaction() as connection:
        referral = await _load(connection, referral_id, lock=True)
        _refuse_stale(referral, expected_version)
        decision = decide(referral.status, closing_status, actor, reason_code,
                          reason_text, outcome, handoff=True)
        if isinstance(decision, Refusal) and decision.problem is Problem.ALREADY:
            raise ReferralConflict("status", f"The referral is already {referral.status}; only "
                                   "an open referral can be handed off.", referral)
        change = _allowed(decision, referral, status_field="closing_status")
        if change.resolves_barrier:
            raise RuleViolation("outcome", "the barrier was removed, so there is nothing to "
                                "hand off; complete the referral instead")
        partner_id = _required_id("to_partner_id", to_partner_id)
        if partner_id == referral.partner_id:
            raise RuleViolation("to_partner_id", "is this referral's own partner; hand off to "
                                "another one")
        new = NewReferral(referral.barrier_id, partner_id, new_status,
                          referral.coordinator_id, note, override_reason)
        try:
            opened_id = await _insert(connection, new, actor_id or referral.coordinator_id,
                                      now, handed_off_from=referral.id, actor=change.actor)
        except RuleViolation as refused:
            field = {"partner_id": "to_partner_id", "status": "new_status"}.get(refused.field)
            if field is None:
                raise
            raise type(refused)(field, refused.message) from None
        await _apply(connection, referral, change, actor_id, now, note=note, linked=opened_id)
        closed = await _load(connection, referral_id)
        opened = await _load(connection, opened_id)
        by = _event_actor(change.actor, actor_id, closed)
        await emit(ReferralStatusChanged(closed.id, change, by, now))
        await emit(ReferralCreated(opened.id, opened.status, opened.handed_off_from, by, now))
    log.info("referral handed off", extra={"referral_id": referral_id, "to": opened_id,
                                           "actor_id": actor_id})
    return closed, opened


async def hand_over_to_coordinator(
    referral_id: int, to_coordinator_id: int, actor_id: int, *,
    expected_version: int | None = None, note: str | None = None,
    now: datetime | None = None, settings: Settings | None = None,
) -> Referral:
    """Holiday, or a change of legal circle: another coordinator owns the referral from now."""
    now = now or utc_now()
    note = check.text("note", note, MAX_NOTE)
    coordinator_id = _required_id("to_coordinator_id", to_coordinator_id)
    async with transaction() as connection:
        referral = await _load(connection, referral_id, lock=True)
        _refuse_stale(referral, expected_version)
        if not may_reassign(referral.status):
            raise ReferralConflict("status", f"The referral is {referral.status} and therefore "
                                   "closed; it keeps its coordinator.", referral)
        if coordinator_id == referral.coordinator_id:
            raise RuleViolation("to_coordinator_id", "already owns this referral")
        await _check_staff(connection, "to_coordinator_id", coordinator_id)
        await connection.execute(
            "UPDATE referrals SET coordinator_id = $2, updated_at = $3, version = version + 1"
            " WHERE id = $1", referral_id, coordinator_id, now)
        await connection.execute(
            """
            INSERT INTO referral_events (referral_id, at, event, actor_kind, actor_user_id,
                from_status, to_status, note, from_coordinator_id, to_coordinator_id)
            VALUES ($1, $2, 'reassigned', 'user', $3, $4, $4, $5, $6, $7)
            """,
            referral_id, now, actor_id, referral.status.value, note, referral.coordinator_id,
            coordinator_id)
        moved = await _load(connection, referral_id)
        await emit(ReferralCoordinatorChanged(
            referral_id, referral.coordinator_id, coordinator_id,
            _event_actor(Actor.COORDINATOR, actor_id, referral), now))
    log.info("referral handed over", extra={"referral_id": referral_id, "actor_id": actor_id,
                                            "to_coordinator_id": coordinator_id})
    return moved


def _event_actor(party: Actor, actor_id: int | None, referral: Referral) -> EventActor:
    """Who made the change, for the event (transitional: the referral actions pass theirs)."""
    if party is Actor.PARTNER:
        return EventActor.of_partner(referral.partner_id)
    if party is Actor.SYSTEM or actor_id is None:
        return EventActor.system("referrals")
    return EventActor(ActorKind.USER)


def _refuse_stale(referral: Referral, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != referral.version:
        raise ReferralConflict(
            "version", f"The referral changed in the meantime (you saw version "
            f"{expected_version}, it is now {referral.version} and {referral.status}); "
            "look at it again before changing it.", referral)


def _allowed(decision: Change | Refusal, referral: Referral, status_field: str = "status"
             ) -> Change:
    if isinstance(decision, Change):
        return decision
    if decision.problem is Problem.NOT_PERMITTED:
        raise NotPermitted(decision.field, decision.message)
    if decision.problem in (Problem.CONFLICT, Problem.ALREADY):
        raise ReferralConflict(decision.field, decision.message, referral)
    field = status_field if decision.field == "status" else decision.field
    raise RuleViolation(field, decision.message)


async def _apply(
    connection: asyncpg.Connection, referral: Referral, change: Change, actor_id: int | None,
    now: datetime, *, note: str | None, linked: int | None = None,
) -> None:
    """The status column and its event, in the caller's transaction."""
    await connection.execute(
        """
        UPDATE referrals SET status = $2, reason_code = $3, reason_text = $4, outcome = $5,
            sent_at = CASE WHEN $2 = 'sent' AND sent_at IS NULL THEN $6 ELSE sent_at END,
            closed_at = CASE WHEN $7 THEN $6::timestamptz END,
            handed_off_to = coalesce($8, handed_off_to),
            updated_at = $6, version = version + 1
        WHERE id = $1
        """,
        referral.id, change.to_status.value, _value(change.reason_code), change.reason_text,
        _value(change.outcome), now, change.closes, linked,
    )
    await _event(connection, referral.id, "handed_off" if change.handoff else "status_changed",
                 change.actor, actor_id, now, change.from_status, change.to_status,
                 reason_code=change.reason_code, reason_text=change.reason_text,
                 outcome=change.outcome, note=note, linked=linked)
    if change.resolves_barrier:
        await _resolve_barrier(connection, referral, actor_id, now)


async def _resolve_barrier(connection: asyncpg.Connection, referral: Referral,
                           actor_id: int | None, now: datetime) -> None:
    """Barrier removed: resolve it, unless it is finished already or its case closed."""
    row = await connection.fetchrow(
        "SELECT b.status, c.status AS case_status, c.pseudonymised_at FROM barriers b"
        " JOIN clients c ON c.id = b.client_id WHERE b.id = $1", referral.barrier_id)
    if (row["status"] in ("open", "in_progress") and row["case_status"] == "open"
            and row["pseudonymised_at"] is None):
        who = (ActorOf.of_user(user_from_row(await get_user(actor_id)))
               if actor_id is not None else ActorOf.system("referrals"))
        await case_actions.resolve_barrier(who, FixedClock(now), referral.barrier_id,
                                           note=f"referral {referral.id} completed")


async def _event(
    connection: asyncpg.Connection, referral_id: int, event: str, actor: Actor,
    actor_id: int | None, at: datetime, before: Status | None, after: Status, *,
    reason_code: DeclineReason | None = None, reason_text: str | None = None,
    outcome: Outcome | None = None, note: str | None = None, linked: int | None = None,
) -> None:
    kind = {Actor.COORDINATOR: "user", Actor.PARTNER: "partner", Actor.SYSTEM: "system"}[actor]
    await connection.execute(
        """
        INSERT INTO referral_events (referral_id, at, event, actor_kind, actor_user_id,
            from_status, to_status, reason_code, reason_text, outcome, note,
            linked_referral_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """,
        referral_id, at, event, kind, actor_id if kind == "user" else None, _value(before),
        after.value, _value(reason_code), reason_text, _value(outcome), note, linked,
    )


# --- reading ------------------------------------------------------------------------------


async def get_referral(referral_id: int) -> ReferralDetail:
    async with transaction() as connection:
        referral = await _load(connection, referral_id)
        rows = await connection.fetch(
            "SELECT * FROM referral_events WHERE referral_id = $1 ORDER BY at, id", referral_id)
    return ReferralDetail(referral, tuple(_event_of(row) for row in rows))


async def list_referrals(
    where: ReferralFilter = ReferralFilter(), *, limit: int = 50, offset: int = 0,
    now: datetime | None = None,
) -> Page[Referral]:
    """Referrals matching every given filter, the most recently changed first. `text` looks
    in the client's name and case number, the partner's name, the barrier's description and
    the referral's notes and reasons."""
    now = now or utc_now()
    limit, offset = limit_and_offset(limit, offset)
    conditions: list[str] = []
    args: list[Any] = []

    def condition(sql: str, *values: Any) -> None:
        for value in values:
            args.append(value)
            sql = sql.replace("$?", f"${len(args)}", 1)
        conditions.append(sql)

    if where.status:
        statuses = check.choices("status", where.status, Status)
        condition("r.status = ANY ($?::text[])", [s.value for s in statuses])
    for field in ("partner_id", "coordinator_id", "client_id"):
        value = check.identifier(field, getattr(where, field))
        if value is not None:
            condition(f"r.{field} = $?", value)
    if where.barrier_kind is not None:
        condition("b.kind = $?", check.choice("barrier_kind", where.barrier_kind,
                                              BarrierKind).value)
    if where.overdue is not None:
        if not isinstance(where.overdue, bool):
            raise RuleViolation("overdue", "must be true or false")
        window = overdue_window(now)
        local = "(r.sent_at AT TIME ZONE 'Europe/Berlin')"
        overdue = (f"(r.status = 'sent' AND ({local}::date <= $?::date OR ({local}::date <= "
                   f"$?::date AND {local}::time < $?::time)))")
        condition(overdue if where.overdue else f"NOT {overdue}", window.all_before_or_on,
                  window.same_hour_until, window.hour)
    words = (check.text("text", where.text, 200) or "").split()
    for word in words:
        condition(
            "concat_ws(' ', c.first_name, c.last_name, c.case_number, p.name, b.description,"
            " r.note, r.reason_text, r.override_reason) ILIKE $? ESCAPE '\\'",
            "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    # Join only what a filter needs (the foreign keys guarantee every joined row exists, so
    # an unused join only costs time), pick the page from referrals alone (index
    # referrals_recent), then join the page's 50 rows for their columns. Joining before the
    # sort made the planner hash-join every match: 0.5 s for "all sent" at 1M referrals.
    if words:
        source = _SOURCE
    elif where.barrier_kind is not None:
        source = "FROM referrals r JOIN barriers b ON b.id = r.barrier_id"
    else:
        source = "FROM referrals r"
    source += " WHERE " + (" AND ".join(conditions) or "true")
    order = "ORDER BY r.updated_at DESC, r.id DESC"
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) {source}", *args)
        rows = await connection.fetch(
            f"SELECT {_COLUMNS} FROM (SELECT r.* {source} {order} LIMIT {limit}"
            f" OFFSET {offset}) r JOIN barriers b ON b.id = r.barrier_id"
            f" JOIN partners p ON p.id = r.partner_id {order}", *args)
    return Page(items=[_referral(row) for row in rows], total=total, limit=limit,
                offset=offset)


async def barriers_without_open_referral(
    *, client_id: int | None = None, coordinator_id: int | None = None,
    kind: BarrierKind | str | None = None, limit: int = 50, offset: int = 0,
) -> Page[Barrier]:
    """Open or in-progress barriers of open cases that no open referral works on, oldest
    first: what the case view and the coordinators' work list show as "still to refer"
    (the narrowing `cases.barriers.list_unfinished_barriers` leaves to this issue)."""
    limit, offset = limit_and_offset(limit, offset)
    args = (check.identifier("client_id", client_id),
            check.identifier("coordinator_id", coordinator_id),
            None if kind is None else check.choice("kind", kind, BarrierKind).value)
    source = f"""
        FROM barriers b JOIN clients c ON c.id = b.client_id
        WHERE b.status IN ('open', 'in_progress') AND c.status = 'open'
          AND ($1::bigint IS NULL OR b.client_id = $1)
          AND ($2::bigint IS NULL OR c.coordinator_id = $2)
          AND ($3::text IS NULL OR b.kind = $3)
          AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                          AND r.status IN ({OPEN_SQL}))
    """
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) {source}", *args)
        rows = await connection.fetch(
            f"SELECT b.* {source} ORDER BY b.opened_at, b.id LIMIT {limit} OFFSET {offset}",
            *args)
    return Page(items=[barrier_service._barrier(row) for row in rows], total=total,
                limit=limit, offset=offset)


_SOURCE = """
    FROM referrals r JOIN barriers b ON b.id = r.barrier_id
    JOIN partners p ON p.id = r.partner_id JOIN clients c ON c.id = r.client_id
"""
_COLUMNS = "r.*, b.kind AS barrier_kind, p.name AS partner_name"


async def _load(connection: asyncpg.Connection, referral_id: int, lock: bool = False
                ) -> Referral:
    row = await connection.fetchrow(
        f"SELECT {_COLUMNS} {_SOURCE} WHERE r.id = $1" + (" FOR UPDATE OF r" if lock else ""),
        referral_id)
    if row is None:
        raise NotFound("referral", referral_id)
    return _referral(row)


async def _check_staff(connection: asyncpg.Connection, field: str, user_id: int) -> None:
    row = await connection.fetchrow("SELECT role, active FROM app_user WHERE id = $1", user_id)
    if row is None or not row["active"] or row["role"] not in STAFF_ROLES:
        raise RuleViolation(field, f"user {user_id} is not an active coordinator")


def _referral(row: asyncpg.Record) -> Referral:
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
        closed_at=row["closed_at"],
    )


def _event_of(row: asyncpg.Record) -> Event:
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


def _value(item: Any) -> str | None:
    return None if item is None else item.value


def _creatable(status: Status | str) -> Status:
    if status not in {s.value for s in CREATABLE}:
        raise RuleViolation("status", "a referral is created as draft or sent")
    return Status(status)


def _required_id(field: str, value: object) -> int:
    checked = check.identifier(field, value)
    if checked is None:
        raise RuleViolation(field, "is required")
    return checked


def _checked_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not 1 <= len(key.strip()) <= MAX_IDEMPOTENCY_KEY:
        raise RuleViolation("Idempotency-Key", f"must be 1 to {MAX_IDEMPOTENCY_KEY} "
                            "characters")
    return key.strip()
