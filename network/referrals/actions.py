"""Every change to a referral, by a coordinator, a partner through its link or the system: one
function each, taking the `Actor` and the `Clock` first.

Each action opens its transaction (joining the caller's when there is one), checks the rules
(`lifecycle.decide` is the one rule table; the checks of a new referral are here), writes the
referral and its history, writes the audit entry, emits the events of
`network.referrals.events` (emails and reminders subscribe; see `network.composition`), and
returns what the caller shows: the referral with its history, so no caller reloads it.

Concurrency: a change locks the referral row with its barrier and its case
(`queries.lock_for_change`) and compares the `version` the caller saw before anything else:
whoever comes second gets a `ReferralConflict` carrying the current state (409), also when it
asked for the status the referral has by now (only a repeat with the current version is
harmless). A referral whose case was closed meanwhile refuses every change but cancelling
(409 `referral.case_closed_meanwhile`); the case lock orders it against the closing. The
database holds "at most one open referral per barrier and partner" in a partial unique index,
so it holds under any race. A partner's message is stored once per referral and
idempotency key (`partner_messages`), so a replayed form is emailed once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from network import fields as check
from network.accounts import audit
from network.actors import Actor, ActorKind
from network.cases import actions as case_actions
from network.cases import scope
from network.cases.consent import any_covers
from network.cases.tables import Barrier as BarrierRow
from network.clock import BERLIN, Clock, FixedClock
from network.errors import Conflict, NotPermitted, RuleViolation
from network.events import emit
from network.pagination import Page
from network.partners.kinds import PartnerKind
from network.referrals import appointment_data, appointments, queries
from network.referrals.appointments import Appointment
from network.referrals.events import (
    PartnerWrote,
    ReferralCoordinatorChanged,
    ReferralCreated,
    ReferralStatusChanged,
)
from network.referrals.hold import checked_hold_until
from network.referrals.lifecycle import (
    Change,
    Party,
    Problem,
    Refusal,
    Status,
    decide,
    may_reassign,
)
from network.referrals.service import (
    CREATABLE,
    MAX_IDEMPOTENCY_KEY,
    MAX_NOTE,
    MAX_OVERRIDE_REASON,
    Created,
    Event,
    HandedOff,
    NewReferral,
    Referral,
    ReferralConflict,
    ReferralDetail,
    ReferralFilter,
    Transitioned,
    event_of,
    get_referral,
    history_of,
    list_referrals,
    load_for,
    referral_of,
)
from network.referrals.tables import PartnerMessage as MessageRow
from network.referrals.tables import Referral as ReferralRow
from network.transactions import transaction

log = logging.getLogger(__name__)

ENTITY = "referral"
MAX_MESSAGE = 5000
PARTIES = {ActorKind.USER: Party.COORDINATOR, ActorKind.PARTNER: Party.PARTNER,
           ActorKind.SYSTEM: Party.SYSTEM}


def party_of(actor: Actor) -> Party:
    """The one mapping from who acts to the lifecycle's party: a signed-in user acts as the
    coordinator, a partner link as the partner, a job as the system."""
    return PARTIES[actor.kind]


# --- create -------------------------------------------------------------------------------


async def create(actor: Actor, clock: Clock, new: NewReferral, *,
                 idempotency_key: str | None = None) -> Created:
    """Refer a barrier to a partner, as a draft or sent at once. With an idempotency key, the
    same key from the same user returns the referral the first request created
    (`replayed`), audited as "referral.replay"."""
    now = clock.now()
    key = _checked_key(idempotency_key)
    async with transaction():
        if key is not None:
            creator = actor.user_id if actor.user_id is not None else new.coordinator_id
            await queries.lock_idempotency_key(f"referral-idempotency:{creator}:{key}")
            existing = await ReferralRow.select(
                ReferralRow.id, ReferralRow.barrier_id, ReferralRow.partner_id,
            ).where((ReferralRow.created_by == creator)
                    & (ReferralRow.idempotency_key == key)).first()
            if existing is not None:
                if (existing["barrier_id"], existing["partner_id"]) != (
                        new.barrier_id, new.partner_id):
                    raise RuleViolation("Idempotency-Key", "referral.idempotency_key_reused",
                                        referral_id=existing["id"])
                referral = await load_for(actor, existing["id"])
                await audit.record(actor, "referral.replay", ENTITY, referral.id,
                                   {"status": referral.status.value}, at=now)
                return Created(referral, True, await history_of(referral.id))
        referral, event, rule = await _insert(actor, now, new, key=key, audited=True)
        await emit(ReferralCreated(referral.id, referral.status, None, actor, now,
                                   referral.barrier_id, referral.client_id, rule))
    log.info("referral created", extra={"referral_id": referral.id, **actor.describe(),
                                        "status": referral.status.value})
    return Created(referral, False, (event,))


async def _insert(actor: Actor, now: datetime, new: NewReferral, *, key: str | None = None,
                  handed_off_from: int | None = None, audited: bool = False
                  ) -> tuple[Referral, Event, dict[str, Any] | None]:
    """Check every rule of a new referral and write it with its first event (`audited`: and
    its audit entry "referral.create", in the same statement). Also the stored reminder rule
    of the partner's kind, read with the checks, for `ReferralCreated`."""
    status = _creatable(new.status)
    note = check.text("note", new.note, MAX_NOTE)
    override = check.text("override_reason", new.override_reason, MAX_OVERRIDE_REASON)
    barrier_id = _required_id("barrier_id", new.barrier_id)
    partner_id = _required_id("partner_id", new.partner_id)
    coordinator_id = _required_id("coordinator_id", new.coordinator_id or actor.user_id)

    found = await queries.new_referral_checks(barrier_id, partner_id, coordinator_id)
    if found is None or not scope.may_see(actor, found["legal_circle"]):
        raise RuleViolation("barrier_id", "referral.no_barrier", barrier_id=barrier_id)
    if found["pseudonymised_at"] is not None or found["case_status"] != "open":
        raise RuleViolation("barrier_id", "referral.case_closed")
    if found["status"] not in ("open", "in_progress"):
        raise RuleViolation("barrier_id", "referral.barrier_finished", status=found["status"])
    if found["partner_id"] is None:
        raise RuleViolation("partner_id", "referral.no_partner", partner_id=partner_id)
    if not found["partner_active"]:
        raise RuleViolation("partner_id", "referral.partner_inactive",
                            name=found["partner_name"])
    if not any_covers(queries.consent_terms(found), PartnerKind(found["partner_kind"]), now):
        raise RuleViolation("partner_id", "referral.consent_missing",
                            kind=found["partner_kind"])
    if found["kind"] not in found["barrier_kinds"] and override is None:
        raise RuleViolation("override_reason", "referral.kind_not_listed",
                            name=found["partner_name"], kind=found["kind"])
    if not found["staff"]:
        raise RuleViolation("coordinator_id", "referral.not_coordinator",
                            user_id=coordinator_id)

    fields = {
        "client_id": found["client_id"], "barrier_id": barrier_id, "partner_id": partner_id,
        "coordinator_id": coordinator_id,
        "created_by": actor.user_id if actor.kind is ActorKind.USER else coordinator_id,
        "status": status.value, "note": note, "override_reason": override,
        "handed_off_from": handed_off_from, "idempotency_key": key, "version": 1,
        "created_at": now, "updated_at": now, "sent_at": now if status is Status.SENT else None,
    }
    first = _event_fields("created", actor, now, None, status, note=note,
                          linked=handed_off_from)
    # "One open referral per barrier and partner" is the partial unique index: the insert
    # writes nothing when the pair has one (committed by now, whenever it came), and only
    # then is the clash looked up, to name it.
    entry = (audit.entry(actor, "referral.create", ENTITY, {"status": status.value}, at=now)
             if audited else None)
    row = await queries.insert_referral(fields, first, entry)
    if row is None:
        clash = await queries.open_referral_of(barrier_id, partner_id)
        if clash is None:  # another unique key: let the database say which
            await ReferralRow.insert(ReferralRow(**fields))
        raise Conflict("partner_id", "referral.still_open", referral_id=clash)
    referral = referral_of({**row, "barrier_kind": found["kind"],
                            "partner_name": found["partner_name"]})
    return (referral, event_of({**first, "id": row["event_id"], "referral_id": referral.id}),
            queries.reminder_rule(found))


