"""GET /health: 200 when the service and its database answer, 503 when the database does not."""

from __future__ import annotations

from litestar import Response, get

from network import database
from network.accounts.access import PUBLIC


@get("/health", summary="Service and database status", tags=["operations"], cache=False, opt=PUBLIC)
async def health() -> Response[dict[str, str]]:
    reachable = await database.ping()
    return Response(
        content={"status": "ok" if reachable else "unavailable",
                 "database": "ok" if reachable else "unreachable"},
        status_code=200 if reachable else 503,
        headers={"Cache-Control": "no-store"},
    )
