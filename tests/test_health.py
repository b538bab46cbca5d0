"""GET /health tells whether the service and its database answer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from network.accounts.sessions import SESSION_COOKIE
from tests.support.app import MakeUser, make_settings, serving
from tests.support.polling import until
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


async def test_it_answers_within_3_seconds_when_the_database_stops_answering(
    tmp_path: Path, db: str, make_user: MakeUser
) -> None:
    """A black hole: the connection stays open and nothing comes back. /health waits for the
    database at most 1.5 s, and never looks up a session cookie (that lookup would wait for the
    database's own time limits)."""
    parts = urlsplit(db)
    relay = TcpRelay(db)
    port = await relay.start()
    relayed = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}", query="")
    )
    loop = asyncio.get_running_loop()
    async with serving(make_settings(tmp_path, DATABASE_URL=relayed)) as client:
        try:
            alice = await make_user()
            signed_in = await client.post("/api/v1/auth/login", json={
                "email": alice.email, "password": alice.password})
            assert client.cookies.get(SESSION_COOKIE) == signed_in.cookies[SESSION_COOKIE]
            assert (await client.get("/health")).status_code == 200

            relay.black_hole()
            for _ in range(3):
                started = loop.time()
                async with asyncio.timeout(60):  # a hang fails the test instead of hanging it
                    response = await client.get("/health")
                assert loop.time() - started < 3.0
                assert response.status_code == 503
                assert response.json() == {"status": "unavailable", "database": "unreachable"}

            relay.restore()
            await until(lambda: _answers(client), seconds=30, what="/health answering 200")
        finally:
            await relay.close()


async def _answers(client: httpx.AsyncClient) -> bool:
    return (await client.get("/health")).status_code == 200