# --- status changes -----------------------------------------------------------------------


async def transition(
    actor: Actor, clock: Clock, referral_id: int, target: Status | str, *,
    expected_version: int | None = None, reason_code: str | None = None,
    reason_text: str | None = None, outcome: str | None = None, note: str | None = None,
    hold_until: date | str | None = None, with_history: bool = True,
) -> Transitioned:
    """Move a referral to `target`. `expected_version` is the version the caller saw; when
    the referral has moved on since, nothing changes and ReferralConflict says how it stands
    now. Asking for the status it already has changes nothing (changed=False). Going on hold
    may name the day it is on hold until (`hold_until`): kept on the referral, its check
    comes that day. `with_history=False`: the caller shows no history (a partner's page),
    so it is not read (`Transitioned.history` is empty)."""
    now = clock.now()
    note = check.text("note", note, MAX_NOTE)
    until = checked_hold_until(target, hold_until, now.astimezone(BERLIN).date())
    async with transaction():
        referral, case_open = await _locked(actor, referral_id)
        _check_partner(actor, referral)
        # The version first: a change typed on a stale page is refused even when it asks for
        # the status the referral has now (its reason or note would be dropped otherwise).
        _refuse_stale(referral, expected_version)
        decision = decide(referral.status, target, party_of(actor), reason_code, reason_text,
                          outcome)
        history = await history_of(referral_id) if with_history else ()
        if isinstance(decision, Refusal) and decision.problem is Problem.ALREADY:
            await audit.record(actor, "referral.transition", ENTITY, referral_id,
                               {"to": str(target), "changed": False}, at=now)
            return Transitioned(referral, False, history)
        change = _allowed(decision, referral)
        _refuse_closed_case(case_open, change.to_status)
        details = {"to": str(target), "changed": True,
                   **({"hold_until": until.isoformat()} if until else {})}
        # The entry goes with the change's statement, unless the change resolves the
        # barrier: then the barrier's entries come first, as the steps happen.
        entry = (None if change.resolves_barrier else
                 audit.entry(actor, "referral.transition", ENTITY, details, at=now))
        changed, event = await _apply(actor, referral, change, now, note=note,
                                      hold_until=until, entry=entry)
        if entry is None:
            await audit.record(actor, "referral.transition", ENTITY, referral_id, details,
                               at=now)
        await emit(ReferralStatusChanged(referral_id, change, actor, now, referral.barrier_id,
                                         referral.client_id, changed.hold_until))
    log.info("referral status changed", extra={
        "referral_id": referral_id, "from": change.from_status.value,
        "to": change.to_status.value, **actor.describe()})
    return Transitioned(changed, True, (*history, event) if with_history else ())


