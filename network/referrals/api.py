"""JSON API for referrals: create, list, show with history, change status, hand off.

The handlers only adapt: each calls one action of `network.referrals.actions` with the
request's Actor and the injected clock (every read and write is audited there, in the same
transaction as the work) and renders what it returns. Refusals of the
lifecycle map to HTTP like this: a missing or malformed field -> 422 naming it; a change the
current status does not allow, or a stale `version` -> 409 with the current state in the
body (also when it asks for the status the referral has by now), and a referral whose case
was closed meanwhile -> 409 `referral.case_closed_meanwhile`; an actor who may not make the
change -> 403; asking for the status the referral already has, with its current version ->
200 with the current state.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep, OptionalId
from network.cases.values import BarrierKind
from network.errors import RuleViolation
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page
from network.problems import problem
from network.referrals import actions
from network.referrals.lifecycle import DeclineReason, Outcome, Party, Status, allowed_targets
from network.referrals.service import (
    NewReferral,
    Referral,
    ReferralConflict,
    ReferralDetail,
    ReferralFilter,
)


class ReferralCreate(msgspec.Struct, forbid_unknown_fields=True):
    barrier_id: int
    partner_id: int
    status: str = "draft"  # draft or sent
    coordinator_id: int | None = None  # the owner; the creating user when not given
    note: str | None = None  # for the partner
    override_reason: str | None = None  # needed when the partner does not list the barrier kind


class TransitionRequest(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    version: int  # the version the caller saw: a referral changed since answers 409
    reason_code: str | None = None
    reason_text: str | None = None
    outcome: str | None = None
    note: str | None = None
    hold_until: date | None = None  # on_hold only: the day it is on hold until (its check)


class HandoffRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Either to another partner (`to_partner_id`, with `closing_status` and its details) or
    to another coordinator (`to_coordinator_id`)."""

    version: int
    to_partner_id: int | None = None
    to_coordinator_id: int | None = None
    closing_status: str | None = None  # declined or completed
    reason_code: str | None = None
    reason_text: str | None = None
    outcome: str | None = None
    note: str | None = None  # for the new partner, or about the change of coordinator
    override_reason: str | None = None
    new_status: str = "sent"  # the new partner's referral: draft or sent


class ReferralOut(msgspec.Struct):
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
    note: str | None
    override_reason: str | None
    handed_off_from: int | None
    handed_off_to: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    allowed_transitions: list[Status]  # what a coordinator may move it to now
    hold_until: date | None  # on hold until this day (its check comes then)


class EventOut(msgspec.Struct):
    id: int
    at: datetime
    event: str
    actor_kind: str
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


class ReferralDetailOut(ReferralOut):
    history: list[EventOut]


class HandoffOut(msgspec.Struct):
    referral: ReferralDetailOut  # the referral handed off (closed, or with its new coordinator)
    new_referral: ReferralDetailOut | None  # the linked one for the new partner


def referral_out(referral: Referral, now: datetime) -> ReferralOut:
    return ReferralOut(**_fields(referral, now))


def detail_out(detail: ReferralDetail, now: datetime) -> ReferralDetailOut:
    fields = _fields(detail.referral, now)
    fields["history"] = [EventOut(**_shallow(event)) for event in detail.history]
    return ReferralDetailOut(**fields)


def _shallow(item: Any) -> dict[str, Any]:
    """A flat dataclass as a dict. `dataclasses.asdict` deep-copies every value, which cost
    about 0.35 ms per referral: most of a 50-row list page (see bench/README.md)."""
    return {field.name: getattr(item, field.name) for field in dataclass_fields(item)}


def _fields(referral: Referral, now: datetime) -> dict[str, Any]:
    fields = _shallow(referral)
    fields["overdue"] = referral.overdue(now)
    fields["allowed_transitions"] = sorted(allowed_targets(referral.status, Party.COORDINATOR))
    return fields


def conflict_handler(request: Request, exc: ReferralConflict) -> Response:
    """A 409 that carries the referral as it stands, so the caller can show it (every other
    domain error is rendered by network.problems)."""
    current = referral_out(exc.referral, request.app.state.clock.now())
    return problem(409, f"{exc.field}: {exc.message}", request.url.path,
                   errors=[{"field": exc.field, "message": exc.message}],
                   current_status=current.status, current_version=current.version,
                   referral=current)


