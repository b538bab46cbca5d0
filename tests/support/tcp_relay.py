"""A TCP hop between the service and PostgreSQL that a test can cut or black-hole.

- `cut()`: the database goes away: the relay stops listening (new connections are refused)
  and closes every connection it carries. `start(port)` brings it back.
- `black_hole()`: the database stops answering without closing anything: every connection
  stays open on both sides, and whatever either side sends is swallowed; connections made
  meanwhile are accepted and swallowed too. `restore()` ends it for new connections; the
  swallowed ones stay silent (like connections whose state a firewall dropped), so the
  service has to discard them itself.
- `close()`: ends everything, silent connections included (call it when the test ends, so
  the server sees them gone).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit


@dataclass(eq=False)
class _Link:
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    silent: bool = False


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
        self.links: set[_Link] = set()
        self.silent = False  # black-holed: new connections are swallowed too

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", port)
        return self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        self._close_links()
        await self.server.wait_closed()

    def black_hole(self) -> None:
        self.silent = True
        for link in self.links:
            link.silent = True

    def restore(self) -> None:
        self.silent = False

    async def close(self) -> None:
        self.silent = False
        if self.server is not None:
            self.server.close()
        self._close_links()
        if self.server is not None:
            await self.server.wait_closed()

    def _close_links(self) -> None:
        for link in self.links:
            for writer in link.writers:
                writer.close()
        self.links.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = _Link([writer], silent=self.silent)
        self.links.add(link)
        if link.silent:  # never reaches the server; stays open until the relay closes
            with contextlib.suppress(ConnectionError):
                while await reader.read(65536):
                    pass
            return
        up_reader, up_writer = await self.connect()
        link.writers.append(up_writer)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    if not link.silent:
                        sink.write(data)
                        await sink.drain()
            if not link.silent:  # a black hole does not pass on the close either
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