async def hand_off(
    actor: Actor, clock: Clock, referral_id: int, to_partner_id: int,
    closing_status: Status | str, *, expected_version: int | None = None,
    reason_code: str | None = None, reason_text: str | None = None,
    outcome: str | None = None, note: str | None = None, override_reason: str | None = None,
    new_status: Status | str = Status.SENT,
) -> HandedOff:
    """"Not us, try them": close the referral as declined or completed and open a linked one
    for the same barrier with another partner (every rule of a new referral applies, the
    client's consent too). `note` is the note for the new partner. The coordinator or the
    partner through its link may hand off; the new referral keeps the coordinator."""
    now = clock.now()
    async with transaction():
        referral, case_open = await _locked(actor, referral_id)
        _check_partner(actor, referral)
        _refuse_stale(referral, expected_version)
        decision = decide(referral.status, closing_status, party_of(actor), reason_code,
                          reason_text, outcome, handoff=True)
        if isinstance(decision, Refusal) and decision.problem is Problem.ALREADY:
            raise ReferralConflict("status", "referral.handoff_not_open", referral,
                                   status=referral.status)
        change = _allowed(decision, referral, status_field="closing_status")
        _refuse_closed_case(case_open, change.to_status)
        if change.resolves_barrier:
            raise RuleViolation("outcome", "referral.barrier_removed")
        partner_id = _required_id("to_partner_id", to_partner_id)
        if partner_id == referral.partner_id:
            raise RuleViolation("to_partner_id", "referral.own_partner")
        new = NewReferral(referral.barrier_id, partner_id, new_status,
                          referral.coordinator_id, note, override_reason)
        try:
            opened, opened_event, rule = await _insert(actor, now, new,
                                                       handed_off_from=referral.id)
        except RuleViolation as refused:
            field = {"partner_id": "to_partner_id", "status": "new_status"}.get(refused.field)
            if field is None:
                raise
            raise type(refused)(field, refused.code, **refused.params) from None
        history = await history_of(referral_id)
        closed, event = await _apply(actor, referral, change, now, note=note,
                                     linked=opened.id)
        await audit.record(actor, "referral.handoff", ENTITY, referral_id,
                           {"new_referral_id": opened.id}, at=now)
        await emit(ReferralStatusChanged(referral_id, change, actor, now, referral.barrier_id,
                                         referral.client_id, closed.hold_until))
        await emit(ReferralCreated(opened.id, opened.status, referral_id, actor, now,
                                   opened.barrier_id, opened.client_id, rule))
    log.info("referral handed off", extra={"referral_id": referral_id, "to": opened.id,
                                           **actor.describe()})
    return HandedOff(ReferralDetail(closed, (*history, event)),
                     ReferralDetail(opened, (opened_event,)))


