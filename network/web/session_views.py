"""Signing in and out and changing one's password: the one sign-in page of the service.

The sign-in form is PUBLIC and carries no CSRF token (there is no session yet); it refuses
posts from other sites instead (`refuse_cross_site`)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from network.accounts import actions
from network.accounts.access import PUBLIC, SIGNED_IN, allow
from network.accounts.middleware import (
    client_address,
    expired_session_cookie,
    refuse_cross_site,
    session_cookie,
    session_secret,
)
from network.accounts.passwords import MIN_LENGTH
from network.accounts.sessions import Authenticated
from network.api_types import ActorDep, ClockDep
from network.errors import RuleViolation, Throttled, WrongCredentials
from network.settings import Settings
from network.web.render import Form, page, read_form, redirect
from network.words import password_page, sign_in


def _next_path(raw: str) -> str:
    """Only a path on this site: never an absolute or protocol-relative URL."""
    return raw if raw.startswith("/") and not raw.startswith("//") and "\\" not in raw else "/"


@get("/login", opt=PUBLIC, include_in_schema=False)
async def login_form(request: Request) -> Response:
    if request.scope.get("user"):
        return redirect(_next_path(request.query_params.get("weiter", "/")))
    return page(request, "login.html", title="Anmelden", form=Form(),
                weiter=_next_path(request.query_params.get("weiter", "/")))


@post("/login", opt=PUBLIC, include_in_schema=False)
async def login_submit(request: Request, settings: NamedDependency[Settings],
                       clock: ClockDep) -> Response:
    refuse_cross_site(request, settings)
    values, _ = await read_form(request)
    email, password = values.get("email", ""), values.get("password", "")
    weiter = _next_path(values.get("weiter", "/"))
    form = Form({"email": email})
    try:
        _user, secret = await actions.login(clock, settings, email, password,
                                            client_address(request.scope),
                                            replacing=session_secret(request))
    except Throttled as error:
        response = page(request, "login.html", 429, title="Anmelden", form=form, weiter=weiter,
                        error=sign_in.throttled(error.retry_after))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except WrongCredentials:
        return page(request, "login.html", 401, title="Anmelden", form=form, weiter=weiter,
                    error="E-Mail-Adresse oder Passwort ist falsch.")
    response = redirect(weiter)
    response.cookies.append(session_cookie(settings, secret))
    return response


@post("/logout", opt=allow(*SIGNED_IN), include_in_schema=False)
async def logout(request: Request, settings: NamedDependency[Settings], actor: ActorDep,
                 clock: ClockDep) -> Response:
    secret = session_secret(request)
    if secret:
        await actions.logout(actor, clock, secret)
    response = redirect("/login")
    response.cookies.append(expired_session_cookie(settings))
    return response


@get("/password", opt=allow(*SIGNED_IN), include_in_schema=False)
async def password_form(request: Request) -> Response:
    return page(request, "password.html", title="Passwort ändern", form=Form(),
                min_length=MIN_LENGTH, page_words=password_page, keep_api_tokens=False)


@post("/password", opt=allow(*SIGNED_IN), include_in_schema=False)
async def password_submit(request: Request, settings: NamedDependency[Settings],
                          actor: ActorDep, clock: ClockDep) -> Response:
    values, _ = await read_form(request)
    form = Form()  # passwords are never sent back into the page
    keep_tokens = bool(values.get("keep_api_tokens"))
    if values.get("new_password", "") != values.get("new_password_repeat", ""):
        form.refuse("new_password_repeat", "page.passwords_differ")
    if not values.get("current_password"):
        form.refuse("current_password", "required")
    if form.ok:
        auth = request.scope.get("auth")
        keep = auth.credential_id if isinstance(auth, Authenticated) else None
        try:
            await actions.change_password(actor, clock, settings,
                                          values.get("current_password", ""),
                                          values.get("new_password", ""), keep,
                                          client_address(request.scope),
                                          keep_api_tokens=keep_tokens)
        except Throttled:
            form.refuse("current_password", "page.too_many_attempts")
        except RuleViolation as error:
            form.fail_with(error)
        if form.ok:
            return redirect("/", "passwort-tokens-behalten" if keep_tokens else "passwort")
    return page(request, "password.html", 422, title="Passwort ändern", form=form,
                min_length=MIN_LENGTH, page_words=password_page, keep_api_tokens=keep_tokens)


ROUTE_HANDLERS = [login_form, login_submit, logout, password_form, password_submit]
