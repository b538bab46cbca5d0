"""Clients: search and list, intake (first consultation or enrolment), the case page with
potential analysis, consent, barriers and closing. Every view of a case is written to the
audit log; every form keeps what was typed and shows the error next to the field."""

from __future__ import annotations

from datetime import date, datetime, time

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath

from network import words
from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.cases import actions, barriers, data_requests, finding, handovers
from network.cases import service as cases
from network.cases.barrier_status import TRANSITIONS
from network.cases.education import in_education_track
from network.cases.prospects import has_good_prospects
from network.cases.service import (
    ClientData,
    LanguageSkill,
    PotentialAnalysisData,
    QualificationData,
)
from network.cases.values import CaseStatus, CefrLevel
from network.errors import RuleViolation
from network.referrals import service as referrals
from network.referrals.service import ReferralFilter
from network.web import (
    case_history,
    client_page_views,
    consent_section,
    forms,
    material_views,
    queries,
    referral_queries,
    responsible,
)
from network.web.render import BERLIN, Form, page, pager, read_form, redirect, with_total
from network.words import finding as finding_words

LANGUAGE_ROWS = 3
QUALIFICATION_ROWS = 3
LEVELS = {level.value: level.value for level in CefrLevel}
GENERAL = "_"  # a form's error that belongs to no single field


@get("/clients", include_in_schema=False)
async def client_list(request: Request, actor: ActorDep) -> Response:
    query = request.query_params.get("q", "").strip()[:200]
    status = request.query_params.get("status", "")
    status = status if status in ("open", "closed") else None
    view = request.query_params.get("ansicht", finding_words.DEFAULT_VIEW)
    view = view if view in finding_words.CLIENT_VIEWS else finding_words.DEFAULT_VIEW
    paging = pager(request)
    found = await queries.search_clients(actor, query, status, paging.size, paging.offset,
                                         coordinator_id=actor.user_id if view == "mine"
                                         else None)
    return page(request, "clients/list.html", title="Kundschaft", clients=found.items,
                pager=with_total(paging, found.total), q=query, case_status=status or "",
                view=view, views=finding_words.CLIENT_VIEWS,
                staff=await referral_queries.staff_names())


async def _good_prospect_countries(today: date) -> list[str]:
    entries = await cases.prospect_entries()
    codes = sorted({e.country_code for e in entries})
    good = [c for c in codes if has_good_prospects(entries, c, today)]
    return [words.country(code) for code in good]


async def _intake_page(request: Request, clock: ClockDep, form: Form, status: int = 200,
                       duplicates: list | None = None) -> Response:
    return page(request, "clients/new.html", status, title="Neue Kundin / neuer Kunde",
                form=form, levels=LEVELS, language_rows=LANGUAGE_ROWS,
                good_countries=await _good_prospect_countries(clock.now().date()),
                duplicates=duplicates or [], finding_words=finding_words,
                staff=await referral_queries.staff_names() if duplicates else {})


@get("/clients/new", include_in_schema=False)
async def intake_form(request: Request, clock: ClockDep) -> Response:
    return await _intake_page(request, clock, Form({
        "legal_circle": request.user.legal_circle.value, "case_kind": "first_consultation"}))


