"""Referrals: create one from a barrier with a partner picker that respects consent, the list
with filters, the detail page with its timeline, the transitions the coordinator may make now,
handoffs to another partner or coordinator, and the client's printable slip.

Every read is written to the audit log like the API's (`referral.read`, `referral.list`);
every write carries the version the coordinator saw, so a referral that changed meanwhile
shows its current state with a German message instead of being overwritten."""

from __future__ import annotations

import secrets
from datetime import datetime, time

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath

from network import words
from network.accounts import audit
from network.accounts.access import Role, allow
from network.actors import Actor
from network.api_types import ActorDep, ClockDep
from network.cases import barriers, scope
from network.cases import service as cases
from network.cases.barriers import Barrier
from network.cases.service import Client
from network.clock import Clock
from network.errors import Conflict, NotFound, RuleViolation
from network.materials import service as material_service
from network.partners import service as partners
from network.referrals import actions, appointment_data, appointments
from network.referrals import service as referrals
from network.referrals.lifecycle import (
    OPEN_STATUSES,
    TRANSITIONS,
    Party,
    Status,
    allowed_targets,
    handoff_closings,
    may_reassign,
)
from network.referrals.service import (
    NewReferral,
    NotPermitted,
    Referral,
    ReferralConflict,
    ReferralFilter,
)
from network.reminders import actions as reminder_actions
from network.reminders import controls as reminder_controls
from network.transactions import transaction
from network.web import client_page_views, forms, queries, slip
from network.web import referral_queries as rq
from network.web.render import (
    BERLIN,
    Form,
    options_from_json,
    page,
    pager,
    read_form,
    redirect,
    with_total,
)
from network.words import client_page as client_page_words

GENERAL = "_"  # a form's error that belongs to no single field
ORDER = list(Status)  # the lifecycle's order, for buttons and filters
OPEN_FILTER = "offen"


# --- create from a barrier ----------------------------------------------------------------


async def _case_parts(actor: Actor, client_id: int, barrier_id: int
                      ) -> tuple[Client, Barrier]:
    client = await cases.get_client(actor, client_id)
    barrier = await barriers.get_barrier(actor, barrier_id)
    if barrier.client_id != client_id:
        raise NotFound("barrier", barrier_id)
    return client, barrier


async def _new_page(request: Request, client_id: int, barrier_id: int, form: Form,
                    status: int = 200) -> Response:
    actor = Actor.of_user(request.user)
    client, barrier = await _case_parts(actor, client_id, barrier_id)
    now = request.app.state.clock.now()
    async with transaction():
        await audit.record(request.user, "client.viewed", "client", client_id, at=now)
    choices = await rq.partner_choices(barrier.kind, [s.language for s in client.languages],
                                       await cases.list_consents(actor, client_id), now,
                                       municipality=client.municipality)
    taken = {r.partner_id: r for r in (await referrals.list_referrals(
        actor, ReferralFilter(status=tuple(OPEN_STATUSES), client_id=client_id), limit=200,
        now=now)).items if r.barrier_id == barrier_id}
    # In the ranking's order (network.partners.ranking): those offering the help, the others
    # (an override reason needed), and last the partners on a capacity pause, with a warning.
    groups: dict[str, list[rq.PartnerChoice]] = {"fit": [], "other": [], "paused": []}
    for choice in choices:
        groups["paused" if choice.warning else "fit" if choice.handles else "other"].append(
            choice)
    return page(request, "referrals/new.html", status,
                title=f"{words.BARRIER_KINDS[barrier.kind]} vermitteln", client=client,
                barrier=barrier, groups=groups, taken=taken, form=form)


@get("/clients/{client_id:int}/barriers/{barrier_id:int}/refer", include_in_schema=False)
async def referral_new(request: Request, client_id: FromPath[int],
                       barrier_id: FromPath[int]) -> Response:
    return await _new_page(request, client_id, barrier_id,
                           Form({"form_key": secrets.token_urlsafe(16)}))


