"""Every route declares who may use it; a route without a rule is refused to everybody; a
walk over the route table proves each protected route answers 401 without a user and 403 for
every role outside its rule."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
from litestar import Litestar, get

from network.accounts.access import ACCESS, PARTNER_LINK_RULE, PUBLIC_RULE, Role, rule_of
from network.app import create_app
from network.settings import Settings
from tests.support.app import MakeUser, make_settings


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


DUMMY_PATH_VALUES = {"int": "1", "str": "x", "path": "x", "uuid": str(uuid.UUID(int=1)),
                     "date": "2026-01-01", "datetime": "2026-01-01T00:00:00Z",
                     "float": "1.0", "decimal": "1.0", "time": "00:00:00"}


def protected_requests(app: Litestar) -> list[tuple[str, str, frozenset]]:
    """(method, concrete path, allowed roles) for every role-protected route of the app,
    path parameters filled with dummy values of their declared type."""
    found = []
    for route in app.routes:
        path = re.sub(r"\{(\w+):(\w+)\}", lambda m: DUMMY_PATH_VALUES[m.group(2)], route.path)
        for handler in getattr(route, "route_handlers", []):
            rule = rule_of(handler)
            if isinstance(rule, frozenset):
                found += [(method, path, rule) for method in sorted(handler.http_methods)
                          if method != "OPTIONS"]
    return found


async def test_it_answers_401_on_every_protected_route_without_a_user(
        client: httpx.AsyncClient, settings: Settings) -> None:
    requests = protected_requests(create_app(settings))
    assert requests, "the walk found no protected routes"
    answers = {(method, path): (await client.request(method, path)).status_code
               for method, path, _rule in requests}
    assert {key: status for key, status in answers.items() if status != 401} == {}


async def test_it_answers_401_for_a_forged_or_unknown_credential(
        client: httpx.AsyncClient, settings: Settings) -> None:
    method, path, _rule = protected_requests(create_app(settings))[0]
    forged = [{"Authorization": "Bearer nwk_forged"}, {"Cookie": "network_session=forged"},
              {"Authorization": "Basic YTpi"}]
    for headers in forged:
        assert (await client.request(method, path, headers=headers)).status_code == 401


async def test_it_answers_403_on_every_protected_route_for_a_role_outside_its_rule(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser) -> None:
    callers = {role: await make_user(role=role.value) for role in Role}
    requests = protected_requests(create_app(settings))
    refused, tried = {}, 0
    for method, path, rule in requests:
        for role in set(Role) - rule:
            tried += 1
            response = await client.request(method, path, headers=callers[role].headers)
            if response.status_code != 403:
                refused[(method, path, role.value)] = response.status_code
    assert tried > 0
    assert refused == {}
