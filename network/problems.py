"""Errors as RFC 9457 problem details (application/problem+json), never a bare 500 page.

Validation errors name the field: `errors` lists {"field", "message"} and `detail`
repeats the first one in words, so a client that shows only `detail` is still helpful.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from network.request_log import redacted_path

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


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
    response = problem(exc.status_code, exc.detail, request.url.path)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"path": redacted_path(request.url.path)})
    return problem(500, "Something went wrong on our side; it has been logged.", request.url.path)


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    field = item.get("key") or item.get("source") or "body"
    return {"field": str(field), "message": str(item.get("message", "is invalid"))}


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    Exception: internal_error_handler,
}
