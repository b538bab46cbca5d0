"""The HTML page accounts need before anyone can sign in: the first-run page
that creates the first administrator (reached by the one-time link `network serve` prints
while nobody has an account). It is PUBLIC and carries its own proof (the setup token), so
no CSRF token is involved. The sign-in page is network.web.session_views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import HTTPException
from litestar.params import FromQuery

from network.accounts import actions, service
from network.accounts.access import PUBLIC, LegalCircle, Role
from network.accounts.middleware import (
    refuse_cross_site,
    session_cookie,
)
from network.accounts.passwords import MIN_LENGTH
from network.actors import Actor
from network.api_types import ClockDep
from network.errors import LinkUsed, RuleViolation
from network.problems import MALFORMED
from network.settings import Settings

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
)
SETUP_PATH = "/setup"


def setup_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url}{SETUP_PATH}?token={token}"


def page(template: str, status: int = 200, cookies: list[Cookie] | None = None,
         headers: dict[str, str] | None = None, **context: Any) -> Response[str]:
    html = TEMPLATES.get_template(template).render(min_length=MIN_LENGTH, **context)
    return Response(html, media_type=MediaType.HTML, status_code=status, cookies=cookies or [],
                    headers={"Cache-Control": "no-store", **(headers or {})})


@get(SETUP_PATH, opt=PUBLIC, include_in_schema=False)
async def setup_form(token: FromQuery[str] = "") -> Response[str]:
    usable = bool(token) and await service.setup_token_usable(token)
    return page("setup.html", 200 if usable else 410, title="Einrichtung", usable=usable,
                token=token, email="", display_name="", legal_circle="sgb2")


def setup_refused(request: Request, exc: Exception) -> Response[str]:
    """The setup form refused before its handler ran (a body too large or unreadable, a
    request from another site): the page again, with the reason, never a JSON problem."""
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    return page("setup.html", status, title="Einrichtung", usable=False,
                error="Die Anfrage war so nicht möglich (zu groß, nicht lesbar oder von einer"
                      " anderen Seite). Bitte den Einrichtungslink neu öffnen.")


@post(SETUP_PATH, opt=PUBLIC, include_in_schema=False,
      exception_handlers=dict.fromkeys((HTTPException, *MALFORMED), setup_refused))
async def setup_submit(request: Request, settings: NamedDependency[Settings],
                       clock: ClockDep) -> Response[str]:
    refuse_cross_site(request, settings)
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in
              ("token", "email", "display_name", "legal_circle", "password", "password_repeat")}
    shown = {"token": values["token"], "email": values["email"],
             "display_name": values["display_name"], "legal_circle": values["legal_circle"]}
    if values["password"] != values["password_repeat"]:
        return page("setup.html", 400, title="Einrichtung", usable=True, **shown,
                    error="Die beiden Passwörter stimmen nicht überein.")
    if values["legal_circle"] not in {circle.value for circle in LegalCircle}:
        return page("setup.html", 400, title="Einrichtung", usable=True, **shown,
                    error="Bitte einen Rechtskreis wählen.")
    new = service.NewUser(values["email"], values["display_name"], Role.ADMIN,
                          LegalCircle(values["legal_circle"]), values["password"])
    try:
        user = await actions.create_first_admin(clock, values["token"], new)
    except LinkUsed:
        return page("setup.html", 410, title="Einrichtung", usable=False)
    except RuleViolation as error:
        return page("setup.html", 400, title="Einrichtung", usable=True, **shown,
                    error=error.german)
    secret = await actions.start_session_without_password(Actor.of_user(user), clock, settings,
                                                          "first-run setup")
    return page("setup.html", title="Einrichtung abgeschlossen", done=True, email=user.email,
                cookies=[session_cookie(settings, secret)])


ROUTE_HANDLERS = [setup_form, setup_submit]  # the sign-in page lives in network.web
