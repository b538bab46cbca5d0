"""GET /health tells whether the service and its database answer."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx

from tests.conftest import make_settings, serving


async def test_it_answers_200_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"


class TcpRelay:
    """A real TCP hop between the service and PostgreSQL that the test can cut."""

    def __init__(self, database_url: str):
        parts = urlsplit(database_url)
        if parts.hostname:
            self.connect = lambda: asyncio.open_connection(parts.hostname, parts.port or 5432)
        else:  # the embedded server listens on a socket in the directory named by ?host=
            socket_dir = parse_qs(parts.query)["host"][0]
            path = f"{socket_dir}/.s.PGSQL.{parts.port or 5432}"
            self.connect = lambda: asyncio.open_unix_connection(path)
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", port)
        return self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await self.connect()
        self.writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


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
