"""GET /health tells whether the service and its database answer."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from tests.support.app import make_settings, serving
from tests.support.tcp_relay import TcpRelay


async def test_it_answers_200_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_it_answers_503_while_the_database_is_unreachable_and_recovers(
    tmp_path: Path, db: str
) -> None:
    parts = urlsplit(db)
    relay = TcpRelay(db)
    port = await relay.start()
    relayed = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}", query="")
    )
    settings = make_settings(tmp_path, DATABASE_URL=relayed)
    async with serving(settings) as client:
        assert (await client.get("/health")).status_code == 200

        await relay.cut()
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "unreachable"}

        await relay.start(port)
        assert (await client.get("/health")).status_code == 200
        await relay.cut()
