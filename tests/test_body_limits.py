"""Request bodies are limited per kind of route before they are read: public forms (sign-in,
setup, a partner's link) take a few KB, the signed-in API more; a larger body answers 413
with a problem naming the body, announced (Content-Length) or streamed (chunked)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psutil
import pytest

from network.body_limit import PARTNER_FORM, SIGN_IN_FORM, SIGNED_IN
from tests.support.app import MakeUser
from tests.support.cli_process import Service

FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}
PUBLIC_ROUTES = [("/api/v1/auth/login", JSON, SIGN_IN_FORM), ("/login", FORM, SIGN_IN_FORM),
                 ("/setup", FORM, SIGN_IN_FORM), ("/p/" + "t" * 43, FORM, PARTNER_FORM)]


def form_of(size: int) -> bytes:
    return b"email=a%40b.example&password=" + b"x" * (size - 29)


def json_of(size: int) -> bytes:
    head = b'{"email": "a@b.example", "password": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def body_of(size: int, headers: dict) -> bytes:
    body = json_of(size) if headers is JSON else form_of(size)
    assert len(body) == size
    return body


@pytest.mark.parametrize("path, headers, limit", PUBLIC_ROUTES)
async def test_a_public_route_refuses_a_body_above_its_limit_before_reading_it(
        client: httpx.AsyncClient, path: str, headers: dict, limit: int) -> None:
    assert limit <= 48 * 1024
    too_large = await client.post(path, content=body_of(limit + 1, headers), headers=headers)
    assert too_large.status_code == 413
    if path.startswith("/api/"):
        assert too_large.headers["content-type"] == "application/problem+json"
        assert too_large.json()["errors"][0]["field"] == "body"
    else:  # a page answers with a German page, never a JSON problem
        assert too_large.headers["content-type"].startswith("text/html")
        assert "Anfrage" in too_large.text or "nicht" in too_large.text
    at_limit = await client.post(path, content=body_of(limit, headers), headers=headers)
    assert at_limit.status_code != 413 and at_limit.status_code < 500


async def test_the_signed_in_api_takes_more_but_not_without_bound(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user("coordinator")
    headers = {**coordinator.headers, **JSON}
    notes = b'{"name": "Verein", "kind": "association", "notes": "' + b"x" * 20_000 + b'"}'
    assert len(notes) > PARTNER_FORM // 4
    read = await client.post("/api/v1/partners", content=notes, headers=headers)
    assert read.status_code in (201, 422), read.text  # read and judged: notes may be too long
    too_large = await client.post("/api/v1/partners", headers=headers,
                                  content=b'{"notes": "' + b"x" * SIGNED_IN + b'"}')
    assert too_large.status_code == 413
    assert too_large.json()["errors"][0]["field"] == "body"


async def test_a_chunked_body_is_read_only_up_to_the_limit(client: httpx.AsyncClient) -> None:
    chunk = b"x" * 1024
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"email": "a@b.example", "password": "'
        for _ in range(10_000):  # 10 MB if all of it were read
            sent += len(chunk)
            yield chunk

    response = await client.post("/api/v1/auth/login", content=endless(), headers=JSON)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"
    assert sent <= SIGN_IN_FORM + len(chunk), sent


BIG = 9 * 1024 * 1024
PARALLEL = 40
RSS_BOUND = 60 * 1024 * 1024


def rss(process: psutil.Process) -> int:
    """Resident memory of the service and any worker processes it started."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total


async def post_all(url: str, body: bytes) -> list[int | str]:
    limits = httpx.Limits(max_connections=PARALLEL)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(index: int) -> int | str:
            path, headers, _limit = PUBLIC_ROUTES[index % len(PUBLIC_ROUTES)]
            try:
                return (await client.post(path, content=body, headers=headers)).status_code
            except httpx.TransportError as error:  # the server may close before all is sent
                return type(error).__name__

        return await asyncio.gather(*(one(i) for i in range(PARALLEL)))


@pytest.mark.slow
def test_parallel_large_bodies_on_public_routes_keep_the_service_small(
        tmp_path: Path, db: str) -> None:
    service = Service(tmp_path / "data", tmp_path / "serve.log", DATABASE_URL=db,
                      SCHEDULER_ENABLED="false")
    try:
        service.wait_healthy()
        process = psutil.Process(service.process.pid)
        asyncio.run(post_all(service.url, b"x" * 1000))  # warm up every route once
        idle = rss(process)
        peak = idle
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss(process))
                done.wait(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.monotonic()
        try:
            answers = asyncio.run(post_all(service.url, b"x" * BIG))
        finally:
            done.set()
            watcher.join()
        seconds = time.monotonic() - started
        after = rss(process)
        mib = 1024 * 1024
        print(f"\n{PARALLEL} parallel bodies of {BIG // mib} MiB in {seconds:.1f} s: RSS idle "
              f"{idle / mib:.0f} MiB, peak {peak / mib:.0f} MiB (+{(peak - idle) / mib:.0f}),"
              f" after {after / mib:.0f} MiB; answers {sorted(set(map(str, answers)))}")
        assert all(answer == 413 for answer in answers), answers
        assert peak - idle < RSS_BOUND
    finally:
        service.stop(signal.SIGTERM)
