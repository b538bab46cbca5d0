"""The partner directory: search with filters (kind, barrier kind, language), a partner's
page, and the form to create or change one.

What the partner keeps itself shows here too: the directory flags entries not confirmed for
six months; the partner's page shows its pause, its last confirmation and "Änderungen durch
den Partner" (the audit entries of network.partners.actions' partner-side actions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath

from network import words
from network.accounts import audit
from network.accounts.access import STAFF, allow
from network.accounts.audit import AuditFilter
from network.api_types import ActorDep, ClockDep
from network.errors import RuleViolation
from network.partners import actions, staleness
from network.partners import service as partners
from network.partners.service import ContactPerson, Partner, PartnerData
from network.referrals import service as referrals
from network.referrals.lifecycle import OPEN_STATUSES
from network.referrals.service import ReferralFilter
from network.transactions import transaction
from network.web import forms, queries
from network.web import referral_queries as rq
from network.web.render import Form, page, pager, read_form, redirect, with_total
from network.words import partner_entry as pe

CONTACT_ROWS = 3


def _choice(value: str, allowed: dict) -> str | None:
    return value if value in allowed else None


@get("/partners", include_in_schema=False)
async def partner_list(request: Request, clock: ClockDep) -> Response:
    params = request.query_params
    chosen = {
        "q": params.get("q", "").strip()[:200],
        "kind": _choice(params.get("kind", ""), words.PARTNER_KINDS) or "",
        "barrier_kind": _choice(params.get("barrier_kind", ""), words.BARRIER_KINDS) or "",
        "language": _choice(params.get("language", ""), words.LANGUAGES) or "",
        "inactive": "ja" if params.get("inactive") == "ja" else "",
    }
    paging = pager(request)
    found = await partners.search_partners(
        kind=chosen["kind"] or None, barrier_kind=chosen["barrier_kind"] or None,
        language=chosen["language"] or None, text=chosen["q"] or None,
        active=None if chosen["inactive"] else True, limit=paging.size, offset=paging.offset)
    now = clock.now()
    return page(request, "partners/list.html", title="Partner", partners=found.items,
                pager=with_total(paging, found.total), filters=Form(chosen),
                filtered=any(chosen.values()),
                stale={p.id for p in found.items if staleness.is_stale(p.confirmed_at, now)})


@get("/partners/{partner_id:int}", include_in_schema=False)
async def partner_detail(request: Request, actor: ActorDep, clock: ClockDep,
                         partner_id: FromPath[int]) -> Response:
    partner = await partners.get_partner(partner_id)
    now = clock.now()
    async with transaction():
        open_referrals = await referrals.list_referrals(
            actor, ReferralFilter(status=tuple(OPEN_STATUSES), partner_id=partner_id), limit=25,
            now=now)
        await audit.record(actor, "referral.list", "referral", None, {
            "filters": ["partner_id", "status"], "count": len(open_referrals.items)}, at=now)
    staff = await rq.staff_names()
    return page(request, "partners/detail.html", title=partner.name, partner=partner,
                open_referrals=open_referrals, now=now,
                paused=staleness.is_paused(partner.paused_until, now),
                stale=staleness.is_stale(partner.confirmed_at, now),
                partner_changes=await partner_changes(partner_id, staff),
                times=await rq.response_times(partner_id), staff=staff,
                client_names=await queries.client_names(
                    actor, sorted({r.client_id for r in open_referrals.items})))


CHANGES_SHOWN = 30


async def partner_changes(partner_id: int, staff: dict[int, str]) -> list[dict[str, Any]]:
    """The partner's own changes, and pauses and confirmations staff made for it, newest
    first: when, by whom, each field before -> after (from the audit log)."""
    found: list[dict[str, Any]] = []
    for action in actions.PARTNER_SIDE_ACTIONS:
        rows, _total = await audit.entries(
            AuditFilter(entity="partner", entity_id=str(partner_id), action=action),
            CHANGES_SHOWN, 0)
        found.extend(rows)
    found.sort(key=lambda row: (row["at"], row["id"]), reverse=True)
    return [_change(row, staff) for row in found[:CHANGES_SHOWN]]


def _change(row: dict[str, Any], staff: dict[int, str]) -> dict[str, Any]:
    details = row["details"] or {}
    before, after = details.get("before", {}), details.get("after", {})
    if row["actor_kind"] == "partner":
        by = pe.BY_PARTNER
    elif row["actor_id"] in staff:
        by = pe.BY_STAFF.format(name=staff[row["actor_id"]])
    else:
        by = pe.BY_STAFF_UNKNOWN
    return {"at": row["at"], "by": by, "fields": [
        (pe.FIELD_LABELS.get(name, name), _shown(name, before.get(name)),
         _shown(name, after.get(name))) for name in details.get("fields", [])]}


def _shown(field: str, value: Any) -> str:
    """A field's value as the change list shows it (as the audit entry stored it)."""
    if value is None or value == [] or value == "":
        return pe.NOTHING
    if field == "languages":
        return ", ".join(words.LANGUAGES.get(code, code) for code in value)
    if field == "barrier_kinds":
        return ", ".join(words.label(kind, "barrier_kind") for kind in value)
    if field == "paused_until":
        return words.day(datetime.fromisoformat(value).date())
    if field == "confirmed_at":
        return words.moment(datetime.fromisoformat(value))
    return str(value)


