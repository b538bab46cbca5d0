"""Errors as RFC 9457 problem details (application/problem+json), never a bare 500 page.

Validation errors name the field: `errors` lists {"field", "message"} and `detail`
repeats the first one in words, so a client that shows only `detail` is still helpful. A
refusal of the domain (`network.errors.RuleViolation`) adds its `code`, the stable name of
the rule (the catalogue in `network.words.refusals` words it), for clients that react to it.
"""

from __future__ import annotations

import inspect
import logging
import re
from http import HTTPStatus
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.utils.scope.state import ScopeState

from network.accounts.access import PUBLIC_RULE, rule_of
from network.accounts.middleware import sign_in_location, sign_in_redirect
from network.body_limit import KIB, limit_of
from network.errors import (
    Conflict,
    LinkUsed,
    Malformed,
    NotFound,
    NotPermitted,
    RuleViolation,
    Throttled,
    WrongCredentials,
)
from network.request_log import redacted_path

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct):
    field: str
    message: str
    code: str | msgspec.UnsetType = msgspec.UNSET  # a domain refusal's code


class Problem(msgspec.Struct):
    """The body of every error response (RFC 9457), for the OpenAPI schema."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | msgspec.UnsetType = msgspec.UNSET
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET


def problem(status: int, detail: str, instance: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON)


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, ValidationException):
        errors = [_field_error(item) for item in (exc.extra or []) if isinstance(item, dict)]
        detail = f"{errors[0]['field']}: {errors[0]['message']}" if errors else exc.detail
        return problem(400, detail, request.url.path, errors=errors)
    if isinstance(exc, NotAuthorizedException):  # a page sends a browser to sign in
        to_sign_in = sign_in_redirect(request)
        if to_sign_in is not None:
            return to_sign_in
    extra = {}
    if exc.status_code in (400, 413):  # the body as a whole: not JSON, too large
        field, _, message = exc.detail.partition(": ") if exc.detail.startswith(
            "body: ") else ("body", "", exc.detail)
        extra["errors"] = [{"field": field, "message": message or exc.detail}]
    response = problem(exc.status_code, exc.detail, request.url.path, **extra)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if isinstance(exc, NotAuthorizedException) and (login := sign_in_location(request)):
        response.headers["Location"] = login
    return response


def rule_violation_handler(request: Request, exc: RuleViolation) -> Response:
    """A domain refusal: 422 (well-formed but against a rule), 409 for a clash with what is
    stored. Both name the field, like a validation error does."""
    status = (409 if isinstance(exc, Conflict) else 403 if isinstance(exc, NotPermitted)
              else 400 if isinstance(exc, Malformed) else 422)
    return problem(status, f"{exc.field}: {exc.message}", request.url.path,
                   errors=[{"field": exc.field, "message": exc.message, "code": exc.code}])


def not_found_handler(request: Request, exc: NotFound) -> Response:
    return problem(404, exc.message, request.url.path)


def sign_in_refused_handler(request: Request,
                            exc: WrongCredentials | LinkUsed | Throttled) -> Response:
    """The accounts' refusals that are not about a field: wrong credentials (401), a used
    setup link (403), too many failed sign-ins (429, with Retry-After)."""
    if isinstance(exc, Throttled):
        response = problem(429, exc.message, request.url.path)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return problem(401 if isinstance(exc, WrongCredentials) else 403, exc.message,
                   request.url.path)


def malformed_body_handler(request: Request, exc: UnicodeDecodeError | RecursionError
                           ) -> Response:
    """What the JSON decoder raises on its own instead of a decoding error: a body that is
    not UTF-8, or one nested deeper than it descends. Both are the caller's mistake."""
    message = ("is not valid UTF-8" if isinstance(exc, UnicodeDecodeError)
               else "is nested too deeply")
    return problem(400, f"body: {message}", request.url.path,
                   errors=[{"field": "body", "message": message}])


def unstorable_value_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """A value PostgreSQL refuses as data (SQLSTATE class 22: a number beyond its range, a NUL
    character in a text): the typed parameters and field checks stop these first; this is
    the net under them, so such input still answers 400 and never 500."""
    log.warning("value refused by the database: %s", type(exc).__name__,
                extra={"path": redacted_path(request.url.path)})
    field = (_huge_integer_in(dict(request.query_params.items()))
             or _huge_integer_in(_body_of(request)))
    if field:
        message = f"Expected `int` between {-LARGEST_INTEGER - 1} and {LARGEST_INTEGER}"
    else:
        field = "request"
        message = "contains a value out of the range or form the service can store"
    return problem(400, f"{field}: {message}", request.url.path,
                   errors=[{"field": field, "message": message}])


LARGEST_INTEGER = 2**63 - 1  # PostgreSQL's bigint


def concurrent_change_handler(request: Request, exc: asyncpg.TransactionRollbackError
                              ) -> Response:
    """PostgreSQL rolled this change back whole because a concurrent one got in its way (a
    deadlock, a serialization failure, SQLSTATE class 40): nothing was saved, and sending it
    again works. 409 with Retry-After, never 500."""
    log.warning("change rolled back for a concurrent one: %s", type(exc).__name__,
                extra={"path": redacted_path(request.url.path)})
    message = CONCURRENT_CHANGE
    response = problem(409, f"request: {message}", request.url.path,
                       errors=[{"field": "request", "message": message}])
    response.headers["Retry-After"] = "1"
    return response


CONCURRENT_CHANGE = ("a change made at the same moment got in the way; nothing was saved,"
                     " please send it again")


