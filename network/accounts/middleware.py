"""Who is calling: reads the session cookie or `Authorization: Bearer <token>` and puts a
CurrentUser in scope["user"] (and an `Authenticated` in scope["auth"]). Requests without a
valid credential pass on with no user: PUBLIC routes work, `enforce_access` answers 401
for the others. The CSRF guard below protects cookie-authenticated writes.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import asyncpg
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send

from network.accounts import audit, sessions
from network.accounts.access import rule_of
from network.accounts.sessions import SESSION_COOKIE, Authenticated
from network.accounts.tokens import same
from network.settings import Settings

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
WITHOUT_CREDENTIALS = "without_credentials"  # opt of routes that never look at them (/health)


def authentication_middleware(app: ASGIApp, settings: Settings) -> ASGIApp:
    """Use as `DefineMiddleware(authentication_middleware, settings=settings)`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["route_handler"].opt.get(
                WITHOUT_CREDENTIALS):
            await app(scope, receive, send)
            return
        connection = ASGIConnection(scope)
        scope["user"] = None
        scope["auth"] = None
        try:
            found = await _authenticate(connection, settings)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            log.warning("cannot check credentials: database unreachable")
            if isinstance(rule_of(scope["route_handler"]), frozenset):
                raise  # network.outage answers 503
            found = None
        if found is not None:
            scope["user"], scope["auth"] = found
        address = client_address(scope)
        token = audit.CLIENT_ADDRESS.set(address)
        try:
            await app(scope, receive, send)
        finally:
            audit.CLIENT_ADDRESS.reset(token)

    return middleware


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


async def _authenticate(connection: ASGIConnection, settings: Settings):
    authorization = connection.headers.get("authorization", "")
    scheme, _, credential = authorization.partition(" ")
    now = connection.app.state["clock"].now()
    if scheme.lower() == "bearer" and credential.strip():
        found = await sessions.token_user(credential.strip(), now)
        if found is None:
            return None
        user, token_id = found
        return user, Authenticated("token", token_id)
    secret = connection.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    found = await sessions.session_user(secret, settings.accounts, now)
    if found is None:
        return None
    user, session_id = found
    return user, Authenticated("session", session_id,
                               sessions.csrf_token_for(settings.secret_key, secret))


async def require_csrf(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App guard: an unsafe request to a role-protected route that is authenticated by the
    session cookie must echo the session's CSRF token (header X-CSRF-Token or form field
    csrf_token). A browser adds the cookie by itself to a forged cross-site request, never
    the token. Bearer tokens are exempt: browsers never send them on their own. PUBLIC and
    partner-link routes do not act as the signed-in user, so they carry their own proofs."""
    if connection.scope.get("method", "GET") in SAFE_METHODS:
        return
    if not isinstance(rule_of(handler), frozenset):
        return
    auth = connection.scope.get("auth")
    if not isinstance(auth, Authenticated) or auth.kind != "session":
        return
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and isinstance(connection, Request) and connection.content_type[0] in (
            RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        sent = (await connection.form()).get(CSRF_FIELD)
    if not sent or not auth.csrf_token or not same(str(sent), auth.csrf_token):
        raise PermissionDeniedException(
            "The CSRF token is missing or wrong: send the X-CSRF-Token header with the token"
            " from the sign-in response (or the csrf_token form field).")


API_PREFIX = "/api/"
SIGN_IN_PAGE = "/login"


def sign_in_location(connection: ASGIConnection) -> str | None:
    """Where a signed-out caller of a page (any path outside the API) signs in: the sign-in
    page, back to the page afterwards (after a form: to the overview). None for the API."""
    path = connection.url.path
    if path.startswith(API_PREFIX):
        return None
    method = connection.scope.get("method", "GET")
    return SIGN_IN_PAGE + "?" + urlencode({"weiter": path if method == "GET" else "/"})


def sign_in_redirect(connection: ASGIConnection) -> Response | None:
    """How a page answers a signed-out browser, wherever the page is registered: 303 to the
    sign-in page; htmx loads it as a whole (HX-Redirect). None for the API and for callers
    that are no browser: they get the 401 problem (with the sign-in page as Location)."""
    login = sign_in_location(connection)
    if login is None:
        return None
    if connection.headers.get("hx-request"):
        return Response("", status_code=401, headers={"HX-Redirect": login})
    if "text/html" in connection.headers.get("accept", ""):
        return Redirect(login, status_code=303)
    return None


def refuse_cross_site(connection: ASGIConnection, settings: Settings) -> None:
    """For sign-in and setup forms (PUBLIC, so no CSRF token): refuse a request a browser
    sent from another site, so no page elsewhere can sign a visitor into an account of its
    choosing. Browsers mark such requests with Sec-Fetch-Site or Origin; scripts and
    tests that send neither pass."""
    fetch_site = connection.headers.get("sec-fetch-site")
    origin = connection.headers.get("origin")
    if fetch_site == "cross-site" or (origin and origin not in (settings.base_url,
                                                                 _origin_of(connection))):
        raise PermissionDeniedException("Sign-in is only possible from this service's own pages.")


def _origin_of(connection: ASGIConnection) -> str:
    return f"{connection.url.scheme}://{connection.url.netloc}"


def session_cookie(settings: Settings, secret: str) -> Cookie:
    return Cookie(key=SESSION_COOKIE, value=secret, path="/", httponly=True,
                  secure=settings.secure_cookies, samesite="lax",
                  max_age=settings.accounts.session_max_hours * 3600)


def expired_session_cookie(settings: Settings) -> Cookie:
    return Cookie(key=SESSION_COOKIE, value="", path="/", httponly=True,
                  secure=settings.secure_cookies, samesite="lax", max_age=0)


def session_secret(connection: ASGIConnection) -> str | None:
    return connection.cookies.get(SESSION_COOKIE) or None
