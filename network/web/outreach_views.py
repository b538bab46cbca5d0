"""Outreach pages ("Erstansprache", coordinators): the worklist, a prospect entered by hand,
the CSV import (upload, preview with mapping, problems and likely duplicates, confirmation),
the prospect's page with its contact attempts, parking and conversion into a case. The pages
only adapt forms to `network.outreach.actions`."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from network import words
from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.body_limit import KIB, LIMIT_OPTION
from network.cases import finding
from network.cases.values import CefrLevel
from network.errors import Conflict, RuleViolation
from network.outreach import actions, csv_import, queries, rules
from network.outreach.rules import ProspectData
from network.web import forms
from network.web.render import BERLIN, Form, page, read_form, redirect
from network.words import finding as finding_words
from network.words import outreach as outreach_words
from network.words.refusals import refusal

COORDINATORS = allow(Role.COORDINATOR)
UPLOAD_LIMIT = 2 * csv_import.MAX_BYTES + 64 * KIB  # the file (or its text) and a few fields
LANGUAGE_ROWS = 3
LEVELS = {level.value: level.value for level in CefrLevel}


def _today(clock: Any):
    return clock.now().astimezone(BERLIN).date()


def _common(**context: Any) -> dict[str, Any]:
    return {"w": outreach_words, **context}


@get("/outreach", include_in_schema=False)
async def worklist(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    good = await actions.good_countries(_today(clock))
    imported = request.query_params.get("eingelesen", "")
    return page(request, "outreach/worklist.html", title=outreach_words.NAV, **_common(
        waiting=await queries.waiting(actor, good, good=True, limit=actions.WORKLIST_SIZE),
        others=await queries.waiting(actor, good, good=False, limit=actions.WORKLIST_SIZE),
        parked=await queries.parked(actor, actions.WORKLIST_SIZE),
        imported=int(imported) if imported.isdigit() else None, most=actions.WORKLIST_SIZE,
        max_attempts=request.app.state.settings.outreach_max_attempts))


def _entry_page(request: Request, form: Form, status: int = 200,
                duplicates: list | None = None) -> Response:
    return page(request, "outreach/new.html", status, title="Person erfassen",
                **_common(form=form, language_rows=LANGUAGE_ROWS, duplicates=duplicates or []))


@get("/outreach/new", include_in_schema=False)
async def entry_form(request: Request) -> Response:
    return _entry_page(request, Form({"source": "walk_in"}))


def _prospect_from(form: Form, circle: str) -> ProspectData | None:
    born = forms.day(form, "date_of_birth")
    year = forms.number(form, "birth_year")
    since = forms.day(form, "residence_since")
    languages = [form.values.get(f"languages[{i}]", "") for i in range(LANGUAGE_ROWS)]
    if not form.ok:
        return None
    return ProspectData(
        legal_circle=circle, source=forms.text(form, "source") or "",
        first_name=forms.text(form, "first_name"), last_name=forms.text(form, "last_name"),
        date_of_birth=born, birth_year=year, country_code=forms.text(form, "country_code"),
        residence_status=forms.text(form, "residence_status"), residence_since=since,
        shelter=forms.text(form, "shelter"), address=forms.text(form, "address"),
        phone=forms.text(form, "phone"), source_note=forms.text(form, "source_note"),
        languages=tuple(code for code in languages if code))


@post("/outreach/prospects", include_in_schema=False)
async def entry_submit(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    data = _prospect_from(form, request.user.legal_circle.value)
    if data is None:
        return _entry_page(request, form, 422)
    try:
        prospect_id = await actions.add_prospect(
            actor, clock, data, duplicate_confirmed=values.get("duplicate_confirmed") == "ja")
    except Conflict:
        return _entry_page(request, form, 409, duplicates=(await actions.find_duplicates(
            data.legal_circle, [data]))[0])
    except RuleViolation as violation:
        form.fail_with(violation, {"languages": "languages[0]"})
        return _entry_page(request, form, 422)
    return redirect(f"/outreach/prospects/{prospect_id}")


def _import_page(request: Request, form: Form, status: int = 200,
                 preview: actions.ImportPreview | None = None) -> Response:
    problems = [] if preview is None else [
        {"line": p.line, "column": p.column, "text": refusal(p.code, p.params, "de")}
        for p in preview.parsed.problems]
    return page(request, "outreach/import.html", status, title="Liste einlesen (CSV)",
                **_common(form=form, preview=preview, problems=problems,
                          max_kib=csv_import.MAX_BYTES // KIB, max_rows=csv_import.MAX_ROWS,
                          headers=csv_import.HEADERS))


@get("/outreach/import", include_in_schema=False)
async def import_form(request: Request) -> Response:
    return _import_page(request, Form({"source": "immigration_office"}))


@post("/outreach/import", include_in_schema=False,
      opt={**COORDINATORS, LIMIT_OPTION: UPLOAD_LIMIT})
async def import_preview(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, data = await read_form(request)
    upload = data.get("file")
    values.pop("file", None)
    form = Form(values)
    source = forms.text(form, "source", required=True)
    body = await upload.read() if isinstance(upload, UploadFile) else b""
    if not body:
        form.refuse("file", "required")
    if not form.ok:
        return _import_page(request, form, 422)
    try:
        preview = await actions.preview_import(actor, clock, body, source or "")
    except RuleViolation as violation:
        form.fail_with(violation)
        return _import_page(request, form, 422)
    form.values["file_name"] = (upload.filename or "")[:200]  # type: ignore[union-attr]
    return _import_page(request, form, 422 if preview.parsed.problems else 200, preview)


@post("/outreach/import/apply", include_in_schema=False,
      opt={**COORDINATORS, LIMIT_OPTION: UPLOAD_LIMIT})
async def import_apply(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    form = Form({k: v for k, v in values.items() if k != "content"})
    expected = forms.number(form, "expected_rows")
    try:
        result = await actions.import_prospects(
            actor, clock, values.get("content", ""), values.get("source", ""),
            file_name=values.get("file_name") or None,
            skip_duplicates=values.get("skip_duplicates") == "ja", expected_rows=expected)
    except RuleViolation as violation:
        form.fail("file", violation.german)
        return _import_page(request, form, 422)
    return redirect(f"/outreach?eingelesen={result.added}")


async def _prospect_page(request: Request, actor: ActorDep, clock: ClockDep, prospect_id: int,
                         form: Form | None = None, status: int = 200,
                         duplicates: list | None = None) -> Response:
    prospect, attempts = await actions.read_prospect(actor, clock, prospect_id)
    good = prospect["country_code"] in await actions.good_countries(_today(clock))
    kinds = {k.value: words.CASE_KINDS[k.value] for k in rules.offered_kinds(good)}
    return page(request, "outreach/prospect.html", status,
                title=" ".join(x for x in (prospect["first_name"], prospect["last_name"]) if x)
                or f"Person {prospect_id}",
                **_common(p=prospect, attempts=attempts, good=good, kinds=kinds,
                          form=form or Form({"on_day": _today(clock).isoformat(),
                                             "case_kind": next(iter(kinds))}),
                          levels=LEVELS, duplicates=duplicates or [],
                          finding_words=finding_words,
                          max_attempts=request.app.state.settings.outreach_max_attempts))


@get("/outreach/prospects/{prospect_id:int}", include_in_schema=False)
async def prospect_detail(request: Request, actor: ActorDep, clock: ClockDep,
                          prospect_id: FromPath[int]) -> Response:
    return await _prospect_page(request, actor, clock, prospect_id)


@post("/outreach/prospects/{prospect_id:int}/attempts", include_in_schema=False)
async def attempt_submit(request: Request, actor: ActorDep, clock: ClockDep,
                         prospect_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    on_day = forms.day(form, "on_day", required=True)
    channel = forms.text(form, "channel", required=True)
    outcome = forms.text(form, "outcome", required=True)
    appointment_day = forms.day(form, "appointment_day")
    appointment_time = forms.text(form, "appointment_time")
    appointment_at = None
    if appointment_day is not None:
        try:
            at = time.fromisoformat(appointment_time or "")
        except ValueError:
            form.refuse("appointment_time", "required")
        else:
            appointment_at = datetime.combine(appointment_day, at, BERLIN)
    elif appointment_time:
        form.refuse("appointment_day", "required")
    if form.ok:
        try:
            await actions.record_attempt(
                actor, clock, prospect_id, on_day=on_day,  # type: ignore[arg-type]
                channel=channel or "", outcome=outcome or "", appointment_at=appointment_at,
                appointment_place=forms.text(form, "appointment_place"),
                note=forms.text(form, "note"),
                max_attempts=request.app.state.settings.outreach_max_attempts)
            return redirect(f"/outreach/prospects/{prospect_id}#versuche")
        except RuleViolation as violation:
            form.fail_with(violation, {"appointment_at": "appointment_day",
                                       "prospect": "outcome"})
    return await _prospect_page(request, actor, clock, prospect_id, form, 422)


@post("/outreach/prospects/{prospect_id:int}/park", include_in_schema=False)
async def park_submit(request: Request, actor: ActorDep, clock: ClockDep,
                      prospect_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    await actions.park(actor, clock, prospect_id, values.get("reason", ""))
    return redirect(f"/outreach/prospects/{prospect_id}")


@post("/outreach/prospects/{prospect_id:int}/unpark", include_in_schema=False)
async def unpark_submit(actor: ActorDep, clock: ClockDep, prospect_id: FromPath[int]
                        ) -> Response:
    await actions.unpark(actor, clock, prospect_id)
    return redirect(f"/outreach/prospects/{prospect_id}")


@post("/outreach/prospects/{prospect_id:int}/convert", include_in_schema=False)
async def convert_submit(request: Request, actor: ActorDep, clock: ClockDep,
                         prospect_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    gender = forms.text(form, "gender", required=True)
    born = forms.day(form, "date_of_birth")
    levels = {key[len("level_"):]: value for key, value in values.items()
              if key.startswith("level_") and value}
    if form.ok:
        conversion = actions.Conversion(
            case_kind=values.get("case_kind", ""), gender=gender or "", date_of_birth=born,
            residence_status=forms.text(form, "residence_status"),
            enrolment_reason=forms.text(form, "enrolment_reason"), levels=levels)
        try:
            client = await actions.convert(
                actor, clock, prospect_id, conversion,
                duplicate_confirmed=values.get("duplicate_confirmed") == "ja")
            return redirect(f"/clients/{client.id}", "aufgenommen")
        except Conflict as conflict:
            if conflict.code != "possible_duplicate":
                raise
            prospect, _ = await actions.read_prospect(actor, clock, prospect_id)
            found = [actions.Match("client", d["id"], d["first_name"], d["last_name"],
                                   d["date_of_birth"])
                     for d in await finding.possible_duplicates(
                         actor, prospect["first_name"], prospect["last_name"],
                         prospect["date_of_birth"] or born)]
            return await _prospect_page(request, actor, clock, prospect_id, form, 409,
                                        duplicates=found)
        except RuleViolation as violation:
            form.fail_with(violation, {"prospect": "case_kind",
                                       "languages": "case_kind"})
    return await _prospect_page(request, actor, clock, prospect_id, form, 422)


ROUTER = Router("/", opt=COORDINATORS, route_handlers=[
    worklist, entry_form, entry_submit, import_form, import_preview, import_apply,
    prospect_detail, attempt_submit, park_submit, unpark_submit, convert_submit])
