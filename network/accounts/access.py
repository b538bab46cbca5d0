"""Who may call which route: every route handler declares a rule, and anything without one is
refused (deny by default).

A handler declares its rule in `opt`:
    @get("/api/v1/partners", opt=allow(Role.ADMIN, Role.COORDINATOR))
    @get("/health", opt=PUBLIC)
    @get("/p/{token:str}", opt=PARTNER_LINK)   # a partner's emailed link; the token is the key
The app-level guard `enforce_access` reads it. The authentication middleware puts the signed-in
user (a CurrentUser) in `scope["user"]`; without one, protected routes answer 401, with the
wrong role 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

ACCESS = "access"
PUBLIC_RULE = "public"
PARTNER_LINK_RULE = "partner_link"


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"  # sees reports only


class LegalCircle(StrEnum):
    SGB2 = "sgb2"
    SGB3 = "sgb3"


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle


PUBLIC: dict[str, Any] = {ACCESS: PUBLIC_RULE}
PARTNER_LINK: dict[str, Any] = {ACCESS: PARTNER_LINK_RULE}
STAFF = (Role.ADMIN, Role.COORDINATOR)


def allow(*roles: Role) -> dict[str, Any]:
    if not roles:
        raise ValueError("allow() needs at least one role")
    return {ACCESS: frozenset(roles)}


def rule_of(handler: BaseRouteHandler) -> Any:
    return handler.opt.get(ACCESS)


async def enforce_access(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App guard. A coroutine although it awaits nothing: Litestar runs a plain function
    guard in a worker thread, a thread hop on every request (issue 18)."""
    rule = rule_of(handler)
    if rule in (PUBLIC_RULE, PARTNER_LINK_RULE):
        return
    if not isinstance(rule, frozenset):
        raise PermissionDeniedException("This route declares no access rule, so nobody may use it.")
    user = connection.scope.get("user")
    if not isinstance(user, CurrentUser):
        raise NotAuthorizedException("Please sign in.")
    if user.role not in rule:
        raise PermissionDeniedException("Your role may not do this.")


def user_id(actor: CurrentUser | None) -> int | None:
    """The id to store as "who did it"; None for the system (a job, a command, the demo seed)."""
    return actor.id if actor is not None else None


SIGNED_IN = (Role.ADMIN, Role.COORDINATOR, Role.VIEWER)  # allow(*SIGNED_IN): any account
