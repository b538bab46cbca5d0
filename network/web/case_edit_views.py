"""Editing a case in the browser (issue 15): the client's master data, contact, notes and
languages (in their order: the first is the main one), a barrier's kind and description, and
the dated consultation notes of the case's history. The changes are
network.cases.actions.update_client / update_barrier / add_case_note: each audited, each
listed with before and after in the history on the case page (network.web.case_history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.cases import actions, barriers
from network.cases import service as cases
from network.cases.service import LanguageSkill
from network.cases.values import CaseStatus
from network.errors import RuleViolation
from network.web import client_views, forms
from network.web.render import Form, page, read_form, redirect
from network.words import case_history as hw

GENERAL = "_"  # a form's error that belongs to no single field
MAX_LANGUAGE_ROWS = 20
TEXTS = ("first_name", "last_name", "gender", "country_of_origin", "residence_status",
         "case_number", "enrolment_reason", "phone", "email", "address", "municipality",
         "notes")
REQUIRED = ("first_name", "last_name", "gender", "country_of_origin", "residence_status")


def _client_form(client: cases.Client) -> Form:
    values: dict[str, Any] = {name: getattr(client, name) or "" for name in TEXTS}
    values |= {"gender": client.gender.value, "residence_status": client.residence_status.value,
               "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth
               else "", "language_rows": str(len(client.languages) + 1)}
    for index, skill in enumerate(client.languages):
        values |= {f"languages[{index}].language": skill.language,
                   f"languages[{index}].level": skill.level.value}
    return Form(values)


def _language_rows(form: Form) -> int:
    text = str(form.values.get("language_rows", "")).strip()
    count = int(text) if text.isdigit() else 0
    return min(max(count, client_views.LANGUAGE_ROWS), MAX_LANGUAGE_ROWS)


async def _edit_page(request: Request, actor: ActorDep, clock: ClockDep, client_id: int,
                     form: Form | None = None, status: int = 200) -> Response:
    async with actions.audited_read(actor, clock, "client.viewed", client_id,
                                    {"purpose": "edit"}):
        client = await cases.get_client(actor, client_id)
    if client.status is CaseStatus.CLOSED or client.pseudonymised_at is not None:
        raise RuleViolation("status", "case_closed")
    form = form or _client_form(client)
    form.values.setdefault("version", client.updated_at.isoformat())
    return page(request, "clients/edit.html", status, client=client, form=form,
                title=hw.EDIT_CLIENT_TITLE.format(
                    name=f"{client.first_name or ''} {client.last_name or ''}".strip()),
                levels=client_views.LEVELS, language_rows=_language_rows(form))


@get("/clients/{client_id:int}/edit", include_in_schema=False)
async def client_edit_form(request: Request, actor: ActorDep, clock: ClockDep,
                           client_id: FromPath[int]) -> Response:
    return await _edit_page(request, actor, clock, client_id)


@post("/clients/{client_id:int}/edit", include_in_schema=False)
async def client_edit_submit(request: Request, actor: ActorDep, clock: ClockDep,
                             client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    changes: dict[str, Any] = {name: forms.text(form, name, required=name in REQUIRED)
                               for name in TEXTS}
    changes["date_of_birth"] = forms.day(form, "date_of_birth", required=True)
    rows = forms.language_rows(form, _language_rows(form))
    changes["languages"] = tuple(LanguageSkill(row["language"], row["level"])  # type: ignore[arg-type]
                                 for _, row in rows)
    if form.ok:
        try:
            await actions.update_client(actor, clock, client_id, changes,
                                        unchanged_since=_version(form))
            return redirect(f"/clients/{client_id}#verlauf", "angaben")
        except RuleViolation as violation:
            if violation.code == "client_changed_meanwhile":
                form.fail(GENERAL, violation.german)
                form.values.pop("version", None)  # shown again with the stored version
                return await _edit_page(request, actor, clock, client_id, form, 409)
            form.fail_with(forms.renumber(violation, "languages", [i for i, _ in rows]),
                           {"id": GENERAL, "legal_circle": GENERAL, "case_kind": GENERAL,
                            "status": GENERAL})
    return await _edit_page(request, actor, clock, client_id, form, 422)


def _version(form: Form) -> datetime | None:
    """The case's updated_at when the form was opened (None: not checked)."""
    text = str(form.values.get("version", "")).strip()
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        raise RuleViolation("version", "not_a_moment") from None


async def _barrier_page(request: Request, actor: ActorDep, client_id: int, barrier_id: int,
                        form: Form | None = None, status: int = 200) -> Response:
    barrier = await barriers.get_barrier(actor, barrier_id)
    if barrier.client_id != client_id:
        raise RuleViolation("barrier", "barrier_of_other_case")
    form = form or Form({"kind": barrier.kind.value, "description": barrier.description or ""})
    return page(request, "clients/barrier_edit.html", status, client_id=client_id,
                barrier=barrier, form=form, title=hw.EDIT_BARRIER_TITLE)


@get("/clients/{client_id:int}/barriers/{barrier_id:int}/edit", include_in_schema=False)
async def barrier_edit_form(request: Request, actor: ActorDep, client_id: FromPath[int],
                            barrier_id: FromPath[int]) -> Response:
    return await _barrier_page(request, actor, client_id, barrier_id)


@post("/clients/{client_id:int}/barriers/{barrier_id:int}/edit", include_in_schema=False)
async def barrier_edit_submit(request: Request, actor: ActorDep, clock: ClockDep,
                              client_id: FromPath[int], barrier_id: FromPath[int]
                              ) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    kind = forms.text(form, "kind", required=True)
    barrier = await barriers.get_barrier(actor, barrier_id)
    if barrier.client_id != client_id:
        raise RuleViolation("barrier", "barrier_of_other_case")
    if form.ok:
        try:
            await actions.update_barrier(actor, clock, barrier_id, {
                "kind": kind, "description": forms.text(form, "description")})
            return redirect(f"/clients/{client_id}#hindernis-{barrier_id}",
                            "hindernis-geaendert")
        except RuleViolation as violation:
            form.fail_with(violation, {"status": GENERAL, "client_id": GENERAL,
                                       "barrier": GENERAL})
    return await _barrier_page(request, actor, client_id, barrier_id, form, 422)


@post("/clients/{client_id:int}/notes", include_in_schema=False)
async def note_submit(request: Request, actor: ActorDep, clock: ClockDep,
                      client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    noted_on = forms.day(form, "noted_on")
    body = forms.text(form, "body", required=True)
    if form.ok:
        try:
            await actions.add_case_note(actor, clock, client_id, noted_on, body)
            return redirect(f"/clients/{client_id}#verlauf", "vermerk")
        except RuleViolation as violation:
            form.fail_with(violation, {"status": GENERAL, "id": GENERAL})
    return await client_views.case_page(request, actor, clock, client_id, 422, note=form)


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[
    client_edit_form, client_edit_submit, barrier_edit_form, barrier_edit_submit,
    note_submit])
