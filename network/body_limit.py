"""How large a request body may be, per kind of route, enforced before the body is read.

A route that anybody may call (sign-in, first-run setup, a partner's emailed link) takes
only what its form needs; the signed-in API and pages take more; nothing in the service takes
files, so nothing takes more than that. A route may name its own limit with
`opt={"body_limit": bytes}`.

The middleware runs after routing, so it knows the route: it refuses a `Content-Length` above
the limit at once (413, nothing read), and for a body without one (chunked) it counts the
bytes as the handler reads them and stops at the limit, so a large body is never held in
memory, whoever sends it.
"""

from __future__ import annotations

from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from network.accounts.access import PARTNER_LINK_RULE, PUBLIC_RULE, rule_of

KIB = 1024
SIGN_IN_FORM = 8 * KIB
"""Sign-in (API and page), first-run setup and the other public forms: an email address, a
password and a few hidden fields."""
PARTNER_FORM = 48 * KIB
"""A partner's answer through the emailed link: a message of up to 5000 characters, which
percent-encoded in a form may take 9 bytes a character (three-byte UTF-8)."""
SIGNED_IN = 256 * KIB
"""The signed-in API (JSON) and staff forms: the largest is a partner with its contacts or a
potential analysis, a few KB; no route takes files."""
LIMIT_OPTION = "body_limit"


class BodyTooLarge(HTTPException):
    status_code = 413

    def __init__(self, limit: int):
        super().__init__(detail=f"body: the request body may be at most {limit} bytes"
                                f" ({limit // KIB} KiB) on this route")


def limit_of(handler: object) -> int:
    """The body limit of a route handler, from its own `body_limit` or its access rule."""
    opt = getattr(handler, "opt", None) or {}
    if isinstance(opt.get(LIMIT_OPTION), int):
        return opt[LIMIT_OPTION]
    rule = rule_of(handler) if opt else None
    if rule == PARTNER_LINK_RULE:
        return PARTNER_FORM
    if rule == PUBLIC_RULE or not isinstance(rule, frozenset):
        return SIGN_IN_FORM
    return SIGNED_IN


def body_limit_middleware(app: ASGIApp) -> ASGIApp:
    """Use in the app's middleware list (it needs the route, so inside Litestar's router)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = limit_of(scope.get("route_handler"))
        announced = _content_length(scope)
        if announced is not None and announced > limit:
            raise BodyTooLarge(limit)
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await app(scope, counted, send)

    return middleware


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed one itself
    return None