def _form_of(partner: Partner) -> Form:
    values: dict[str, object] = {
        name: getattr(partner, name) or "" for name in
        ("name", "street", "postal_code", "city", "phone", "opening_hours", "notes")}
    values |= {"kind": partner.kind.value, "referral_emails": "\n".join(partner.referral_emails),
               "languages": list(partner.languages),
               "barrier_kinds": [k.value for k in partner.barrier_kinds],
               "served_municipalities": list(partner.served_municipalities),
               "active": "ja" if partner.active else ""}
    for index, contact in enumerate(partner.contacts[:CONTACT_ROWS]):
        for key in ("name", "role", "email", "phone"):
            values[f"contacts[{index}].{key}"] = getattr(contact, key) or ""
    return Form(values)


def _edit_page(request: Request, form: Form, partner: Partner | None,
               status: int = 200) -> Response:
    title = f"{partner.name} bearbeiten" if partner else "Neuer Partner"
    # Codes stored outside the offered list stay choosable, so saving never drops them.
    languages = {**words.LANGUAGES, **{code: code for code in form.chosen("languages")
                                        if code not in words.LANGUAGES}}
    return page(request, "partners/edit.html", status, title=title, form=form, partner=partner,
                contact_rows=CONTACT_ROWS, language_options=languages)


async def _posted(request: Request) -> tuple[Form, PartnerData | None, list[int]]:
    values, data = await read_form(request)
    values["languages"] = forms.many(data, "languages")
    values["barrier_kinds"] = forms.many(data, "barrier_kinds")
    values["served_municipalities"] = forms.many(data, "served_municipalities")
    form = Form(values)
    name = forms.text(form, "name", required=True)
    kind = forms.text(form, "kind", required=True)
    contacts = forms.rows(form, "contacts", CONTACT_ROWS, ("name", "role", "email", "phone"),
                          lambda row: any(row.values()))
    for index, row in contacts:
        if not row["name"]:
            form.refuse(f"contacts[{index}].name", "required")
    emails = [line.strip() for line in values.get("referral_emails", "").splitlines()
              if line.strip()]
    if not form.ok:
        return form, None, []
    return form, PartnerData(
        name=name or "", kind=kind,  # type: ignore[arg-type]
        street=forms.text(form, "street"), postal_code=forms.text(form, "postal_code"),
        city=forms.text(form, "city"), phone=forms.text(form, "phone"),
        referral_emails=tuple(emails),
        contacts=tuple(ContactPerson(row["name"], row["role"] or None, row["email"] or None,
                                     row["phone"] or None) for _, row in contacts),
        languages=tuple(values["languages"]),
        barrier_kinds=tuple(values["barrier_kinds"]),  # type: ignore[arg-type]
        opening_hours=forms.text(form, "opening_hours"), notes=forms.text(form, "notes"),
        active=values.get("active") == "ja",
        served_municipalities=tuple(values["served_municipalities"]),
    ), [i for i, _ in contacts]


@get("/partners/new", include_in_schema=False)
async def partner_new(request: Request) -> Response:
    return _edit_page(request, Form({"active": "ja"}), None)


@post("/partners", include_in_schema=False)
async def partner_create(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    form, data, rows = await _posted(request)
    if data is not None:
        try:
            partner = await actions.create_partner(actor, clock, data)
            return redirect(f"/partners/{partner.id}", "partner-angelegt")
        except RuleViolation as violation:
            form.fail_with(forms.renumber(violation, "contacts", rows))
    return _edit_page(request, form, None, 422)


@get("/partners/{partner_id:int}/edit", include_in_schema=False)
async def partner_edit(request: Request, partner_id: FromPath[int]) -> Response:
    partner = await partners.get_partner(partner_id)
    return _edit_page(request, _form_of(partner), partner)


@post("/partners/{partner_id:int}", include_in_schema=False)
async def partner_update(request: Request, actor: ActorDep, clock: ClockDep,
                         partner_id: FromPath[int]) -> Response:
    partner = await partners.get_partner(partner_id)
    form, data, rows = await _posted(request)
    if data is not None:
        try:
            changes = {name: getattr(data, name) for name in partners.DATA_FIELDS}
            await actions.update_partner(actor, clock, partner_id, changes)
            return redirect(f"/partners/{partner_id}", "partner-gespeichert")
        except RuleViolation as violation:
            form.fail_with(forms.renumber(violation, "contacts", rows))
    return _edit_page(request, form, partner, 422)


ROUTER = Router("/", opt=allow(*STAFF), route_handlers=[
    partner_list, partner_detail, partner_new, partner_create, partner_edit, partner_update])
