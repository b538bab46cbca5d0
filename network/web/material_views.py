"""Information material: the staff's catalogue pages (list with flags, add with a file
upload, replace a file, retire), a leaflet's file, and on the case page the offers, the
one-click handing-out and the printable bundle (one PDF)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.body_limit import KIB, LIMIT_OPTION
from network.cases import service as cases
from network.errors import RuleViolation
from network.materials import actions, files
from network.materials import service as materials
from network.web import forms
from network.web.render import BERLIN, Form, page, read_form, redirect
from network.words import materials as material_words

UPLOAD_LIMIT = files.MAX_FILE_BYTES + 64 * KIB  # the file and the form's few fields
STAFF = allow(Role.ADMIN, Role.COORDINATOR)


async def case_section(actor: Any, clock: Any, client_id: int) -> dict[str, Any]:
    """The case page's one context value: what fits the client and what they were given."""
    return {"offers": await actions.offers_for(actor, clock, client_id),
            "handouts": await materials.handouts_of(client_id),
            "overdue_word": material_words.OVERDUE,
            "topics": material_words.MATERIAL_TOPICS}


async def _list_page(request: Request, clock: ClockDep, form: Form, status: int = 200
                     ) -> Response:
    return page(request, "materials/list.html", status, title="Informationsmaterial",
                items=await materials.list_materials(), form=form,
                topics=material_words.MATERIAL_TOPICS,
                providers={str(k): v for k, v in (await materials.providers()).items()},
                today=clock.now().astimezone(BERLIN).date(), words_m=material_words)


@get("/materials", include_in_schema=False)
async def material_list(request: Request, clock: ClockDep) -> Response:
    return await _list_page(request, clock, Form())


async def _upload(data: Any, name: str = "file") -> bytes | None:
    upload = data.get(name)
    if not isinstance(upload, UploadFile):
        return None
    body = await upload.read()
    return body or None


@post("/materials", include_in_schema=False, opt={**STAFF, LIMIT_OPTION: UPLOAD_LIMIT})
async def material_add(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, data = await read_form(request)
    values.pop("file", None)
    form = Form(values)
    title = forms.text(form, "title", required=True)
    topic = forms.text(form, "topic", required=True)
    review_on = forms.day(form, "review_on", required=True)
    languages = [c.strip() for c in (values.get("languages") or "").split(",") if c.strip()]
    provider = values.get("partner_id") or ""
    body = await _upload(data)
    link = forms.text(form, "link")
    if form.ok:
        try:
            await actions.add_material(
                actor, clock, title=title or "", topic=topic or "", languages=languages,
                review_on=review_on, file=body, link=link,  # type: ignore[arg-type]
                partner_id=int(provider) if provider.isdigit() else None)
            return redirect("/materials")
        except RuleViolation as violation:
            form.fail_with(violation, {"material": "file"})
    return await _list_page(request, clock, form, 422)


@post("/materials/{material_id:int}/file", include_in_schema=False,
      opt={**STAFF, LIMIT_OPTION: UPLOAD_LIMIT})
async def material_replace(request: Request, actor: ActorDep, clock: ClockDep,
                           material_id: FromPath[int]) -> Response:
    values, data = await read_form(request)
    form = Form({"review_on": values.get("review_on", "")})
    review_on = forms.day(form, "review_on")
    try:
        if form.ok:
            await actions.replace_file(actor, clock, material_id, await _upload(data) or b"",
                                       review_on=review_on)
            return redirect("/materials")
    except RuleViolation as violation:
        form.fail_with(violation)
    return await _list_page(request, clock, form, 422)


@post("/materials/{material_id:int}/retire", include_in_schema=False)
async def material_retire(actor: ActorDep, clock: ClockDep, material_id: FromPath[int]
                          ) -> Response:
    await actions.retire_material(actor, clock, material_id)
    return redirect("/materials")


@get("/materials/{material_id:int}/file", include_in_schema=False)
async def material_file(material_id: FromPath[int]) -> Response:
    found = await materials.file_of(material_id)
    if found is None:
        raise RuleViolation("material", "material_is_link")
    body, kind = found
    return Response(body, media_type=kind, headers={
        "Content-Disposition": f'inline; filename="material-{material_id}"'})


@post("/clients/{client_id:int}/material/{material_id:int}", include_in_schema=False,
      opt=allow(Role.COORDINATOR))
async def material_hand_out(actor: ActorDep, clock: ClockDep, client_id: FromPath[int],
                            material_id: FromPath[int]) -> Response:
    await actions.hand_out(actor, clock, client_id, material_id)
    return redirect(f"/clients/{client_id}#material")


@get("/clients/{client_id:int}/material/bundle", include_in_schema=False,
     opt=allow(Role.COORDINATOR))
async def material_bundle(request: Request, actor: ActorDep, clock: ClockDep,
                          client_id: FromPath[int]) -> Response:
    client = await cases.get_client(actor, client_id)
    pdf = await actions.print_bundle(
        actor, clock, client_id, request.app.state.settings.integration_point,
        f"{client.first_name or ''} {client.last_name or ''}".strip() or f"Fall {client_id}")
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="material-{client_id}.pdf"'})


ROUTER = Router("/", opt=STAFF, route_handlers=[
    material_list, material_add, material_replace, material_retire, material_file,
    material_hand_out, material_bundle])