class ReferralController(Controller):
    path = "/api/v1/referrals"
    tags = ["referrals"]
    opt = allow(Role.COORDINATOR)  # of the client's legal circle (network.cases.scope)
    exception_handlers = {ReferralConflict: conflict_handler}  # noqa: RUF012

    @post("/", status_code=HTTP_201_CREATED,
          summary="Refer a barrier to a partner, as draft or sent (idempotent with "
                  "Idempotency-Key)")
    async def create(
        self, data: JSONBody[ReferralCreate], actor: ActorDep,
        clock: ClockDep,
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key")] = None,
    ) -> Response[ReferralDetailOut]:
        new = NewReferral(data.barrier_id, data.partner_id, data.status, data.coordinator_id,
                          data.note, data.override_reason)
        created = await actions.create(actor, clock, new, idempotency_key=idempotency_key)
        shown = detail_out(created.detail, clock.now())
        if created.replayed:
            return Response(shown, status_code=HTTP_200_OK,
                            headers={"Idempotent-Replayed": "true"})
        return Response(shown, status_code=HTTP_201_CREATED)

    @get("/", summary="Referrals by status, partner, coordinator, barrier kind, client, "
                      "overdue and free text")
    async def list_referrals(
        self, actor: ActorDep, clock: ClockDep,
        limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        status: FromQuery[list[str] | None] = None,
        partner_id: OptionalId = None,
        coordinator_id: OptionalId = None,
        barrier_kind: FromQuery[str | None] = None,
        client_id: OptionalId = None,
        overdue: FromQuery[bool | None] = None,
        text: FromQuery[str | None] = None,
    ) -> Page[ReferralOut]:
        where = ReferralFilter(tuple(status or ()), partner_id, coordinator_id, barrier_kind,
                               client_id, overdue, text)
        used = sorted(k for k, v in asdict(where).items() if v not in (None, ()))
        found = await actions.find(actor, clock, where, limit=limit, offset=offset,
                                   filters=used)
        now = clock.now()
        return Page([referral_out(r, now) for r in found.items], found.total, found.limit,
                    found.offset)

    @get("/{referral_id:int}", summary="One referral with its full history")
    async def show(self, referral_id: FromPath[int], actor: ActorDep,
                   clock: ClockDep) -> ReferralDetailOut:
        return detail_out(await actions.read(actor, clock, referral_id), clock.now())

    @post("/{referral_id:int}/transitions", status_code=HTTP_200_OK,
          summary="Change the status (send the version you saw; 409 when it changed since)")
    async def change_status(self, referral_id: FromPath[int], data: JSONBody[TransitionRequest],
                            actor: ActorDep, clock: ClockDep
                            ) -> ReferralDetailOut:
        result = await actions.transition(
            actor, clock, referral_id, data.status, expected_version=data.version,
            reason_code=data.reason_code, reason_text=data.reason_text, outcome=data.outcome,
            note=data.note, hold_until=data.hold_until)
        return detail_out(result.detail, clock.now())

    @post("/{referral_id:int}/handoff", status_code=HTTP_200_OK,
          summary="Hand off to another partner (closes this one, opens a linked one) or to "
                  "another coordinator")
    async def hand_off(self, referral_id: FromPath[int], data: JSONBody[HandoffRequest],
                       actor: ActorDep, clock: ClockDep
                       ) -> HandoffOut:
        if (data.to_partner_id is None) == (data.to_coordinator_id is None):
            raise RuleViolation("to_partner_id", "referral.handoff_target")
        if data.to_coordinator_id is not None:
            moved = await actions.hand_over(
                actor, clock, referral_id, data.to_coordinator_id,
                expected_version=data.version, note=data.note)
            return HandoffOut(detail_out(moved, clock.now()), None)
        if data.closing_status is None:
            raise RuleViolation("closing_status", "referral.closing_status_missing")
        handed = await actions.hand_off(
            actor, clock, referral_id, data.to_partner_id, data.closing_status,
            expected_version=data.version, reason_code=data.reason_code,
            reason_text=data.reason_text, outcome=data.outcome, note=data.note,
            override_reason=data.override_reason, new_status=data.new_status)
        now = clock.now()
        return HandoffOut(detail_out(handed.closed, now), detail_out(handed.opened, now))


ROUTE_HANDLERS = [ReferralController]
