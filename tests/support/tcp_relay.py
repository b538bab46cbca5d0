"""A TCP hop between the service and PostgreSQL that a test can cut."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs, urlsplit


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
