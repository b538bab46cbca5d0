"""Administration of one account (issue 15): change its role, deactivate and reactivate it
(its sessions and API tokens end at once), send a password-reset link; and the public page a
reset link opens, where the user sets a new password. Each change is one action of
network.accounts.actions; these views only read the form and show the outcome."""

from __future__ import annotations

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from network import words
from network.accounts import actions, password_reset
from network.accounts import service as accounts
from network.accounts.access import PUBLIC, Role, allow
from network.accounts.middleware import refuse_cross_site
from network.accounts.passwords import MIN_LENGTH
from network.api_types import ActorDep, ClockDep
from network.errors import LinkUsed, RuleViolation
from network.settings import Settings
from network.transactions import transaction
from network.web.render import Form, page, read_form, redirect
from network.words import user_admin

GENERAL = "_"  # a form's error that belongs to no single field


async def _account_page(request: Request, user_id: int, status: int = 200, *,
                        form: Form | None = None) -> Response:
    account = await accounts.get_user(user_id)
    form = form or Form()
    form.values.setdefault("role", account["role"])
    return page(request, "admin/user.html", status, title=f"Konto: {account['display_name']}",
                account=account, form=form, page_words=user_admin,
                own=account["id"] == request.user.id)


@get("/admin/users/{user_id:int}", include_in_schema=False)
async def account(request: Request, user_id: FromPath[int]) -> Response:
    return await _account_page(request, user_id)


async def _change(request: Request, user_id: int, actor: ActorDep, clock: ClockDep,
                  notice: str, **change: object) -> Response:
    try:
        await actions.change_user(actor, clock, user_id, **change)  # type: ignore[arg-type]
    except RuleViolation as error:
        form = Form()
        form.fail_with(error, {"active": GENERAL, "role": GENERAL, "user": GENERAL})
        return await _account_page(request, user_id, 409, form=form)
    return redirect(f"/admin/users/{user_id}", notice)


@post("/admin/users/{user_id:int}/rolle", include_in_schema=False)
async def change_role(request: Request, user_id: FromPath[int], actor: ActorDep,
                      clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    role = values.get("role", "")
    if role not in words.ROLES:
        form = Form(values)
        form.refuse("role", "page.choose_role")
        return await _account_page(request, user_id, 422, form=form)
    return await _change(request, user_id, actor, clock, "konto-rolle", role=Role(role))


@post("/admin/users/{user_id:int}/deaktivieren", include_in_schema=False)
async def deactivate(request: Request, user_id: FromPath[int], actor: ActorDep,
                     clock: ClockDep) -> Response:
    return await _change(request, user_id, actor, clock, "konto-deaktiviert", active=False)


@post("/admin/users/{user_id:int}/aktivieren", include_in_schema=False)
async def reactivate(request: Request, user_id: FromPath[int], actor: ActorDep,
                     clock: ClockDep) -> Response:
    return await _change(request, user_id, actor, clock, "konto-aktiviert", active=True)


@post("/admin/users/{user_id:int}/passwort-link", include_in_schema=False)
async def send_reset_link(request: Request, user_id: FromPath[int], actor: ActorDep,
                          clock: ClockDep, settings: NamedDependency[Settings]) -> Response:
    try:
        await actions.send_password_reset(actor, clock, settings, user_id)
    except RuleViolation as error:
        form = Form()
        form.fail_with(error, {"user": GENERAL})
        return await _account_page(request, user_id, 409, form=form)
    return redirect(f"/admin/users/{user_id}", "konto-link")


# --- the page a reset link opens (no session: the link is the key) -------------------------

def _reset_page(request: Request, token: str, status: int = 200, *, usable: bool = True,
                form: Form | None = None) -> Response:
    return page(request, "reset_password.html", status, title="Neues Passwort setzen",
                token=token, usable=usable, form=form or Form(), min_length=MIN_LENGTH,
                page_words=user_admin)


@get("/passwort-neu/{token:str}", opt=PUBLIC, include_in_schema=False)
async def reset_form(request: Request, token: FromPath[str], clock: ClockDep) -> Response:
    """Only shows the form (a mail scanner opening the link uses nothing up)."""
    async with transaction():
        found = await password_reset.usable(token, clock.now())
    return _reset_page(request, token, 200 if found else 404, usable=found is not None)


@post("/passwort-neu/{token:str}", opt=PUBLIC, include_in_schema=False)
async def reset_submit(request: Request, token: FromPath[str], clock: ClockDep,
                       settings: NamedDependency[Settings]) -> Response:
    refuse_cross_site(request, settings)
    values, _ = await read_form(request)
    form = Form()  # passwords are never sent back into the page
    if values.get("new_password", "") != values.get("new_password_repeat", ""):
        form.refuse("new_password_repeat", "page.passwords_differ")
    if form.ok:
        try:
            await actions.reset_password(clock, token, values.get("new_password", ""))
        except LinkUsed:
            return _reset_page(request, token, 404, usable=False)
        except RuleViolation as error:
            form.fail_with(error)
        if form.ok:
            return redirect("/login", "passwort-neu")
    return _reset_page(request, token, 422, form=form)


ROUTER = Router("/", opt=allow(Role.ADMIN),
                route_handlers=[account, change_role, deactivate, reactivate, send_reset_link])
ROUTE_HANDLERS = [reset_form, reset_submit]
