"""Every integer in a path is a record id, and every id fits in PostgreSQL's bigint: a path
with a larger number (or a negative one) names no record and answers 400 naming the
parameter, on every route, API and page alike, before any handler passes it to the database.
"""

from __future__ import annotations

from litestar.exceptions import ValidationException
from litestar.types import ASGIApp, Receive, Scope, Send

from network.api_types import MAX_ID


def path_id_middleware(app: ASGIApp) -> ASGIApp:
    """Use in the app's middleware list (it reads the path parameters the router found)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in (scope.get("path_params") or {}).items():
            if isinstance(value, int) and not isinstance(value, bool) and not (
                    0 <= value <= MAX_ID):
                message = f"Expected `int` between 0 and {MAX_ID}"
                raise ValidationException(
                    f"{name}: {message}",
                    extra=[{"key": name, "message": message, "source": "path"}])
        await app(scope, receive, send)

    return middleware
