"""The case page's data-request section (clients/_data_request.html): record that a client's
request came in (its answer due a month later) and produce the report as PDF or JSON. The
actions are network.cases.data_requests; a refusal (a date in the future, the data
pseudonymised or erased) shows on the error page in German."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, Router, post
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.cases import data_requests
from network.errors import RuleViolation
from network.web.render import BERLIN, read_form, redirect


async def _received(request: Request, clock: ClockDep) -> tuple[date, str]:
    values, _ = await read_form(request)
    text = str(values.get("request_received") or "").strip()
    try:
        received = date.fromisoformat(text) if text else (
            clock.now().astimezone(BERLIN).date())
    except ValueError:
        raise RuleViolation("request_received", "not_a_date") from None
    return received, str(values.get("format") or "pdf")


@post("/clients/{client_id:int}/data-request", include_in_schema=False)
async def record_request(request: Request, actor: ActorDep, clock: ClockDep,
                         client_id: FromPath[int]) -> Response:
    received, _ = await _received(request, clock)
    await data_requests.record_request(actor, clock, client_id, received)
    return redirect(f"/clients/{client_id}#auskunft")


@post("/clients/{client_id:int}/data-report", status_code=200, include_in_schema=False)
async def produce_report(request: Request, actor: ActorDep, clock: ClockDep,
                         client_id: FromPath[int]) -> Response:
    received, kind = await _received(request, clock)
    report = await data_requests.produce_data_report(actor, clock, client_id, received)
    content, media, suffix = ((report.json, "application/json", "json") if kind == "json"
                              else (report.pdf, "application/pdf", "pdf"))
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="auskunft_{client_id}.{suffix}"',
        "Cache-Control": "private, no-store"})


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[record_request,
                                                                  produce_report])
