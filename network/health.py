"""GET /health: 200 when the service and its database answer, 503 when the database does not."""

from __future__ import annotations

from litestar import Response, get

from network import database
from network.accounts.access import PUBLIC
from network.accounts.middleware import WITHOUT_CREDENTIALS

LIMIT_SECONDS = 1.5  # for the database's answer: the whole answer stays well within 3 s


@get("/health", summary="Service and database status", tags=["operations"], cache=False,
     opt={**PUBLIC, WITHOUT_CREDENTIALS: True})
async def health() -> Response[dict[str, str]]:
    """Never waits for the database longer than LIMIT_SECONDS, also when it stopped answering
    without closing the connection; a session cookie is not looked up."""
    reachable = await database.ping(LIMIT_SECONDS)
    return Response(
        content={"status": "ok" if reachable else "unavailable",
                 "database": "ok" if reachable else "unreachable"},
        status_code=200 if reachable else 503,
        headers={"Cache-Control": "no-store"},
    )
