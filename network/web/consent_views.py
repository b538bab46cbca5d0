"""The consent form on the case page: the blank form to print (a PDF in German and the
client's language, network.web.consent_form), the signed form attached to its consent record
(a PDF or photo, size-limited) and opened again (every opening audited)."""

from __future__ import annotations

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.body_limit import KIB, LIMIT_OPTION
from network.cases import actions, consent_forms
from network.cases import service as cases
from network.errors import RuleViolation
from network.web import client_views, slip
from network.web.render import BERLIN, Form, read_form, redirect
from network.words.dates import day

UPLOAD_LIMIT = consent_forms.MAX_BYTES + 64 * KIB  # the file and the form's few fields
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                "Content-Security-Policy": "default-src 'none'; sandbox"}


@get("/clients/{client_id:int}/einwilligungsformular", include_in_schema=False)
async def blank_form(request: Request, actor: ActorDep, clock: ClockDep,
                     client_id: FromPath[int]) -> Response:
    """The form to print and sign, in `?sprache=` or the client's first slip language."""
    from network.web import consent_form  # fpdf only when a form is printed

    client = await actions.print_consent_form(actor, clock, client_id)
    code = slip.language_for([s.language for s in client.languages],
                             request.query_params.get("sprache"))
    name = f"{client.first_name or ''} {client.last_name or ''}".strip()
    born = day(client.date_of_birth) if client.date_of_birth else str(client.birth_year or "")
    body = consent_form.build(
        code, consent_form.Person(name, born, client.case_number),
        request.app.state.settings.integration_point, clock.now().astimezone(BERLIN).date())
    return Response(body, media_type="application/pdf", headers={
        **FILE_HEADERS,
        "Content-Disposition": f'inline; filename="einwilligung-{client_id}-{code}.pdf"'})


async def _consent_of_case(actor: ActorDep, client_id: int, consent_id: int) -> None:
    if not any(c.id == consent_id for c in await cases.list_consents(actor, client_id)):
        raise RuleViolation("consent", "consent_of_other_case")


@post("/clients/{client_id:int}/consents/{consent_id:int}/formular", include_in_schema=False,
      opt={**allow(Role.COORDINATOR), LIMIT_OPTION: UPLOAD_LIMIT})
async def attach(request: Request, actor: ActorDep, clock: ClockDep, client_id: FromPath[int],
                 consent_id: FromPath[int]) -> Response:
    await _consent_of_case(actor, client_id, consent_id)
    _, data = await read_form(request)
    upload = data.get(consent_forms.FIELD)
    body = await upload.read() if isinstance(upload, UploadFile) else None
    try:
        await actions.attach_consent_form(actor, clock, consent_id, body)
    except RuleViolation as violation:
        form = Form({"consent_id": consent_id})
        form.fail_with(violation)
        return await client_views.case_page(request, actor, clock, client_id, 422,
                                            consent_form_upload=form)
    return redirect(f"/clients/{client_id}#einwilligung", "formular-hinterlegt")


@get("/clients/{client_id:int}/consents/{consent_id:int}/formular", include_in_schema=False)
async def open_attached(actor: ActorDep, clock: ClockDep, client_id: FromPath[int],
                        consent_id: FromPath[int]) -> Response:
    await _consent_of_case(actor, client_id, consent_id)
    body, kind = await actions.open_consent_form(actor, clock, consent_id)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[kind]
    return Response(body, media_type=kind, headers={
        **FILE_HEADERS,
        "Content-Disposition": f'inline; filename="einwilligung-{consent_id}.{extension}"'})


ROUTER = Router("/", opt=allow(Role.COORDINATOR),
                route_handlers=[blank_form, attach, open_attached])
