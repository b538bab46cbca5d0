"""Requests from a chosen client address: a second httpx client on the app that `serving`
runs, whose ASGI scope names that address (as uvicorn would after the proxy headers)."""

from __future__ import annotations

import httpx


def from_address(client: httpx.AsyncClient, address: str) -> httpx.AsyncClient:
    """A client on the same running app as `client`, calling from `address`. Close it (or use
    it in `async with`)."""
    transport = client._transport  # noqa: SLF001 - the ASGITransport that `serving` made
    assert isinstance(transport, httpx.ASGITransport)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=transport.app,
                                                           client=(address, 50000)),
                             base_url=client.base_url)
