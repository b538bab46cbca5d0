"""JSON API for the partner network: find, read, add and change partners.

Readable and writable by administrators and coordinators (viewers see reports only). Every
write is an action (network.partners.actions), audited in its transaction. The partner-side
fields (the pause, the last confirmation, the served municipalities) are read-only here except
through their actions: staff set a pause or confirm an entry for a partner on the phone
(`POST /{id}/pause`, `POST /{id}/confirm`). `stale` flags an entry not confirmed for six
months (network.partners.staleness).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.accounts.access import STAFF, allow
from network.api_types import UNSET, ActorDep, ClockDep, RecordId, Unset, present, problems
from network.cases.values import BarrierKind
from network.clock import Clock
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page
from network.partners import actions, service, staleness
from network.partners.kinds import PartnerKind


class Contact(msgspec.Struct):
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None


class PartnerIn(msgspec.Struct):
    name: str
    kind: PartnerKind
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    referral_emails: list[str] = []
    contacts: list[Contact] = []
    languages: list[str] = []  # ISO 639-1 codes, e.g. "ar"
    barrier_kinds: list[BarrierKind] = []
    opening_hours: str | None = None
    notes: str | None = None
    active: bool = True
    served_municipalities: list[str] = []  # of the district's ten; empty: the whole district


class PartnerChange(msgspec.Struct):
    """Only the fields present change; `contacts` replaces the whole list."""

    name: str | Unset = UNSET
    kind: PartnerKind | Unset = UNSET
    street: str | None | Unset = UNSET
    postal_code: str | None | Unset = UNSET
    city: str | None | Unset = UNSET
    phone: str | None | Unset = UNSET
    referral_emails: list[str] | Unset = UNSET
    contacts: list[Contact] | Unset = UNSET
    languages: list[str] | Unset = UNSET
    barrier_kinds: list[BarrierKind] | Unset = UNSET
    opening_hours: str | None | Unset = UNSET
    notes: str | None | Unset = UNSET
    active: bool | Unset = UNSET
    served_municipalities: list[str] | Unset = UNSET


class PartnerOut(msgspec.Struct):
    id: int
    name: str
    kind: PartnerKind
    street: str | None
    postal_code: str | None
    city: str | None
    phone: str | None
    referral_emails: list[str]
    contacts: list[Contact]
    languages: list[str]
    barrier_kinds: list[BarrierKind]
    opening_hours: str | None
    notes: str | None
    active: bool
    served_municipalities: list[str]
    created_at: datetime
    updated_at: datetime
    paused_until: date | None  # no new clients through this day
    pause_note: str | None
    confirmed_at: datetime | None  # the entry last confirmed as correct
    stale: bool  # not confirmed for six calendar months (or never)


class PauseIn(msgspec.Struct):
    """`until` today or later (a year ahead at most); null ends the pause."""

    until: date | None = None
    note: str | None = None


def partner_out(partner: service.Partner, clock: Clock) -> PartnerOut:
    values = {name: getattr(partner, name) for name in PartnerOut.__struct_fields__
              if name != "stale"}
    return msgspec.convert({**values, "stale": staleness.is_stale(partner.confirmed_at,
                                                                  clock.now())},
                           PartnerOut, from_attributes=True)


def _service_values(values: dict[str, Any]) -> dict[str, Any]:
    """Lists become the tuples the service's dataclasses hold; contacts become its type."""
    result = {}
    for name, value in values.items():
        if name == "contacts":
            value = [service.ContactPerson(c.name, c.role, c.email, c.phone) for c in value]
        result[name] = tuple(value) if isinstance(value, list) else value
    return result


LanguageCode = Annotated[str | None, Parameter(max_length=3, description="ISO 639-1, e.g. ar")]
SearchText = Annotated[str | None, Parameter(max_length=200, description="Words to look for")]


class PartnersController(Controller):
    path = "/api/v1/partners"
    tags = ["partners"]
    opt = allow(*STAFF)

    @get("/", summary="Find partners", responses=problems(422))
    async def list_partners(
        self, clock: ClockDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        kind: FromQuery[PartnerKind | None] = None,
        barrier_kind: FromQuery[BarrierKind | None] = None,
        language: LanguageCode = None, text: SearchText = None,
        active: FromQuery[bool | None] = None,
    ) -> Page[PartnerOut]:
        """Every filter given must match: `kind`, a `barrier_kind` the partner handles, a
        `language` spoken, `text` (each word somewhere in name, address, phone, emails,
        notes, opening hours or contact persons), `active`. Sorted by name."""
        page = await service.search_partners(kind=kind, barrier_kind=barrier_kind,
                                             language=language, text=text, active=active,
                                             limit=limit, offset=offset)
        return Page([partner_out(p, clock) for p in page.items], page.total, page.limit,
                    page.offset)

    @post("/", summary="Add a partner", status_code=HTTP_201_CREATED,
          responses=problems(409, 422))
    async def create_partner(self, actor: ActorDep, clock: ClockDep,
                             data: JSONBody[PartnerIn]) -> PartnerOut:
        values = _service_values(msgspec.structs.asdict(data))
        partner = await actions.create_partner(actor, clock, service.PartnerData(**values))
        return partner_out(partner, clock)

    @get("/{partner_id:int}", summary="One partner", responses=problems(404))
    async def get_partner(self, partner_id: RecordId, clock: ClockDep) -> PartnerOut:
        return partner_out(await service.get_partner(partner_id), clock)

    @patch("/{partner_id:int}", summary="Change a partner (only the fields sent)",
           responses=problems(404, 409, 422))
    async def change_partner(self, actor: ActorDep, clock: ClockDep, partner_id: RecordId,
                             data: JSONBody[PartnerChange]) -> PartnerOut:
        changes = _service_values(present(data))
        return partner_out(await actions.update_partner(actor, clock, partner_id, changes),
                           clock)

    @post("/{partner_id:int}/pause", summary="Set or end a partner's capacity pause",
          status_code=HTTP_200_OK, responses=problems(404, 422))
    async def pause_partner(self, actor: ActorDep, clock: ClockDep, partner_id: RecordId,
                            data: JSONBody[PauseIn]) -> PartnerOut:
        """No new clients through `until`, with an optional note (for a partner on the
        phone); `until: null` ends the pause."""
        return partner_out(await actions.set_pause(actor, clock, partner_id, data.until,
                                                   data.note), clock)

    @post("/{partner_id:int}/confirm", summary="Confirm a partner's entry as correct",
          status_code=HTTP_200_OK, responses=problems(404))
    async def confirm_partner(self, actor: ActorDep, clock: ClockDep,
                              partner_id: RecordId) -> PartnerOut:
        return partner_out(await actions.confirm_entry(actor, clock, partner_id), clock)


ROUTE_HANDLERS = [PartnersController]
