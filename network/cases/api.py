"""JSON API for client cases: clients, their barriers, consents and potential analysis.

Only coordinators see client data, and only of their own legal circle (network.cases.scope).
Every write is audited by the service in its own transaction; every read of a client's
record is audited here, in the transaction of the read (`audited_read`), with ids only in
the details: never names or health details.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.accounts import audit
from network.accounts.access import Role, allow
from network.api_types import (
    UNSET,
    ActorDep,
    ClockDep,
    OptionalId,
    RecordId,
    Unset,
    present,
    problems,
)
from network.cases import actions, barriers, handovers, service
from network.cases.actions import audited_read
from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CaseStatus,
    CefrLevel,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.errors import NotFound
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page, limit_and_offset
from network.partners.kinds import PartnerKind
from network.transactions import transaction

T = TypeVar("T")

# Coordinators only (administrators manage accounts, not cases), and each sees the clients of
# their own legal circle only (network.cases.scope): another circle's client answers 404.
CASE_WORKERS = allow(Role.COORDINATOR)

# Responses that are the domain's own records, field for field: the schema documents them.
ClientOut = service.Client  # after pseudonymisation or erasure the personal fields are null
BarrierOut = barriers.Barrier
HandoverOut = handovers.Handover  # the client's name and birth date: what the receiver decides on


# --- structs ------------------------------------------------------------------------------


class Language(msgspec.Struct):
    language: str  # ISO 639-1, e.g. "ar"
    level: CefrLevel


class ClientIn(msgspec.Struct):
    first_name: str
    last_name: str
    date_of_birth: date
    gender: Gender
    country_of_origin: str  # ISO 3166-1 alpha-2, e.g. "SY"
    residence_status: ResidenceStatus
    legal_circle: LegalCircle
    case_kind: CaseKind = CaseKind.FIRST_CONSULTATION
    enrolment_reason: str | None = None  # required to enrol without good prospects
    coordinator_id: int | None = None
    case_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    notes: str | None = None
    languages: list[Language] = []
    municipality: str | None = None  # one of the district's ten, e.g. "Wegberg"
    # Barriers to open with the case; absent: the defaults (the education track under 25).
    barrier_kinds: list[BarrierKind] | None = None


class ClientChange(msgspec.Struct):
    """Only the fields present change; `languages` replaces the whole list."""

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    date_of_birth: date | Unset = UNSET
    gender: Gender | Unset = UNSET
    country_of_origin: str | Unset = UNSET
    residence_status: ResidenceStatus | Unset = UNSET
    legal_circle: LegalCircle | Unset = UNSET
    case_kind: CaseKind | Unset = UNSET
    enrolment_reason: str | None | Unset = UNSET
    coordinator_id: int | None | Unset = UNSET
    case_number: str | None | Unset = UNSET
    phone: str | None | Unset = UNSET
    email: str | None | Unset = UNSET
    address: str | None | Unset = UNSET
    notes: str | None | Unset = UNSET
    languages: list[Language] | Unset = UNSET
    municipality: str | None | Unset = UNSET


class CloseRequest(msgspec.Struct):
    outcome: Outcome
    note: str | None = None


class BarrierIn(msgspec.Struct):
    kind: BarrierKind
    description: str | None = None


class BarrierChange(msgspec.Struct):
    kind: BarrierKind | Unset = UNSET
    description: str | None | Unset = UNSET


class BarrierStatusChange(msgspec.Struct):
    status: BarrierStatus
    unresolvable_reason: str | None = None  # required for `unresolvable`
    note: str | None = None


class ConsentIn(msgspec.Struct):
    partner_kinds: list[PartnerKind]  # the kinds of partner the client agreed to share with
    given_at: datetime | None = None  # when signed; default now, never in the future


class ConsentWithdrawal(msgspec.Struct):
    withdrawn_at: datetime | None = None  # default now


class HandoverProposal(msgspec.Struct):
    reason: str  # why the client moves to the other legal circle (e.g. asylum granted)


class HandoverAcceptance(msgspec.Struct):
    coordinator_id: int | None = None  # of the receiving circle; default: who accepts


class HandoverDecline(msgspec.Struct):
    reason: str


class ConsentOut(msgspec.Struct):
    id: int
    client_id: int
    given_at: datetime
    recorded_by: int | None
    partner_kinds: list[PartnerKind]
    withdrawn_at: datetime | None
    withdrawn_by: int | None


class Qualification(msgspec.Struct):
    kind: QualificationKind
    title: str
    has_documents: bool
    country_code: str | None = None


class PotentialAnalysisIn(msgspec.Struct):
    schooling_years: int | None = None
    work_experience_years: int | None = None
    work_experience: str | None = None
    skills: str | None = None
    notes: str | None = None
    qualifications: list[Qualification] = []
    languages: list[Language] | None = None  # null: keep the client's languages


class PotentialAnalysisOut(msgspec.Struct):
    client_id: int
    schooling_years: int | None
    work_experience_years: int | None
    work_experience: str | None
    skills: str | None
    notes: str | None
    qualifications: list[Qualification]
    languages: list[Language]
    recorded_by: int | None
    recorded_at: datetime
    updated_at: datetime


def _out(value: Any, kind: type[T]) -> T:
    return msgspec.convert(value, kind, from_attributes=True)


def _page(page: Page[Any], kind: type[T]) -> Page[T]:
    return Page([_out(item, kind) for item in page.items], page.total, page.limit, page.offset)


def _slice(items: Sequence[Any], kind: type[T], limit: int, offset: int) -> Page[T]:
    limit, offset = limit_and_offset(limit, offset)
    return Page([_out(item, kind) for item in items[offset:offset + limit]], len(items),
                limit, offset)


def _skills(languages: list[Language]) -> tuple[service.LanguageSkill, ...]:
    return tuple(service.LanguageSkill(s.language, s.level) for s in languages)


def _client_values(values: dict[str, Any]) -> dict[str, Any]:
    if "languages" in values:
        values["languages"] = _skills(values["languages"])
    return values


SearchText = Annotated[str | None, Parameter(max_length=200, description="Words to look for")]


# --- controllers --------------------------------------------------------------------------


class ClientsController(Controller):
    path = "/api/v1/clients"
    tags = ["clients"]
    opt = CASE_WORKERS

    @get("/", summary="Find cases", responses=problems(422))
    async def list_clients(
        self, actor: ActorDep, clock: ClockDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        status: FromQuery[CaseStatus | None] = None, coordinator_id: OptionalId = None,
        case_kind: FromQuery[CaseKind | None] = None,
        legal_circle: FromQuery[LegalCircle | None] = None, text: SearchText = None,
    ) -> Page[ClientOut]:
        """Every filter given must match; `text` looks for each word in the names, case
        number, email and phone. Newest cases first."""
        async with transaction():
            page = await service.list_clients(
                actor, status=status, coordinator_id=coordinator_id, case_kind=case_kind,
                legal_circle=legal_circle, text=text, limit=limit, offset=offset)
            await audit.record(actor, "client.listed", "client", None,
                               {"client_ids": [c.id for c in page.items]}, at=clock.now())
        return _page(page, ClientOut)

    @post("/", summary="Open a case", status_code=HTTP_201_CREATED,
          responses=problems(409, 422))
    async def create_client(self, actor: ActorDep, clock: ClockDep,
            data: JSONBody[ClientIn]) -> ClientOut:
        values = _client_values(msgspec.structs.asdict(data))
        kinds = values.pop("barrier_kinds")
        client = await actions.create_client(actor, clock, service.ClientData(**values),
                                             barrier_kinds=kinds)
        return _out(client, ClientOut)

    @get("/{client_id:int}", summary="One case", responses=problems(404))
    async def get_client(self, actor: ActorDep, clock: ClockDep, client_id: RecordId) -> ClientOut:
        async with audited_read(actor, clock, "client.read", client_id):
            return _out(await service.get_client(actor, client_id), ClientOut)

    @patch("/{client_id:int}", summary="Change a case (only the fields sent)",
           responses=problems(404, 409, 422))
    async def change_client(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                            data: JSONBody[ClientChange]) -> ClientOut:
        changes = _client_values(present(data))
        return _out(await actions.update_client(actor, clock, client_id, changes), ClientOut)

    @post("/{client_id:int}/close", summary="Close a case with its outcome",
          status_code=HTTP_200_OK, responses=problems(404, 422))
    async def close_client(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                           data: JSONBody[CloseRequest]) -> ClientOut:
        """Refused (422) while a barrier is open or in progress."""
        client = await actions.close_case(actor, clock, client_id, data.outcome,
                                          note=data.note)
        return _out(client, ClientOut)

    @post("/{client_id:int}/erase", summary="Erase a client's personal data (on request)",
          status_code=HTTP_200_OK, responses=problems(404))
    async def erase_client(self, actor: ActorDep, clock: ClockDep,
            client_id: RecordId) -> ClientOut:
        """A coordinator of the client's legal circle, on the client's request. Names, birth
        date, contact data and notes go everywhere; the figures stay."""
        return _out(await actions.erase_client(actor, clock, client_id), ClientOut)

    @get("/{client_id:int}/barriers", summary="The case's barriers", responses=problems(404))
    async def list_barriers(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                            limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                            ) -> Page[BarrierOut]:
        async with audited_read(actor, clock, "barriers.read", client_id):
            items = await barriers.list_barriers(actor, client_id)
        return _slice(items, BarrierOut, limit, offset)

    @post("/{client_id:int}/barriers", summary="Add a barrier to an open case",
          status_code=HTTP_201_CREATED, responses=problems(404, 422))
    async def add_barrier(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                          data: JSONBody[BarrierIn]) -> BarrierOut:
        barrier = await actions.add_barrier(actor, clock, client_id, data.kind,
                                            data.description)
        return _out(barrier, BarrierOut)

    @get("/{client_id:int}/consents", summary="The client's consents to share data",
         responses=problems(404))
    async def list_consents(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                            limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                            ) -> Page[ConsentOut]:
        async with audited_read(actor, clock, "consents.read", client_id):
            items = await service.list_consents(actor, client_id)
        return _slice(items, ConsentOut, limit, offset)

    @post("/{client_id:int}/consents", summary="Record a consent to share data",
          status_code=HTTP_201_CREATED, responses=problems(404, 422))
    async def give_consent(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                           data: JSONBody[ConsentIn]) -> ConsentOut:
        consent = await actions.give_consent(actor, clock, client_id, data.partner_kinds,
                                             given_at=data.given_at)
        return _out(consent, ConsentOut)

    @post("/{client_id:int}/circle-handovers",
          summary="Propose handing the client over to the other legal circle",
          status_code=HTTP_201_CREATED, responses=problems(404, 409, 422))
    async def propose_handover(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                               data: JSONBody[HandoverProposal]) -> HandoverOut:
        """The client stays in its circle until a coordinator of the other one accepts
        (`POST /api/v1/circle-handovers/{id}/accept`). 409 while one is pending."""
        return _out(await actions.propose_circle_handover(actor, clock, client_id,
                                                          data.reason), HandoverOut)

    @get("/{client_id:int}/circle-handovers", summary="The client's handovers between circles",
         responses=problems(404))
    async def client_handovers(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
                               ) -> Page[HandoverOut]:
        async with audited_read(actor, clock, "client.read", client_id):
            items = await handovers.of_client(actor, client_id)
        return _slice(items, HandoverOut, limit, offset)

    @get("/{client_id:int}/potential-analysis", summary="The client's potential analysis",
         responses=problems(404))
    async def get_potential_analysis(self, actor: ActorDep, clock: ClockDep, client_id: RecordId
                                     ) -> PotentialAnalysisOut:
        async with audited_read(actor, clock, "potential_analysis.read", client_id):
            analysis = await service.get_potential_analysis(actor, client_id)
            if analysis is None:
                raise NotFound("potential analysis of client", client_id)
        return _out(analysis, PotentialAnalysisOut)

    @put("/{client_id:int}/potential-analysis", summary="Record the potential analysis",
         responses=problems(404, 422))
    async def record_potential_analysis(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                                        data: JSONBody[PotentialAnalysisIn]
                                        ) -> PotentialAnalysisOut:
        analysis = service.PotentialAnalysisData(
            schooling_years=data.schooling_years,
            work_experience_years=data.work_experience_years,
            work_experience=data.work_experience, skills=data.skills, notes=data.notes,
            qualifications=tuple(service.QualificationData(q.kind, q.title, q.has_documents,
                                                           q.country_code)
                                 for q in data.qualifications),
            languages=None if data.languages is None else _skills(data.languages))
        recorded = await actions.record_potential_analysis(actor, clock, client_id,
                                                          analysis)
        return _out(recorded, PotentialAnalysisOut)


class BarriersController(Controller):
    path = "/api/v1/barriers"
    tags = ["clients"]
    opt = CASE_WORKERS

    @get("/", summary="Unfinished barriers of open cases, oldest first (the work list)",
         responses=problems(422))
    async def work_list(self, actor: ActorDep, clock: ClockDep, limit: Limit = DEFAULT_LIMIT,
                        offset: Offset = 0, kind: FromQuery[BarrierKind | None] = None,
                        coordinator_id: OptionalId = None) -> Page[BarrierOut]:
        async with transaction():
            page = await barriers.list_unfinished_barriers(
                actor, kind=kind, coordinator_id=coordinator_id, limit=limit, offset=offset)
            await audit.record(actor, "barriers.listed", "barrier", None,
                               {"barrier_ids": [b.id for b in page.items]}, at=clock.now())
        return _page(page, BarrierOut)

    @get("/{barrier_id:int}", summary="One barrier", responses=problems(404))
    async def get_barrier(self, actor: ActorDep, clock: ClockDep,
            barrier_id: RecordId) -> BarrierOut:
        async with transaction():
            barrier = await barriers.get_barrier(actor, barrier_id)
            await audit.record(actor, "barrier.read", "client", barrier.client_id,
                               {"barrier_id": barrier_id}, at=clock.now())
        return _out(barrier, BarrierOut)

    @patch("/{barrier_id:int}", summary="Change a barrier's kind or description",
           responses=problems(404, 422))
    async def change_barrier(self, actor: ActorDep, clock: ClockDep, barrier_id: RecordId,
                             data: JSONBody[BarrierChange]) -> BarrierOut:
        return _out(await actions.update_barrier(actor, clock, barrier_id, present(data)),
                    BarrierOut)

    @post("/{barrier_id:int}/status", summary="Move a barrier to another status",
          status_code=HTTP_200_OK, responses=problems(404, 422))
    async def change_status(self, actor: ActorDep, clock: ClockDep, barrier_id: RecordId,
                            data: JSONBody[BarrierStatusChange]) -> BarrierOut:
        """`unresolvable` needs `unresolvable_reason`; the allowed moves are open ->
        in_progress | resolved | unresolvable, in_progress -> open | resolved |
        unresolvable, resolved | unresolvable -> open."""
        barrier = await actions.change_barrier_status(
            actor, clock, barrier_id, data.status, reason=data.unresolvable_reason,
            note=data.note)
        return _out(barrier, BarrierOut)


class ConsentsController(Controller):
    path = "/api/v1/consents"
    tags = ["clients"]
    opt = CASE_WORKERS

    @post("/{consent_id:int}/withdraw", summary="Withdraw a consent",
          status_code=HTTP_200_OK, responses=problems(404, 422))
    async def withdraw(self, actor: ActorDep, clock: ClockDep, consent_id: RecordId,
                       data: JSONBody[ConsentWithdrawal]) -> ConsentOut:
        consent = await actions.withdraw_consent(actor, clock, consent_id,
                                                 at=data.withdrawn_at)
        return _out(consent, ConsentOut)


class HandoversController(Controller):
    """Moving a client between legal circles: the receiving circle accepts or declines, the
    sending one may withdraw while it is pending."""

    path = "/api/v1/circle-handovers"
    tags = ["clients"]
    opt = CASE_WORKERS

    @get("/", summary="Pending handovers into or out of my legal circle, oldest first",
         responses=problems())
    async def pending(self, actor: ActorDep, clock: ClockDep, limit: Limit = DEFAULT_LIMIT,
                      offset: Offset = 0) -> Page[HandoverOut]:
        """Coming in: the client's name, birth date and the reason, nothing more of the case
        until it is accepted."""
        items = await actions.pending_handovers(actor, clock)
        return _slice(items, HandoverOut, limit, offset)

    @get("/{handover_id:int}", summary="One handover", responses=problems(404))
    async def one(self, actor: ActorDep, clock: ClockDep, handover_id: RecordId) -> HandoverOut:
        return _out(await actions.read_handover(actor, clock, handover_id), HandoverOut)

    @post("/{handover_id:int}/accept", summary="Take the client over into my legal circle",
          status_code=HTTP_200_OK, responses=problems(404, 409, 422))
    async def accept(self, actor: ActorDep, clock: ClockDep, handover_id: RecordId,
                     data: JSONBody[HandoverAcceptance]) -> HandoverOut:
        """The client's legal circle and coordinator change; its open referrals follow."""
        return _out(await actions.accept_circle_handover(
            actor, clock, handover_id, coordinator_id=data.coordinator_id), HandoverOut)

    @post("/{handover_id:int}/decline", summary="Do not take the client over (with a reason)",
          status_code=HTTP_200_OK, responses=problems(404, 409, 422))
    async def decline(self, actor: ActorDep, clock: ClockDep, handover_id: RecordId,
                      data: JSONBody[HandoverDecline]) -> HandoverOut:
        return _out(await actions.decline_circle_handover(actor, clock, handover_id,
                                                          data.reason), HandoverOut)

    @post("/{handover_id:int}/withdraw", summary="Take back a pending proposal (sending side)",
          status_code=HTTP_200_OK, responses=problems(404, 409))
    async def withdraw(self, actor: ActorDep, clock: ClockDep,
                       handover_id: RecordId) -> HandoverOut:
        return _out(await actions.withdraw_circle_handover(actor, clock, handover_id),
                    HandoverOut)


ROUTE_HANDLERS = [ClientsController, BarriersController, ConsentsController,
                  HandoversController]