@post("/clients/{client_id:int}/barriers/{barrier_id:int}/refer", include_in_schema=False)
async def referral_create(request: Request, client_id: FromPath[int],
                          barrier_id: FromPath[int], actor: ActorDep,
                          clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    await _case_parts(actor, client_id, barrier_id)
    partner_id = forms.number(form, "partner_id")
    if partner_id is None and "partner_id" not in form.errors:
        form.refuse("partner_id", "page.choose_partner")
    status = values.get("status", "")
    if status not in (Status.DRAFT, Status.SENT):
        form.refuse(GENERAL, "page.send_or_draft")
    if form.ok:
        new = NewReferral(barrier_id, partner_id or 0, status, None,
                          forms.text(form, "note"), forms.text(form, "override_reason"))
        try:
            created = await actions.create(actor, clock, new,
                                           idempotency_key=forms.text(form, "form_key"))
            notice = "vermittelt" if created.referral.status is Status.SENT else "entwurf"
            return redirect(f"/referrals/{created.referral.id}", notice)
        except RuleViolation as violation:
            if violation.field == "Idempotency-Key":
                form.refuse(GENERAL, "page.form_used")
            else:
                form.fail_with(violation, {"barrier_id": GENERAL, "status": GENERAL})
    return await _new_page(request, client_id, barrier_id, form, 422)


# --- list ---------------------------------------------------------------------------------


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@get("/referrals", include_in_schema=False)
async def referral_list(request: Request, actor: ActorDep,
                        clock: ClockDep) -> Response:
    params = request.query_params
    status = params.get("status", "")
    status = status if status == OPEN_FILTER or status in words.REFERRAL_STATUSES else ""
    chosen = {
        "status": status,
        "partner": str(_int(params.get("partner", "")) or ""),
        "coordinator": str(_int(params.get("coordinator", "")) or ""),
        "barrier_kind": params.get("barrier_kind", "") if params.get("barrier_kind", "")
        in words.BARRIER_KINDS else "",
        "overdue": "ja" if params.get("overdue") == "ja" else "",
        "q": params.get("q", "").strip()[:200],
    }
    statuses = tuple(OPEN_STATUSES) if status == OPEN_FILTER else (status,) if status else ()
    where = ReferralFilter(
        status=statuses, partner_id=_int(chosen["partner"]),
        coordinator_id=_int(chosen["coordinator"]),
        barrier_kind=chosen["barrier_kind"] or None,
        overdue=True if chosen["overdue"] else None, text=chosen["q"] or None)
    paging = pager(request)
    now = clock.now()
    async with transaction():  # one pooled connection (each checkout costs a round trip)
        found = await actions.find(actor, clock, where, limit=paging.size,
                                   offset=paging.offset,
                                   filters=sorted(k for k, v in chosen.items() if v))
        names = await queries.list_page_names(actor, sorted({r.client_id
                                                             for r in found.items}))
    return page(request, "referrals/list.html", title="Vermittlungen", referrals=found.items,
                pager=with_total(paging, found.total), filters=Form(chosen),
                filtered=any(chosen.values()), now=now, client_names=names.clients,
                staff=rq.names_of(names.staff),
                partner_options=options_from_json(names.partners_json),
                coordinator_options={str(k): v for k, v in rq.names_of(
                    names.staff, circle=request.user.legal_circle).items()},
                status_options={OPEN_FILTER: "alle offenen",
                                **{s.value: words.REFERRAL_STATUSES[s] for s in ORDER}})


# --- detail, transitions, handoffs --------------------------------------------------------


STALE = ("Die Vermittlung wurde inzwischen geändert: Sie steht jetzt auf „{status}“. Unten"
         " sehen Sie den aktuellen Stand. Bitte prüfen Sie, ob Ihre Änderung noch passt, und"
         " wählen Sie dann erneut.")


async def _detail_page(request: Request, referral_id: int, status: int = 200,
                       stale: Referral | None = None, **sections: Form) -> Response:
    clock: Clock = request.app.state.clock
    actor = Actor.of_user(request.user)
    detail = await actions.read(actor, clock, referral_id)
    referral = detail.referral
    client = await cases.get_client(actor, referral.client_id)
    barrier = await barriers.get_barrier(actor, referral.barrier_id)
    now = clock.now()
    targets = [t for t in ORDER if t in allowed_targets(referral.status, Party.COORDINATOR)]
    handoff_partners = []
    if handoff_closings(referral.status):
        handoff_partners = [c for c in await rq.partner_choices(
            barrier.kind, [s.language for s in client.languages],
            await cases.list_consents(actor, client.id), now,
            municipality=client.municipality) if c.id != referral.partner_id]
    staff = await rq.staff_names()
    active_staff = await rq.staff_names(active_only=True, circle=client.legal_circle)
    return page(
        request, "referrals/detail.html", status,
        title=f"Vermittlung {referral.id}", referral=referral, history=detail.history,
        client=client, barrier=barrier, overdue=referral.overdue(now), targets=targets,
        requires={t: TRANSITIONS[(referral.status, t)].requires.value for t in targets},
        closings={s.value: words.REFERRAL_STATUSES[s] for s in ORDER
                  if s in handoff_closings(referral.status)},
        handoff_partners=handoff_partners, staff=staff,
        coordinators={str(k): v for k, v in active_staff.items()
                      if k != referral.coordinator_id},
        may_reassign=may_reassign(referral.status), slip_languages=slip.languages(),
        stale=None if stale is None else STALE.format(
            status=words.REFERRAL_STATUSES[stale.status]),
        forms=sections, blank=Form(),
        reminders=await reminder_controls.reminders_of_referral(referral.id),
        appointment=await appointment_data.of_referral(referral.id),
        may_record_appointment=appointments.may_have_appointment(referral.status),
    )


@get("/referrals/{referral_id:int}", include_in_schema=False)
async def referral_detail(request: Request, referral_id: FromPath[int]) -> Response:
    return await _detail_page(request, referral_id)


def _version(form: Form) -> int | None:
    version = forms.number(form, "version")
    if version is None:
        form.errors.pop("version", None)
        form.refuse(GENERAL, "page.incomplete")
    return version


async def refused_page(request: Request, referral_id: int, form_name: str, form: Form,
                       error: RuleViolation, aliases: dict[str, str]) -> Response:
    """Show the detail page again: with the current state when the referral moved on,
    with the error next to the field otherwise."""
    if isinstance(error, ReferralConflict):
        return await _detail_page(request, referral_id, 409, stale=error.referral,
                                  **{form_name: form})
    if isinstance(error, NotPermitted):
        raise error  # no form offers this change: the error page says why
    form.fail_with(error, {"actor": GENERAL, "version": GENERAL, "id": GENERAL, **aliases})
    return await _detail_page(request, referral_id, 422, **{form_name: form})


@post("/referrals/{referral_id:int}/status", include_in_schema=False)
async def referral_transition(request: Request, referral_id: FromPath[int],
                              actor: ActorDep, clock: ClockDep
                              ) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    target = values.get("status", "")
    if target not in words.REFERRAL_STATUSES:
        raise RuleViolation("status", "referral.step_unknown")
    form_name = f"to_{target}"
    version = _version(form)
    if not form.ok:
        return await _detail_page(request, referral_id, 422, **{form_name: form})
    try:
        await actions.transition(
            actor, clock, referral_id, target, expected_version=version,
            reason_code=forms.text(form, "reason_code"),
            reason_text=forms.text(form, "reason_text"), outcome=forms.text(form, "outcome"),
            note=forms.text(form, "note"), hold_until=forms.text(form, "hold_until"))
    except RuleViolation as error:
        return await refused_page(request, referral_id, form_name, form, error,
                                  {"status": GENERAL})
    return redirect(f"/referrals/{referral_id}", "vermittlung-status")


@post("/referrals/{referral_id:int}/handoff", include_in_schema=False)
async def referral_handoff(request: Request, referral_id: FromPath[int],
                           actor: ActorDep, clock: ClockDep
                           ) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    version = _version(form)
    partner_id = forms.number(form, "to_partner_id")
    if partner_id is None and "to_partner_id" not in form.errors:
        form.refuse("to_partner_id", "page.choose_partner")
    closing = forms.text(form, "closing_status", required=True)
    new_status = values.get("new_status") or Status.SENT
    if not form.ok:
        return await _detail_page(request, referral_id, 422, handoff=form)
    try:
        handed = await actions.hand_off(
            actor, clock, referral_id, partner_id or 0, closing or "",
            expected_version=version, reason_code=forms.text(form, "reason_code"),
            reason_text=forms.text(form, "reason_text"), outcome=forms.text(form, "outcome"),
            note=forms.text(form, "note"), override_reason=forms.text(form, "override_reason"),
            new_status=new_status)
    except RuleViolation as error:
        return await refused_page(request, referral_id, "handoff", form, error,
                                  {"status": "closing_status"})
    return redirect(f"/referrals/{handed.opened.referral.id}", "uebergeben")


@post("/referrals/{referral_id:int}/coordinator", include_in_schema=False)
async def referral_reassign(request: Request, referral_id: FromPath[int],
                            actor: ActorDep, clock: ClockDep
                            ) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    version = _version(form)
    coordinator_id = forms.number(form, "to_coordinator_id")
    if coordinator_id is None and "to_coordinator_id" not in form.errors:
        form.refuse("to_coordinator_id", "page.choose_person")
    if not form.ok:
        return await _detail_page(request, referral_id, 422, coordinator=form)
    try:
        await actions.hand_over(actor, clock, referral_id, coordinator_id or 0,
                                expected_version=version, note=forms.text(form, "note"))
    except RuleViolation as error:
        return await refused_page(request, referral_id, "coordinator", form, error,
                                  {"status": GENERAL})
    return redirect(f"/referrals/{referral_id}", "koordination")


# --- reminders: snooze or skip one, with a reason -----------------------------------------


async def _own_reminder(actor: Actor, referral_id: int, reminder_id: int) -> None:
    await scope.require_referral(actor, referral_id)
    found = await reminder_controls.reminders_of_referral(referral_id)
    if not any(r.id == reminder_id for r in found):
        raise NotFound("reminder", reminder_id)


def _snooze_until(form: Form) -> datetime | None:
    """The date and time typed, read as Berlin time."""
    day = forms.day(form, "until_day", required=True)
    text = forms.text(form, "until_time") or "09:00"
    try:
        moment = time.fromisoformat(text)
    except ValueError:
        form.refuse("until_time", "page.time_format")
        return None
    return None if day is None else datetime.combine(day, moment, BERLIN)


@post("/referrals/{referral_id:int}/reminders/{reminder_id:int}/{change:str}",
      include_in_schema=False)
async def reminder_change(request: Request, referral_id: FromPath[int],
                          reminder_id: FromPath[int], change: FromPath[str],
                          clock: ClockDep) -> Response:
    if change not in ("snooze", "skip"):
        raise NotFound("page", change)
    await _own_reminder(Actor.of_user(request.user), referral_id, reminder_id)
    values, _ = await read_form(request)
    form = Form(values)
    until = _snooze_until(form) if change == "snooze" else None
    reason = forms.text(form, "reason", required=True)
    name = f"{change}_{reminder_id}"
    if not form.ok:
        return await _detail_page(request, referral_id, 422, **{name: form})
    actor = Actor.of_user(request.user)
    try:
        if change == "snooze":
            await reminder_actions.snooze(actor, clock, reminder_id, until, reason)
        else:
            await reminder_actions.skip(actor, clock, reminder_id, reason)
    except Conflict:
        form.refuse(GENERAL, "page.reminder_gone")
        return await _detail_page(request, referral_id, 409, **{name: form})
    except RuleViolation as error:
        form.fail_with(error, {"until": "until_day"})
        return await _detail_page(request, referral_id, 422, **{name: form})
    notice = "erinnerung-verschoben" if change == "snooze" else "erinnerung-ausgelassen"
    return redirect(f"/referrals/{referral_id}#erinnerungen", notice)


# --- the client's slip --------------------------------------------------------------------


@get("/referrals/{referral_id:int}/slip", include_in_schema=False)
async def referral_slip(request: Request, referral_id: FromPath[int],
                        actor: ActorDep, clock: ClockDep
                        ) -> Response:
    detail = await actions.read(actor, clock, referral_id, purpose="referral.slip")
    referral = detail.referral
    client = await cases.get_client(actor, referral.client_id)
    code = slip.language_for([s.language for s in client.languages],
                             request.query_params.get("sprache"))
    texts = slip.texts(code)
    own_page = await client_page_views.live_url(actor, request.app.state.settings, client.id)
    appointment = await appointment_data.of_referral(referral.id)
    return page(request, "referrals/slip.html", title=texts.text["title"], texts=texts,
                appointment=appointment, appointment_when=None if appointment is None
                else slip.appointment_when(appointment.starts_at, code),
                referral=referral, client=client,
                partner=await partners.get_partner(referral.partner_id),
                contact=await rq.user_contact(referral.coordinator_id),
                bring=slip.what_to_bring(referral.barrier_kind),
                languages=slip.languages(), today=clock.now().astimezone(BERLIN).date(),
                integration_point=request.app.state.settings.integration_point,
                handed_out=await material_service.handouts_of(client.id),
                own_page=own_page, own_page_label=client_page_words.texts(code)["on_the_slip"],
                own_page_qr=client_page_views.qr_svg(own_page) if own_page else None)


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[
    referral_new, referral_create, referral_list, referral_detail, referral_transition,
    referral_handoff, referral_reassign, reminder_change, referral_slip])