async def hand_over(
    actor: Actor, clock: Clock, referral_id: int, to_coordinator_id: int, *,
    expected_version: int | None = None, note: str | None = None,
) -> ReferralDetail:
    """Holiday: another coordinator of the client's legal circle owns the referral from now
    (a client changing circle takes its referrals along: network.cases handover)."""
    now = clock.now()
    note = check.text("note", note, MAX_NOTE)
    coordinator_id = _required_id("to_coordinator_id", to_coordinator_id)
    async with transaction():
        referral, case_open = await _locked(actor, referral_id)
        _refuse_stale(referral, expected_version)
        if not may_reassign(referral.status):
            raise ReferralConflict("status", "referral.keeps_coordinator", referral,
                                   status=referral.status)
        _refuse_closed_case(case_open, None)
        if coordinator_id == referral.coordinator_id:
            raise RuleViolation("to_coordinator_id", "referral.owns_already")
        if not await queries.is_staff(coordinator_id, referral.client_id):
            raise RuleViolation("to_coordinator_id", "referral.not_coordinator",
                                user_id=coordinator_id)
        history = await history_of(referral_id)
        await ReferralRow.update({
            ReferralRow.coordinator_id: coordinator_id, ReferralRow.updated_at: now,
            ReferralRow.version: referral.version + 1,
        }).where(ReferralRow.id == referral_id)
        moved = replace(referral, coordinator_id=coordinator_id, updated_at=now,
                        version=referral.version + 1)
        event = await _event(referral_id, "reassigned", actor, now, referral.status,
                             referral.status, note=note,
                             from_coordinator=referral.coordinator_id,
                             to_coordinator=coordinator_id)
        await audit.record(actor, "referral.reassign", ENTITY, referral_id,
                           {"to_coordinator_id": coordinator_id}, at=now)
        await emit(ReferralCoordinatorChanged(referral_id, referral.coordinator_id,
                                              coordinator_id, actor, now))
    log.info("referral handed over", extra={"referral_id": referral_id, **actor.describe(),
                                            "to_coordinator_id": coordinator_id})
    return ReferralDetail(moved, (*history, event))


@dataclass(frozen=True)
class MessageWritten:
    referral: Referral
    stored: bool  # False: a replay of a message stored (and emailed) already


async def write_to_coordinator(actor: Actor, clock: Clock, referral_id: int,
                               text: str | None, *, idempotency_key: str | None = None
                               ) -> MessageWritten:
    """The partner's message to the coordinator from its link page: emailed (PartnerWrote);
    the audit entry notes that it was written, not what. `idempotency_key` comes with the
    form (the page's per-render nonce): the same form sent again (a double click, a resend,
    a retry after a timeout) with the same text is the same message, stored and emailed
    once (`stored` False for the replay); a different text is a new message."""
    now = clock.now()
    words = (text or "").strip()
    if not words:
        raise RuleViolation("message", "referral.required")
    if len(words) > MAX_MESSAGE:
        raise RuleViolation("message", "referral.message_too_long", max=MAX_MESSAGE)
    key = hashlib.sha256(f"{idempotency_key or uuid.uuid4().hex}\n{words}".encode()
                         ).hexdigest()
    async with transaction():
        referral = await load_for(actor, referral_id)
        _check_partner(actor, referral)
        stored = await MessageRow.insert(MessageRow(
            referral_id=referral_id, partner_id=referral.partner_id, link_id=actor.link_id,
            idempotency_key=key, at=now,
        )).on_conflict(target=(MessageRow.referral_id, MessageRow.idempotency_key),
                       action="DO NOTHING").returning(MessageRow.id)
        if not stored:  # the same form again: the first one is stored and emailed
            await audit.record(actor, "referral.message_replay", ENTITY, referral_id, at=now)
            return MessageWritten(referral, False)
        await audit.record(actor, "referral.message", ENTITY, referral_id, at=now)
        await emit(PartnerWrote(referral_id, words, actor, now))
    return MessageWritten(referral, True)


