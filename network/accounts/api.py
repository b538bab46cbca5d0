"""JSON API for signing in and out, one's own password and API tokens, user administration
and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from network import fields
from network.accounts import actions, audit, service
from network.accounts.access import PUBLIC, SIGNED_IN, CurrentUser, LegalCircle, Role, allow
from network.accounts.middleware import (
    client_address,
    expired_session_cookie,
    refuse_cross_site,
    session_cookie,
    session_secret,
)
from network.accounts.sessions import Authenticated, csrf_token_for
from network.api_types import ActorDep, ClockDep, OptionalId
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page
from network.problems import PROBLEM_JSON, Problem
from network.settings import Settings

# Sign-in attempts are throttled (network.accounts.throttle): 429 with Retry-After.
THROTTLED = {429: ResponseSpec(
    data_container=Problem, media_type=PROBLEM_JSON, generate_examples=False,
    description="Too many sign-in attempts: wait the Retry-After header's seconds")}
SIGN_IN_REFUSED = {**THROTTLED, 401: ResponseSpec(
    data_container=Problem, media_type=PROBLEM_JSON, generate_examples=False,
    description="Wrong email or password")}


class LoginRequest(msgspec.Struct):
    email: str
    password: str


class Me(msgspec.Struct):
    id: int
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle

    @classmethod
    def of(cls, user: CurrentUser) -> Me:
        return cls(user.id, user.email, user.display_name, user.role, user.legal_circle)


class SignedIn(msgspec.Struct):
    user: Me
    csrf_token: str | None  # echo as X-CSRF-Token on unsafe requests (cookie sessions)
    via: str  # "session" or "token"


class PasswordChange(msgspec.Struct):
    current_password: str
    new_password: str
    keep_api_tokens: bool = False  # by default a password change revokes one's API tokens


class PasswordChanged(msgspec.Struct):
    sessions_ended: int
    api_tokens_revoked: int


class TokenRequest(msgspec.Struct):
    name: str


class TokenInfo(msgspec.Struct):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewToken(msgspec.Struct):
    token: str  # shown this once; only its hash is kept
    info: TokenInfo


class UserInfo(msgspec.Struct):
    id: int
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle
    active: bool
    created_at: datetime


class UserCreate(msgspec.Struct):
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle
    password: str


class UserChange(msgspec.Struct):
    role: Role | None = None
    active: bool | None = None
    display_name: str | None = None
    legal_circle: LegalCircle | None = None


class AuditEntry(msgspec.Struct):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: str | None
    client_address: str | None
    details: dict[str, Any]


def _signed_in(request: Request) -> SignedIn:
    auth = request.scope.get("auth")
    kind = auth.kind if isinstance(auth, Authenticated) else "session"
    csrf = auth.csrf_token if isinstance(auth, Authenticated) else None
    return SignedIn(Me.of(request.user), csrf, kind)


def _token_info(row: dict) -> TokenInfo:
    return msgspec.convert(row, TokenInfo)


def _user_info(row: dict) -> UserInfo:
    return msgspec.convert(row, UserInfo)


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]

    @post("/login", opt=PUBLIC, status_code=HTTP_200_OK, responses=SIGN_IN_REFUSED,
          summary="Sign in with email and password (sets the session cookie)")
    async def login(self, request: Request, settings: NamedDependency[Settings],
                    clock: ClockDep, data: JSONBody[LoginRequest]) -> Response[SignedIn]:
        refuse_cross_site(request, settings)
        if request.content_type[0] != "application/json":
            # A cross-site form can post text/plain that looks like JSON; never JSON itself.
            raise ClientException("Send the sign-in as application/json.", status_code=415)
        user, secret = await actions.login(clock, settings, data.email, data.password,
                                           client_address(request.scope),
                                           replacing=session_secret(request))
        body = SignedIn(Me.of(user), csrf_token_for(settings.secret_key, secret), "session")
        return Response(body, cookies=[session_cookie(settings, secret)],
                        headers={"Cache-Control": "no-store"})

    @post("/logout", opt=allow(*SIGNED_IN), status_code=HTTP_204_NO_CONTENT,
          summary="End this browser session")
    async def logout(self, request: Request, settings: NamedDependency[Settings],
                     actor: ActorDep, clock: ClockDep) -> Response[None]:
        secret = session_secret(request)
        auth = request.scope.get("auth")
        if secret and isinstance(auth, Authenticated) and auth.kind == "session":
            await actions.logout(actor, clock, secret)
        return Response(None, status_code=HTTP_204_NO_CONTENT,
                        cookies=[expired_session_cookie(settings)])

    @get("/me", opt=allow(*SIGNED_IN), summary="Who is signed in", cache=False)
    async def me(self, request: Request) -> Response[SignedIn]:
        return Response(_signed_in(request), headers={"Cache-Control": "no-store"})

    @post("/password", opt=allow(*SIGNED_IN), status_code=HTTP_200_OK, responses=THROTTLED,
          summary="Change one's own password; ends one's other sessions and (unless"
                  " keep_api_tokens) one's API tokens")
    async def change_password(self, request: Request, settings: NamedDependency[Settings],
                              actor: ActorDep, clock: ClockDep,
                              data: JSONBody[PasswordChange]) -> PasswordChanged:
        auth = request.scope.get("auth")
        keep = auth.credential_id if isinstance(auth, Authenticated) and \
            auth.kind == "session" else None
        stored = await actions.change_password(actor, clock, settings, data.current_password,
                                               data.new_password, keep,
                                               client_address(request.scope),
                                               keep_api_tokens=data.keep_api_tokens)
        return PasswordChanged(stored.sessions_ended, stored.api_tokens_revoked)

    @get("/tokens", opt=allow(*SIGNED_IN), summary="One's personal API tokens")
    async def list_tokens(self, request: Request, limit: Limit = DEFAULT_LIMIT,
                          offset: Offset = 0) -> Page[TokenInfo]:
        rows, total = await service.list_api_tokens(request.user, limit, offset)
        return Page([_token_info(row) for row in rows], total, limit, offset)

    @post("/tokens", opt=allow(*SIGNED_IN),
          summary="Create a personal API token (shown once, use as Authorization: Bearer)")
    async def create_token(self, actor: ActorDep, clock: ClockDep,
                           data: JSONBody[TokenRequest]) -> NewToken:
        row, raw = await actions.create_api_token(actor, clock, data.name)
        return NewToken(raw, _token_info(row))

    @delete("/tokens/{token_id:int}", opt=allow(*SIGNED_IN), status_code=HTTP_200_OK,
            summary="Revoke one of one's API tokens")
    async def revoke_token(self, actor: ActorDep, clock: ClockDep,
                           token_id: FromPath[int]) -> TokenInfo:
        return _token_info(await actions.revoke_api_token(actor, clock, token_id))


class UsersController(Controller):
    path = "/api/v1/users"
    tags = ["accounts"]
    opt = allow(Role.ADMIN)

    @get("/", summary="Users (administrators only)")
    async def list_users(self, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Page[UserInfo]:
        rows, total = await service.list_users(limit, offset)
        return Page([_user_info(row) for row in rows], total, limit, offset)

    @post("/", summary="Create a user")
    async def create_user(self, actor: ActorDep, clock: ClockDep,
                          data: JSONBody[UserCreate]) -> UserInfo:
        user = await actions.create_user(actor, clock, service.NewUser(
            data.email, data.display_name, data.role, data.legal_circle, data.password))
        return _user_info(await service.get_user(user.id))

    @get("/{user_id:int}", summary="One user")
    async def get_user(self, user_id: FromPath[int]) -> UserInfo:
        return _user_info(await service.get_user(user_id))

    @patch("/{user_id:int}", summary="Change a user's role, name, legal circle or active flag")
    async def change_user(self, actor: ActorDep, clock: ClockDep, user_id: FromPath[int],
                          data: JSONBody[UserChange]) -> UserInfo:
        row = await actions.change_user(actor, clock, user_id, role=data.role,
                                        active=data.active, display_name=data.display_name,
                                        legal_circle=data.legal_circle)
        return _user_info(row)


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["accounts"]
    opt = allow(Role.ADMIN)

    @get("/", summary="The audit log, newest first (administrators only)")
    async def list_entries(self, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                           actor_id: OptionalId = None,
                           entity: FromQuery[str | None] = None,
                           entity_id: FromQuery[str | None] = None,
                           action: FromQuery[str | None] = None,
                           since: FromQuery[datetime | None] = None,
                           until: FromQuery[datetime | None] = None) -> Page[AuditEntry]:
        since = fields.moment("since", since) if since is not None else None
        until = fields.moment("until", until) if until is not None else None
        where = audit.AuditFilter(actor_id, entity, entity_id, action, since, until)
        rows, total = await audit.entries(where, limit, offset)
        return Page([msgspec.convert(row, AuditEntry) for row in rows], total, limit, offset)


ROUTE_HANDLERS = [AuthController, UsersController, AuditController]
