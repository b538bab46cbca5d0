"""A signed-out browser opening any staff page is sent to the sign-in page, never shown a
JSON error; the API keeps answering 401 problem+json. The walk covers every page route."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
from litestar import Litestar

from network.accounts.access import rule_of
from network.app import create_app
from network.settings import Settings

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
FILLED = {"int": "1", "str": "2026-10", "path": "x"}


def staff_pages(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every signed-in route outside the API, parameters filled in."""
    found = []
    for route in app.routes:
        if route.path.startswith(("/api/", "/health")):
            continue
        path = re.sub(r"\{(\w+):(\w+)\}", lambda m: FILLED[m.group(2)], route.path)
        for handler in getattr(route, "route_handlers", []):
            if isinstance(rule_of(handler), frozenset):
                found += [(method, path) for method in sorted(handler.http_methods)
                          if method in ("GET", "POST")]
    return found


async def test_every_staff_page_sends_a_signed_out_browser_to_the_sign_in_page(
        client: httpx.AsyncClient, settings: Settings) -> None:
    pages = staff_pages(create_app(settings))
    assert len(pages) > 30, pages
    wrong = {}
    for method, path in pages:
        response = await client.request(method, path, headers=BROWSER,
                                         data={"x": "1"} if method == "POST" else None)
        location = urlsplit(response.headers.get("location", ""))
        back = parse_qs(location.query).get("weiter", [""])[0]
        expected_back = path if method == "GET" else "/"
        if (response.status_code, location.path, back) != (303, "/login", expected_back):
            wrong[(method, path)] = (response.status_code, response.headers.get("location"),
                                     response.headers.get("content-type"))
    assert wrong == {}


async def test_a_caller_that_is_no_browser_gets_401_with_the_way_in(
        client: httpx.AsyncClient, settings: Settings) -> None:
    wrong = {}
    for method, path in staff_pages(create_app(settings)):
        response = await client.request(method, path)
        if (response.status_code != 401
                or not response.headers.get("location", "").startswith("/login?")):
            wrong[(method, path)] = (response.status_code, response.headers["content-type"])
    assert wrong == {}


async def test_the_api_keeps_answering_401_problem_json_to_a_browser(
        client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/clients", "/api/v1/partners/1", "/api/v1/auth/me"):
        response = await client.get(path, headers=BROWSER)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
