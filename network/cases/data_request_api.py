"""JSON API of data requests (GDPR Art. 15, § 83 SGB X), for the coordinators of the client's
legal circle:

    GET  /api/v1/clients/{id}/data-report                the client's requests, due dates
    POST /api/v1/clients/{id}/data-request               record a request (date received)
    POST /api/v1/clients/{id}/data-report[?format=pdf]   produce the report: JSON or PDF

Producing is a POST: it marks the request answered and is audited ("client.data_report")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep, RecordId, problems
from network.cases import data_requests, scope


class DataRequestIn(msgspec.Struct):
    request_received: date  # the day the client's request came in


class DataRequestOut(msgspec.Struct):
    id: int
    received_on: date
    due_on: date
    answered_at: datetime | None


def _out(request: data_requests.DataRequest) -> DataRequestOut:
    return DataRequestOut(request.id, request.received_on, request.due_on, request.answered_at)


class DataRequestController(Controller):
    path = "/api/v1/clients/{client_id:int}"
    tags = ["clients"]
    opt = allow(Role.COORDINATOR)

    @get("/data-report", summary="The client's data requests and their due dates",
         responses=problems(404))
    async def requests(self, actor: ActorDep, client_id: RecordId) -> list[DataRequestOut]:
        await scope.require_client(actor, client_id)
        return [_out(r) for r in await data_requests.requests_of(client_id)]

    @post("/data-request", status_code=HTTP_201_CREATED,
          summary="Record a data request; the answer is due one calendar month later",
          responses=problems(404, 422))
    async def record(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                     data: JSONBody[DataRequestIn]) -> DataRequestOut:
        return _out(await data_requests.record_request(actor, clock, client_id,
                                                       data.request_received))

    @post("/data-report", status_code=200,
          summary="Produce the data report (everything held about the client): JSON or PDF",
          responses=problems(404, 409, 422))
    async def produce(self, actor: ActorDep, clock: ClockDep, client_id: RecordId,
                      data: JSONBody[DataRequestIn],
                      format: FromQuery[Literal["json", "pdf"]] = "json") -> Response[bytes]:
        report = await data_requests.produce_data_report(actor, clock, client_id,
                                                         data.request_received)
        content, media, suffix = ((report.pdf, "application/pdf", "pdf") if format == "pdf"
                                  else (report.json, "application/json", "json"))
        return Response(content, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="auskunft_{client_id}.{suffix}"',
            "Cache-Control": "private, no-store"})


ROUTE_HANDLERS = [DataRequestController]
