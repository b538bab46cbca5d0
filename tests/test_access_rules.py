"""Every route declares who may use it; a route without a rule is refused to everybody."""

from __future__ import annotations

from pathlib import Path

import httpx
from litestar import get

from network.accounts.access import ACCESS, PARTNER_LINK_RULE, PUBLIC_RULE, rule_of
from network.app import create_app
from tests.conftest import make_settings


def test_it_gives_every_route_of_the_app_an_access_rule(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, DATABASE_URL="postgresql://u@127.0.0.1:1/x"))
    undeclared = [
        f"{sorted(handler.http_methods)} {route.path}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.http_methods != {"OPTIONS"}  # Litestar's automatic ones: refused, no rule
        and not (rule_of(handler) in (PUBLIC_RULE, PARTNER_LINK_RULE)
                or isinstance(rule_of(handler), frozenset))
    ]
    assert undeclared == []


async def test_it_refuses_a_route_that_declares_no_rule(tmp_path: Path) -> None:
    @get("/undeclared", sync_to_thread=False)
    def undeclared() -> str:
        return "secret"

    app = create_app(make_settings(tmp_path, DATABASE_URL="postgresql://u@127.0.0.1:1/x"))
    app.register(undeclared)
    assert ACCESS not in undeclared.opt
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        response = await client.get("/undeclared")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "secret" not in response.text