# --- appointments -------------------------------------------------------------------------


async def record_appointment(actor: Actor, clock: Clock, referral_id: int, *, day: object,
                             at: object, place: object) -> Appointment:
    """When and where the client is expected: recorded by the partner (its link page, when
    accepting) or by the coordinator (the referral page), once the referral is accepted and
    while the work goes on; recording again replaces it. The audit entry says who recorded
    it, not when or where."""
    now = clock.now()
    starts_at = appointments.starts_at(day, at, now)
    where = appointments.place(place)
    async with transaction():
        referral = await load_for(actor, referral_id, lock=True)
        _check_partner(actor, referral)
        if not appointments.may_have_appointment(referral.status):
            raise RuleViolation("appointment_day", "referral.appointment_not_now")
        appointment = Appointment(
            referral_id, starts_at, where, now,
            recorded_by_user=actor.user_id if actor.kind is ActorKind.USER else None,
            recorded_by_partner=actor.partner_id if actor.kind is ActorKind.PARTNER else None)
        await appointment_data.save(appointment)
        await audit.record(actor, "referral.appointment", ENTITY, referral_id,
                           {"by": party_of(actor).value}, at=now)
    log.info("appointment recorded", extra={"referral_id": referral_id, **actor.describe()})
    return appointment


# --- audited reads ------------------------------------------------------------------------


async def read(actor: Actor, clock: Clock, referral_id: int, *,
               purpose: str = "referral.read") -> ReferralDetail:
    """One referral with its history; the read is audited (`purpose`: "referral.read", or
    "referral.slip" for the client's slip)."""
    async with transaction():
        detail = await get_referral(actor, referral_id)
        await audit.record(actor, purpose, ENTITY, referral_id, at=clock.now())
    return detail


async def find(actor: Actor, clock: Clock, where: ReferralFilter, *, limit: int, offset: int,
               filters: list[str]) -> Page[Referral]:
    """The filtered list, audited with the names of the `filters` used and the count shown."""
    now = clock.now()
    async with transaction():
        found = await list_referrals(actor, where, limit=limit, offset=offset, now=now)
        await audit.record(actor, "referral.list", ENTITY, None,
                           {"filters": filters, "count": len(found.items)}, at=now)
    return found


# --- the parts ----------------------------------------------------------------------------


def _check_partner(actor: Actor, referral: Referral) -> None:
    """A partner acts on its own referrals only."""
    if actor.kind is ActorKind.PARTNER and actor.partner_id != referral.partner_id:
        raise NotPermitted("actor", "referral.not_partners")


