"""Errors answer as RFC 9457 problem details that say what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody

from network.accounts.access import PUBLIC
from network.errors import Conflict, NotFound, RuleViolation
from network.problems import EXCEPTION_HANDLERS


@dataclass
class Partner:
    name: str
    capacity: int


@post("/partners", opt=PUBLIC, sync_to_thread=False)
def create_partner(data: JSONBody[Partner]) -> Partner:
    return data


@post("/boom", opt=PUBLIC, sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("database password is hunter2")


def client_for(app: Litestar) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_it_names_the_field_in_a_validation_error() -> None:
    app = Litestar([create_partner], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/partners", json={"name": "BAMF", "capacity": "many"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request"
    assert body["errors"][0]["field"] == "capacity"
    assert body["detail"].startswith("capacity:")


async def test_it_answers_unknown_paths_with_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/no/such/page"


async def test_it_hides_internal_errors_behind_a_generic_500() -> None:
    app = Litestar([boom], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "hunter2" not in response.text


@post("/rule", opt=PUBLIC, sync_to_thread=False)
def break_a_rule(data: JSONBody[dict]) -> None:
    kind = data.get("kind")
    if kind == "conflict":
        raise Conflict("name", "is already taken")
    if kind == "missing":
        raise NotFound("partner", 7)
    if kind == "coded":
        raise RuleViolation("month", "month_format")
    raise RuleViolation("outcome", "is required to close a case")


@pytest.mark.parametrize("kind, status, field", [
    ("rule", 422, "outcome"), ("conflict", 409, "name"), ("missing", 404, None)])
async def test_it_maps_domain_errors_to_problems_naming_the_field(kind, status, field) -> None:
    app = Litestar([break_a_rule], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/rule", json={"kind": kind})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    if field:
        message = body["detail"].split(": ", 1)[1]
        [error] = body["errors"]
        assert (error["field"], error["message"]) == (field, message)
        assert body["detail"].startswith(field + ": ")
    else:
        assert body["detail"] == "partner 7 does not exist"


async def test_a_refusal_names_its_code_next_to_the_words() -> None:
    app = Litestar([break_a_rule], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/rule", json={"kind": "coded"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "month", "message": "must be a month like 2026-10", "code": "month_format"}]
    assert response.json()["detail"] == "month: must be a month like 2026-10"


@post("/store", opt=PUBLIC, sync_to_thread=False)
def store_a_value() -> None:
    raise asyncpg.exceptions.NumericValueOutOfRangeError("value out of range for type bigint")


async def test_a_value_the_database_refuses_as_data_is_the_callers_400() -> None:
    app = Litestar([store_a_value], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/store")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "request"
    assert "bigint" not in response.text  # the database's words stay in the log


@post("/body", opt=PUBLIC, sync_to_thread=False)
def take_a_body(data: JSONBody[dict]) -> dict:
    if data.get("store"):
        raise asyncpg.exceptions.NumericValueOutOfRangeError("bigint out of range")
    return data


@pytest.mark.parametrize("query, body, field", [
    ("", {"store": True, "partner": {"ids": [1, 2**70]}}, "partner.ids.1"),
    (f"?version={-2**64}", {"store": True}, "version"), ("", {"store": True}, "request")])
async def test_the_database_refusing_a_huge_integer_names_where_it_was(
        query: str, body: dict, field: str) -> None:
    app = Litestar([take_a_body], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/body" + query, json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("body, message", [
    (b'{"name": "\xff"}', "is not valid UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"name": ', "truncated")])
async def test_a_body_the_decoder_cannot_read_is_a_400_naming_the_body(
        body: bytes, message: str) -> None:
    app = Litestar([take_a_body], exception_handlers=EXCEPTION_HANDLERS)
    async with client_for(app) as client:
        response = await client.post("/body", content=body,
                                     headers={"content-type": "application/json"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "body" and message in error["message"]