@post("/clients", include_in_schema=False)
async def intake_submit(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, data = await read_form(request)
    values["barrier_kinds"] = forms.many(data, "barrier_kinds")
    form = Form(values)
    names = ("first_name", "last_name", "gender", "country_of_origin", "residence_status",
             "legal_circle")
    required = {name: forms.text(form, name, required=True) for name in names}
    born = forms.day(form, "date_of_birth", required=True)
    languages = forms.language_rows(form, LANGUAGE_ROWS)
    if not form.ok:
        return await _intake_page(request, clock, form, 422)
    client_data = ClientData(
        **required,  # type: ignore[arg-type]
        date_of_birth=born,  # type: ignore[arg-type]
        case_kind=values.get("case_kind", ""),  # type: ignore[arg-type]
        enrolment_reason=forms.text(form, "enrolment_reason"),
        coordinator_id=request.user.id,
        case_number=forms.text(form, "case_number"),
        phone=forms.text(form, "phone"), email=forms.text(form, "email"),
        address=forms.text(form, "address"), notes=forms.text(form, "notes"),
        municipality=forms.text(form, "municipality"),
        languages=tuple(LanguageSkill(row["language"], row["level"])  # type: ignore[arg-type]
                        for _, row in languages),
    )
    confirmed = values.get("duplicate_confirmed") == "ja"
    try:
        client = await actions.create_client(actor, clock, client_data,
                                             barrier_kinds=values["barrier_kinds"] or None,
                                             on_duplicate="confirmed" if confirmed else "refuse")
    except RuleViolation as violation:
        if violation.code == "possible_duplicate":
            return await _intake_page(request, clock, form, 409, duplicates=(
                await finding.possible_duplicates(actor, client_data.first_name,
                                                  client_data.last_name,
                                                  client_data.date_of_birth)))
        form.fail_with(forms.renumber(violation, "languages", [i for i, _ in languages]))
        return await _intake_page(request, clock, form, 422)
    return redirect(f"/clients/{client.id}", "aufgenommen")


async def _case_page(request: Request, actor: ActorDep, clock: ClockDep, client_id: int,
                     status: int = 200, **sections: Form) -> Response:
    async with actions.audited_read(actor, clock, "client.viewed", client_id):
        client = await cases.get_client(actor, client_id)
    analysis = await cases.get_potential_analysis(actor, client_id)
    if "analysis" not in sections:
        sections["analysis"] = _analysis_form(analysis)
    case_barriers = await barriers.list_barriers(actor, client_id)
    case_handovers = await handovers.of_client(actor, client_id)
    case_referrals = (await referrals.list_referrals(
        actor, ReferralFilter(client_id=client_id), limit=200)).items
    today = clock.now().astimezone(BERLIN).date()
    return page(
        request, "clients/detail.html", status,
        title=f"{client.first_name or ''} {client.last_name or ''}".strip() or f"Fall {client.id}",
        client=client, analysis=analysis, barriers=case_barriers,
        referrals_by_barrier={b.id: [r for r in case_referrals if r.barrier_id == b.id]
                              for b in case_barriers},
        consents=await cases.list_consents(actor, client_id),
        handovers=case_handovers,
        pending_handover=next((h for h in case_handovers if h.status == handovers.PENDING),
                              None),
        transitions={b.id: sorted(TRANSITIONS[b.status]) for b in case_barriers},
        young=client.date_of_birth is not None and in_education_track(client.date_of_birth,
                                                                        today),
        forms={"consent": Form({"given_on": today.isoformat()}), "barrier": Form(),
               "municipality": Form({"municipality": client.municipality or ""}),
               "close": Form(), "handover": Form(),
               "note": Form({"noted_on": today.isoformat()}), **sections},
        levels=LEVELS, qualification_rows=QUALIFICATION_ROWS,
        closed=client.status is CaseStatus.CLOSED,
        material=await material_views.case_section(actor, clock, client_id),
        client_page_url=await client_page_views.live_url(actor, request.app.state.settings,
                                                         client_id),
        data_requests=await data_requests.requests_of(client_id),
        responsible=await responsible.case_section(actor, client),
        history=await case_history.section(client_id, case_referrals),
        consent_forms=await consent_section.case_section(client),
    )


case_page = _case_page  # the case page again with a form's errors, for the other case views


def _analysis_form(analysis: cases.PotentialAnalysis | None) -> Form:
    if analysis is None:
        return Form()
    values: dict[str, object] = {
        "schooling_years": analysis.schooling_years, "skills": analysis.skills,
        "work_experience_years": analysis.work_experience_years,
        "work_experience": analysis.work_experience, "notes": analysis.notes}
    for index, q in enumerate(analysis.qualifications[:QUALIFICATION_ROWS]):
        values |= {f"qualifications[{index}].kind": q.kind.value,
                   f"qualifications[{index}].title": q.title,
                   f"qualifications[{index}].country_code": q.country_code or "",
                   f"qualifications[{index}].has_documents": "ja" if q.has_documents else ""}
    return Form(values)


@get("/clients/{client_id:int}", include_in_schema=False)
async def client_detail(request: Request, actor: ActorDep, clock: ClockDep,
                        client_id: FromPath[int]) -> Response:
    return await _case_page(request, actor, clock, client_id)


@post("/clients/{client_id:int}/analysis", include_in_schema=False)
async def analysis_submit(request: Request, actor: ActorDep, clock: ClockDep,
                          client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    rows = forms.rows(form, "qualifications", QUALIFICATION_ROWS,
                      ("kind", "title", "country_code", "has_documents"),
                      lambda row: bool(row["title"] or row["kind"] or row["country_code"]))
    for index, row in rows:
        for key in ("kind", "title"):
            if not row[key]:
                form.refuse(f"qualifications[{index}].{key}", "required")
    data = PotentialAnalysisData(
        schooling_years=forms.number(form, "schooling_years"),
        work_experience_years=forms.number(form, "work_experience_years"),
        work_experience=forms.text(form, "work_experience"), skills=forms.text(form, "skills"),
        notes=forms.text(form, "notes"),
        qualifications=tuple(QualificationData(
            row["kind"], row["title"], row["has_documents"] == "ja",  # type: ignore[arg-type]
            row["country_code"] or None) for _, row in rows))
    if form.ok:
        try:
            await actions.record_potential_analysis(actor, clock, client_id, data)
            return redirect(f"/clients/{client_id}#analyse", "analyse")
        except RuleViolation as violation:
            form.fail_with(forms.renumber(violation, "qualifications", [i for i, _ in rows]),
                           {"id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, analysis=form)


def _moment(on: date | None, now: datetime) -> datetime | None:
    """A day picked in a form as a moment: now for today, noon (Berlin) for other days."""
    if on is None or on == now.astimezone(BERLIN).date():
        return None
    return datetime.combine(on, time(12), BERLIN)


@post("/clients/{client_id:int}/consents", include_in_schema=False)
async def consent_submit(request: Request, actor: ActorDep, clock: ClockDep,
                         client_id: FromPath[int]) -> Response:
    values, data = await read_form(request)
    values["partner_kinds"] = forms.many(data, "partner_kinds")
    form = Form(values)
    given_on = forms.day(form, "given_on")
    if form.ok:
        try:
            await actions.give_consent(actor, clock, client_id, values["partner_kinds"],
                                       given_at=_moment(given_on, clock.now()))
            return redirect(f"/clients/{client_id}#einwilligung", "einwilligung")
        except RuleViolation as violation:
            form.fail_with(violation, {"given_at": "given_on", "status": GENERAL, "id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, consent=form)


@post("/clients/{client_id:int}/consents/{consent_id:int}/withdraw", include_in_schema=False)
async def consent_withdraw(actor: ActorDep, clock: ClockDep, client_id: FromPath[int],
                           consent_id: FromPath[int]) -> Response:
    consent = next((c for c in await cases.list_consents(actor, client_id)
                    if c.id == consent_id),
                   None)
    if consent is None:
        raise RuleViolation("consent", "consent_of_other_case")
    await actions.withdraw_consent(actor, clock, consent_id)
    return redirect(f"/clients/{client_id}#einwilligung", "widerrufen")


@post("/clients/{client_id:int}/municipality", include_in_schema=False)
async def municipality_submit(request: Request, actor: ActorDep, clock: ClockDep,
                              client_id: FromPath[int]) -> Response:
    """The client's municipality, which the partner picker matches against the partners'."""
    values, _ = await read_form(request)
    form = Form(values)
    try:
        await actions.update_client(actor, clock, client_id,
                                    {"municipality": forms.text(form, "municipality")})
        return redirect(f"/clients/{client_id}#kontakt", "gemeinde")
    except RuleViolation as violation:
        form.fail_with(violation, {"id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, municipality=form)


@post("/clients/{client_id:int}/barriers", include_in_schema=False)
async def barrier_submit(request: Request, actor: ActorDep, clock: ClockDep,
                         client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    kind = forms.text(form, "kind", required=True)
    if form.ok:
        try:
            await actions.add_barrier(actor, clock, client_id, kind or "",
                                      forms.text(form, "description"))
            return redirect(f"/clients/{client_id}#hindernisse", "hindernis")
        except RuleViolation as violation:
            form.fail_with(violation, {"status": GENERAL, "client_id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, barrier=form)


@post("/clients/{client_id:int}/barriers/{barrier_id:int}/status", include_in_schema=False)
async def barrier_status_submit(request: Request, actor: ActorDep, clock: ClockDep,
                                client_id: FromPath[int], barrier_id: FromPath[int]
                                ) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    barrier = await barriers.get_barrier(actor, barrier_id)
    if barrier.client_id != client_id:
        raise RuleViolation("barrier", "barrier_of_other_case")
    target = forms.text(form, "status", required=True)
    if form.ok:
        try:
            await actions.change_barrier_status(
                actor, clock, barrier_id, target or "",
                reason=forms.text(form, "unresolvable_reason"), note=forms.text(form, "note"))
            return redirect(f"/clients/{client_id}#hindernisse", "status")
        except RuleViolation as violation:
            form.fail_with(violation, {"client_id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, **{f"status_{barrier_id}": form})


@post("/clients/{client_id:int}/close", include_in_schema=False)
async def close_submit(request: Request, actor: ActorDep, clock: ClockDep,
                       client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    try:
        await actions.close_case(actor, clock, client_id, forms.text(form, "outcome"),
                                 note=forms.text(form, "note"))
        return redirect(f"/clients/{client_id}", "abgeschlossen")
    except RuleViolation as violation:
        form.fail_with(violation, {"barriers": GENERAL, "status": GENERAL, "id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, close=form)


@post("/clients/{client_id:int}/coordinator", include_in_schema=False)
async def coordinator_submit(request: Request, actor: ActorDep, clock: ClockDep,
                             client_id: FromPath[int]) -> Response:
    """Hand the case to a colleague of the same legal circle."""
    values, _ = await read_form(request)
    form = Form(values)
    colleague = forms.number(form, "coordinator_id")
    if form.ok:
        try:
            await actions.hand_case_to_colleague(actor, clock, client_id, colleague)
            return redirect(f"/clients/{client_id}#zustaendig", "fall-uebergeben")
        except RuleViolation as violation:
            form.fail_with(violation, {"status": GENERAL, "id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, responsible=form)


# --- handovers between legal circles --------------------------------------------------------


@post("/clients/{client_id:int}/circle-handover", include_in_schema=False)
async def handover_propose(request: Request, actor: ActorDep, clock: ClockDep,
                           client_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    try:
        await actions.propose_circle_handover(actor, clock, client_id,
                                              forms.text(form, "handover_reason"))
        return redirect(f"/clients/{client_id}#rechtskreis", "uebergabe-vorgeschlagen")
    except RuleViolation as violation:
        form.fail_with(violation, {"reason": "handover_reason", "client_id": GENERAL,
                                   "status": GENERAL, "id": GENERAL})
    return await _case_page(request, actor, clock, client_id, 422, handover=form)


@post("/circle-handovers/{handover_id:int}/withdraw", include_in_schema=False)
async def handover_withdraw(actor: ActorDep, clock: ClockDep,
                            handover_id: FromPath[int]) -> Response:
    withdrawn = await actions.withdraw_circle_handover(actor, clock, handover_id)
    return redirect(f"/clients/{withdrawn.client_id}#rechtskreis", "uebergabe-zurueck")


@post("/circle-handovers/{handover_id:int}/accept", include_in_schema=False)
async def handover_accept(actor: ActorDep, clock: ClockDep,
                          handover_id: FromPath[int]) -> Response:
    accepted = await actions.accept_circle_handover(actor, clock, handover_id)
    return redirect(f"/clients/{accepted.client_id}", "uebergabe-angenommen")


@post("/circle-handovers/{handover_id:int}/decline", include_in_schema=False)
async def handover_decline(request: Request, actor: ActorDep, clock: ClockDep,
                           handover_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    await actions.decline_circle_handover(actor, clock, handover_id,
                                          forms.text(Form(values), "reason"))
    return redirect("/#uebergaben", "uebergabe-abgelehnt")


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[
    client_list, intake_form, intake_submit, client_detail, analysis_submit, consent_submit,
    consent_withdraw, municipality_submit, barrier_submit, barrier_status_submit, close_submit,
    handover_propose, handover_withdraw, handover_accept, handover_decline,
    coordinator_submit])