def _refuse_stale(referral: Referral, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != referral.version:
        raise ReferralConflict("version", "referral.stale", referral,
                               expected=expected_version, version=referral.version,
                               status=referral.status)


async def _locked(actor: Actor, referral_id: int) -> tuple[Referral, bool]:
    """The referral locked for a change, with its barrier and case (see
    `queries.lock_for_change`), and whether its case is still open; a referral outside the
    actor's legal circle is not found (network.cases.scope), in the same statement."""
    row = await queries.lock_for_change(referral_id)
    scope.require(actor, None if row is None else row["legal_circle"], "referral", referral_id)
    assert row is not None
    case_open = row["case_status"] == "open" and row["case_pseudonymised_at"] is None
    return referral_of(row), case_open


def _refuse_closed_case(case_open: bool, target: Status | None) -> None:
    """A referral of a case closed (or pseudonymised) meanwhile changes no more, except that
    the coordinator may still cancel it (an open referral would otherwise wait forever)."""
    if not case_open and target is not Status.CANCELLED:
        raise Conflict("status", "referral.case_closed_meanwhile")


def _allowed(decision: Change | Refusal, referral: Referral, status_field: str = "status"
             ) -> Change:
    if isinstance(decision, Change):
        return decision
    if decision.problem is Problem.NOT_PERMITTED:
        raise NotPermitted(decision.field, decision.code, **decision.params)
    if decision.problem in (Problem.CONFLICT, Problem.ALREADY):
        raise ReferralConflict(decision.field, decision.code, referral, **decision.params)
    field = status_field if decision.field == "status" else decision.field
    raise RuleViolation(field, decision.code, **decision.params)


async def _apply(actor: Actor, referral: Referral, change: Change, now: datetime, *,
                 note: str | None, linked: int | None = None,
                 hold_until: date | None = None, entry: tuple[Any, ...] | None = None
                 ) -> tuple[Referral, Event]:
    """The status columns and their event (and the audit `entry`, when given), in the
    caller's transaction (the row is locked, so the new state is known without reading it
    back)."""
    changed = replace(
        referral, status=change.to_status, reason_code=change.reason_code,
        reason_text=change.reason_text, outcome=change.outcome,
        sent_at=now if change.to_status is Status.SENT and referral.sent_at is None
        else referral.sent_at,
        closed_at=now if change.closes else None,
        handed_off_to=linked if linked is not None else referral.handed_off_to,
        updated_at=now, version=referral.version + 1,
        hold_until=hold_until if change.to_status is Status.ON_HOLD else None)
    fields = _event_fields("handed_off" if change.handoff else "status_changed", actor, now,
                           change.from_status, change.to_status,
                           reason_code=change.reason_code, reason_text=change.reason_text,
                           outcome=change.outcome, note=note, linked=linked)
    event_id = await queries.change_status(referral.id, {
        "status": changed.status.value, "reason_code": _value(changed.reason_code),
        "reason_text": changed.reason_text, "outcome": _value(changed.outcome),
        "sent_at": changed.sent_at, "closed_at": changed.closed_at,
        "handed_off_to": changed.handed_off_to, "updated_at": now,
        "version": changed.version, "hold_until": changed.hold_until,
    }, fields, entry)
    event = event_of({**fields, "id": event_id, "referral_id": referral.id})
    if change.resolves_barrier:
        await _resolve_barrier(actor, referral, now)
    return changed, event


async def _resolve_barrier(actor: Actor, referral: Referral, now: datetime) -> None:
    """Barrier removed: resolve it, unless it is finished already or its case closed (as the
    actor of the referral's change, at its moment)."""
    row = await BarrierRow.select(
        BarrierRow.status, BarrierRow.client_id.status.as_alias("case_status"),
        BarrierRow.client_id.pseudonymised_at.as_alias("pseudonymised_at"),
    ).where(BarrierRow.id == referral.barrier_id).first()
    if (row["status"] in ("open", "in_progress") and row["case_status"] == "open"
            and row["pseudonymised_at"] is None):
        await case_actions.resolve_barrier(actor, FixedClock(now), referral.barrier_id,
                                           note=f"referral {referral.id} completed")


async def _event(
    referral_id: int, event: str, actor: Actor, at: datetime, before: Status | None,
    after: Status, **details: Any,
) -> Event:
    fields = _event_fields(event, actor, at, before, after, **details)
    event_id = await queries.insert_event(referral_id, fields)
    return event_of({**fields, "id": event_id, "referral_id": referral_id})


def _event_fields(
    event: str, actor: Actor, at: datetime, before: Status | None, after: Status, *,
    reason_code: Any = None, reason_text: str | None = None, outcome: Any = None,
    note: str | None = None, linked: int | None = None, from_coordinator: int | None = None,
    to_coordinator: int | None = None,
) -> dict[str, Any]:
    """The columns of a history row (`queries.EVENT_COLUMNS`), but its id and referral."""
    return {"at": at, "event": event, "actor_kind": actor.kind.value,
            "actor_user_id": actor.user_id, "from_status": _value(before),
            "to_status": after.value, "reason_code": _value(reason_code),
            "reason_text": reason_text, "outcome": _value(outcome), "note": note,
            "linked_referral_id": linked, "from_coordinator_id": from_coordinator,
            "to_coordinator_id": to_coordinator}


def _value(item: Any) -> str | None:
    return None if item is None else item.value


def _creatable(status: Status | str) -> Status:
    if status not in {s.value for s in CREATABLE}:
        raise RuleViolation("status", "referral.creatable")
    return Status(status)


def _required_id(field: str, value: object) -> int:
    checked = check.identifier(field, value)
    if checked is None:
        raise RuleViolation(field, "referral.required")
    return checked


def _checked_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not 1 <= len(key.strip()) <= MAX_IDEMPOTENCY_KEY:
        raise RuleViolation("Idempotency-Key", "referral.idempotency_key_length",
                            max=MAX_IDEMPOTENCY_KEY)
    return key.strip()
