"""Administration: the users (list, create) and the audit log, over the accounts service."""

from __future__ import annotations

from litestar import Request, Response, Router, get, post

from network import words
from network.accounts import actions, audit
from network.accounts import service as accounts
from network.accounts.access import LegalCircle, Role, allow
from network.accounts.passwords import MIN_LENGTH
from network.api_types import ActorDep, ClockDep
from network.errors import RuleViolation
from network.web import forms, queries
from network.web.render import Form, page, pager, read_form, redirect, with_total


async def _users_page(request: Request, form: Form, status: int = 200) -> Response:
    paging = pager(request)
    users, total = await accounts.list_users(paging.size, paging.offset)
    return page(request, "admin/users.html", status, title="Konten", users=users,
                pager=with_total(paging, total), form=form, min_length=MIN_LENGTH)


@get("/admin/users", include_in_schema=False)
async def users(request: Request) -> Response:
    return await _users_page(request, Form({"role": "coordinator",
                                            "legal_circle": request.user.legal_circle.value}))


@post("/admin/users", include_in_schema=False)
async def user_create(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    password = values.pop("password", "")
    form = Form(values)
    for name in ("email", "display_name", "role", "legal_circle"):
        forms.text(form, name, required=True)
    if values.get("role") and values["role"] not in words.ROLES:
        form.refuse("role", "page.choose_role")
    if values.get("legal_circle") and values["legal_circle"] not in words.LEGAL_CIRCLES:
        form.refuse("legal_circle", "page.choose_legal_circle")
    if not password:
        form.refuse("password", "required")
    if form.ok:
        try:
            await actions.create_user(actor, clock, accounts.NewUser(
                values["email"], values["display_name"], Role(values["role"]),
                LegalCircle(values["legal_circle"]), password))
            return redirect("/admin/users", "konto")
        except RuleViolation as error:
            form.fail_with(error)
    return await _users_page(request, form, 422)


@get("/admin/audit", include_in_schema=False)
async def audit_log(request: Request) -> Response:
    paging = pager(request, size=50)
    action = request.query_params.get("action", "").strip()[:100] or None
    entries, total = await audit.entries(audit.AuditFilter(action=action), paging.size,
                                         paging.offset)
    return page(request, "admin/audit.html", title="Protokoll", entries=entries,
                pager=with_total(paging, total), names=await queries.user_names(),
                action=action or "")


ROUTER = Router("/", opt=allow(Role.ADMIN), route_handlers=[users, user_create, audit_log])
