"""Malformed input is the caller's fault and answers 4xx, never 5xx: integers beyond what
PostgreSQL holds in a path, a query or a body, JSON that is not UTF-8 or nested too deep, on
every route of the app, signed in or not. API answers are problem details naming the field."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from litestar import Litestar

from network.accounts.access import rule_of
from network.app import create_app
from network.settings import Settings
from tests.support.app import MakeUser

HUGE = 2**70
PATH_VALUES = {"int": str(HUGE), "str": "x", "path": "x"}


def every_request(app: Litestar, value: int) -> list[tuple[str, str]]:
    """(method, path) for every route of the app, integer path parameters set to `value`."""
    found = []
    for route in app.routes:
        if not re.search(r"\{\w+:int\}", route.path):
            continue
        path = re.sub(r"\{(\w+):(\w+)\}",
                      lambda m: str(value) if m.group(2) == "int" else PATH_VALUES[m.group(2)],
                      route.path)
        for handler in getattr(route, "route_handlers", []):
            found += [(method, path) for method in sorted(handler.http_methods)
                      if method not in ("OPTIONS", "HEAD") and rule_of(handler) is not None]
    return found


def query_parameters(app: Litestar, kind: str) -> list[tuple[str, str]]:
    """(path, name) of every query parameter of GET operations the API documents whose
    schema mentions `kind` ("integer", "date-time"), path parameters filled in."""
    schema = app.openapi_schema.to_schema()
    found = []
    for template, item in schema["paths"].items():
        path = template.replace("{month}", "2026-10")
        path = re.sub(r"\{\w+\}", "1", path)
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and f'"{kind}"' in json.dumps(parameter["schema"]):
                found.append((path, parameter["name"]))
    return found


async def wrong_answers(client: httpx.AsyncClient, staff: list[dict], value: str,
                        parameters: list[tuple[str, str]]) -> dict:
    """The parameters that, set to `value`, did not answer 400 (or 422 for a value well
    formed but out of range) naming them. `staff`: the headers of a coordinator and of an
    administrator; each route is asked as the first whose role may use it."""
    wrong = {}
    for path, name in parameters:
        for headers in staff:
            response = await client.get(path, params={name: value}, headers=headers)
            if response.status_code != 403:
                break
        body = response.json() if response.headers.get("content-type") == \
            "application/problem+json" else {}
        fields = [error["field"] for error in body.get("errors", [])]
        if response.status_code not in (400, 422) or name not in fields:
            wrong[(path, name)] = (response.status_code, response.text[:200])
    return wrong


@pytest.mark.parametrize("value", [HUGE, -HUGE, 2**63])
async def test_integers_beyond_64_bits_in_a_path_answer_4xx_on_every_route(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser, value: int) -> None:
    coordinator, admin = await make_user("coordinator"), await make_user("admin")
    requests = every_request(create_app(settings), value)
    assert len(requests) > 30, requests
    answers = {}
    for method, path in requests:
        for who, headers in (("coordinator", coordinator.headers), ("admin", admin.headers),
                             ("nobody", {})):
            response = await client.request(method, path, headers=headers, json={})
            answers[(who, method, path)] = response.status_code
    assert {key: status for key, status in answers.items() if status >= 500} == {}


@pytest.mark.parametrize("value", [str(HUGE), str(-HUGE), str(2**63), "1e400", "x"])
async def test_integers_beyond_64_bits_in_a_query_answer_4xx_naming_the_parameter(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser, value: str) -> None:
    staff = [(await make_user(role)).headers for role in ("coordinator", "admin")]
    parameters = query_parameters(create_app(settings), "integer")
    assert len(parameters) > 20, parameters
    assert await wrong_answers(client, staff, value, parameters) == {}


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                   "2026-02-30T00:00:00Z", "yesterday"])
async def test_moments_out_of_range_in_a_query_answer_4xx_naming_the_parameter(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser, value: str) -> None:
    staff = [(await make_user(role)).headers for role in ("coordinator", "admin")]
    parameters = query_parameters(create_app(settings), "date-time")
    assert parameters, "no date-time parameter found"
    assert await wrong_answers(client, staff, value, parameters) == {}


@pytest.mark.parametrize("field", ["barrier_id", "partner_id"])
async def test_a_huge_integer_in_a_json_body_answers_4xx(
        client: httpx.AsyncClient, make_user: MakeUser, field: str) -> None:
    coordinator = await make_user("coordinator")
    body = {"barrier_id": 1, "partner_id": 1, field: HUGE}
    response = await client.post("/api/v1/referrals", headers=coordinator.headers, json=body)
    assert 400 <= response.status_code < 500
    assert response.json()["errors"][0]["field"] == field


BAD_JSON = {
    "invalid UTF-8": b'{"email": "\xff\xfe", "password": "x"}',
    "deep arrays": b"[" * 3_000 + b"]" * 3_000,
    "deep objects": b'{"a":' * 1_300 + b"1" + b"}" * 1_300,
    "NUL byte": b'{"email": "a\x00@b.example", "password": "x"}',
    "escaped NUL": b'{"email": "a\\u0000@b.example", "password": "x", "name": "\\u0000"}',
    "truncated": b'{"email": ',
    "empty": b"",
}


@pytest.mark.parametrize("name", BAD_JSON)
@pytest.mark.parametrize("path, signed_in", [
    ("/api/v1/auth/login", False), ("/api/v1/partners", True), ("/api/v1/clients", True)])
async def test_a_malformed_json_body_answers_400_naming_the_body(
        client: httpx.AsyncClient, make_user: MakeUser, name: str, path: str,
        signed_in: bool) -> None:
    headers = (await make_user("coordinator")).headers if signed_in else {}
    response = await client.post(path, content=BAD_JSON[name],
                                 headers={**headers, "content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"]