def _body_of(request: Request) -> Any:
    """The JSON body the handler read, if it read one (None otherwise)."""
    body = ScopeState.from_scope(request.scope).body
    if not isinstance(body, bytes) or not body:
        return None
    try:
        return msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        return None


def _huge_integer_in(value: Any, path: str = "") -> str | None:
    """The dotted name of the first integer beyond bigint in a decoded body or query."""
    if isinstance(value, str) and path:
        value = int(value) if value.lstrip("-").isdigit() and len(value) < 4300 else None
    if isinstance(value, int) and not isinstance(value, bool):
        return path or "body" if abs(value) > LARGEST_INTEGER else None
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        found = _huge_integer_in(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"path": redacted_path(request.url.path)})
    return problem(500, "Something went wrong on our side; it has been logged.", request.url.path)


MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    """A Litestar validation item ({"key", "message", "source"}) as an `errors` entry."""
    field = str(item.get("key") or "")
    if field == "data" and item.get("source") == "body":
        field = ""  # the body as a whole (Litestar names it after the handler's argument)
    message = str(item.get("message", "is invalid"))
    missing = MISSING_FIELD.search(message)
    if missing:  # msgspec names the object at fault; name the missing field itself
        field = f"{field}.{missing.group(1)}" if field else missing.group(1)
    error = {"field": field or str(item.get("source") or "body"), "message": message}
    if item.get("code"):
        error["code"] = str(item["code"])
    return error


MEANINGS = {
    400: "The request is malformed: a value has the wrong type, shape, range or encoding"
         " (`errors` names it)",
    401: "Not signed in (or, signing in, wrong email address or password)",
    403: "Signed in, but this role may not do this (or the CSRF token is missing)",
    404: "No such record",
    409: "Clashes with what is stored (`errors` names the field)",
    413: "The request body is larger than this route takes",
    422: "Well-formed but against a rule (`errors` names the field)",
    429: "Too many failed sign-ins: wait as long as Retry-After says",
    503: "The database cannot be reached right now; try again shortly",
}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_LIMIT_NOTE = "Request body: at most"


def possible_problems(handler: Any, path: str) -> dict[int, str]:
    """The problem answers a JSON route can give, from what it is: every one may be
    malformed (400) or meet a database that is down (503); a signed-in one 401 and 403; one
    with a path parameter or a write 404; one taking a body 413; one taking input a rule
    refuses 422; a write 409; the sign-in routes 401, 403 (another site) and 429."""
    codes = {400, 503}
    protected = isinstance(rule_of(handler), frozenset)
    writes = bool(set(handler.http_methods) & WRITES)
    signature = handler.parsed_fn_signature.parameters
    takes_body = "data" in signature
    if protected:
        codes |= {401, 403}
    if "{" in path or writes:
        codes.add(404)
    if takes_body:
        codes.add(413)
    if writes:
        codes.add(409)
    if takes_body or "{" in path or any(
            name not in ("self", "actor", "clock", "settings", "request", "data")
            for name in signature):
        codes.add(422)
    if rule_of(handler) == PUBLIC_RULE and writes or path.startswith("/api/v1/auth/") and writes:
        codes |= {401, 403, 429}
    meanings = {code: MEANINGS[code] for code in sorted(codes)}
    if 413 in meanings:
        meanings[413] = f"The request body is larger than {limit_of(handler) // KIB} KiB"
    return meanings


def document_problems(app: Litestar) -> Litestar:
    """Declare in the OpenAPI schema, on every JSON route, the problem answers it can give
    (application/problem+json) and its body limit, so the schema says what the service does.
    A handler's own `responses` stay as they are."""
    for route in app.routes:
        if not route.path.startswith("/api/") or route.path.startswith("/api/v1/schema"):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not handler.include_in_schema or "OPTIONS" in handler.http_methods:
                continue
            found = possible_problems(handler, route.path)
            handler.responses = {
                **{code: ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON,
                                      description=meaning, generate_examples=False)
                   for code, meaning in found.items()},
                **(handler.responses or {})}
            if 413 in found and BODY_LIMIT_NOTE not in (handler.description or ""):
                text = handler.description or inspect.cleandoc(handler.fn.__doc__ or "")
                handler.description = (f"{text}\n\n" if text else "") + (
                    f"{BODY_LIMIT_NOTE} {limit_of(handler) // KIB} KiB (413 above).")
    return app


MALFORMED = (UnicodeDecodeError, RecursionError, asyncpg.DataError)


def caller_status(exc: BaseException) -> int | None:
    """The 4xx of an error that is no fault of the service though it is no HTTP error: input
    the caller got wrong in a way no typed check sees first (a body that is not UTF-8 or
    nested too deeply, a value PostgreSQL refuses as data) 400; a change rolled back for a
    concurrent one 409. Pages answer these with their own page; None for anything else."""
    if isinstance(exc, MALFORMED):
        return 400
    if isinstance(exc, asyncpg.TransactionRollbackError):
        return 409
    return None


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    RuleViolation: rule_violation_handler,  # Conflict too (a subclass): 409
    NotFound: not_found_handler,
    WrongCredentials: sign_in_refused_handler,
    LinkUsed: sign_in_refused_handler,
    Throttled: sign_in_refused_handler,
    UnicodeDecodeError: malformed_body_handler,
    RecursionError: malformed_body_handler,
    asyncpg.DataError: unstorable_value_handler,
    asyncpg.TransactionRollbackError: concurrent_change_handler,
    Exception: internal_error_handler,
}
