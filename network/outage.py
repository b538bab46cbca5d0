"""While the database cannot be reached, every page and API answers 503, never 500.

`database_unreachable(error)` is the one place that says which errors mean "the database
cannot be reached": a refused, reset or closed connection, a connection that stopped
answering (the pool's and the statements' time limits, network.database, turn a black hole
into TimeoutError), and the server refusing connections (starting up, shutting down, too many
clients). An exception raised while handling another counts when one in its chain does: a
rollback that fails after a lost connection is the same outage.

`OUTAGE_HANDLERS` is merged into the app's exception handlers. Litestar picks the handler of
the most specific class over all layers, so these win over the `Exception` handlers of the
page routers; an error of these classes that is not an outage goes on to the handler of
`Exception` that would have answered without them. The API (`/api/`) and `/health` answer
problem+json, every other path a short German page; both carry Retry-After.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable
from html import escape
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.enums import MediaType

from network.database import DatabaseUnreachable
from network.problems import PROBLEM_JSON, internal_error_handler
from network.request_log import redacted_path
from network.words.outage import OUTAGE_TEXT, OUTAGE_TITLE

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DETAIL = "The database cannot be reached right now; nothing was changed. Please try again shortly."
JSON_PREFIXES = ("/api/", "/health")

# Errors of the server that mean it takes no work right now.
SERVER_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,  # class 08, ConnectionDoesNotExistError among them
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)
NETWORK_ERRNOS = frozenset({
    errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
    errno.EHOSTUNREACH, errno.EHOSTDOWN, errno.ENETUNREACH, errno.ENETDOWN,
})
CLOSED_MESSAGES = ("connection is closed", "connection was closed", "another operation is "
                   "cancelling", "pool is closing")


def database_unreachable(error: BaseException) -> bool:
    """True when `error`, or an error it was raised from or while handling, means that the
    database cannot be reached."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _unreachable(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _unreachable(error: BaseException) -> bool:
    if isinstance(error, (DatabaseUnreachable, *SERVER_UNAVAILABLE, TimeoutError,
                          ConnectionError, socket.gaierror)):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return any(text in str(error) for text in CLOSED_MESSAGES)
    return isinstance(error, OSError) and error.errno in NETWORK_ERRNOS


def outage_handler(request: Request, exc: Exception) -> Response:
    if not database_unreachable(exc):
        return _usual_handler(request)(request, exc)
    log.warning("database unreachable", extra={
        "path": redacted_path(request.url.path), "error": type(exc).__name__})
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.url.path.startswith(JSON_PREFIXES):
        return Response({"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": DETAIL, "instance": request.url.path},
                        status_code=503, media_type=PROBLEM_JSON, headers=headers)
    return Response(_page(request), status_code=503, media_type=MediaType.HTML,
                    headers=headers)


def _usual_handler(request: Request) -> Callable[[Request, Exception], Response]:
    """The handler of `Exception` on this route (a page router's or the app's)."""
    handlers: dict[Any, Any] = request.route_handler.resolve_exception_handlers()
    handler = handlers.get(Exception)
    return handler if handler not in (None, outage_handler) else internal_error_handler


def _page(request: Request) -> str:
    """A page of its own, with nothing that needs the database or a script."""
    name = escape(request.app.state.settings.integration_point)
    return (f'<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="referrer" content="no-referrer">\n'  # a partner link holds a token
            f'<meta name="robots" content="noindex">\n'
            f'<title>{escape(OUTAGE_TITLE)} – {name}</title>\n'
            f'<link rel="stylesheet" href="/static/style.css">\n</head>\n<body>\n<main>\n'
            f'<h1>{escape(OUTAGE_TITLE)}</h1>\n<p>{escape(OUTAGE_TEXT)}</p>\n'
            f'<p>{name}</p>\n</main>\n</body>\n</html>\n')


OUTAGE_HANDLERS: dict[type[Exception], Callable[[Request, Any], Response]] = {
    cls: outage_handler for cls in (DatabaseUnreachable, *SERVER_UNAVAILABLE, OSError,
                                    asyncpg.InterfaceError)
}
