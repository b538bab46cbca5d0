"""While nobody has an account, `network serve` prints a one-time link that creates the first
administrator; it works once, and only for the latest start."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import asyncpg
import httpx
import pytest

from network import cli
from network.accounts import actions, service
from network.accounts.sessions import SESSION_COOKIE
from network.accounts.tokens import digest
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser, make_settings

PASSWORD = "first admin passphrase"


def form(token: str, **changes: str) -> dict[str, str]:
    return {"token": token, "email": "leitung@jobcenter.example", "display_name": "Leitung",
            "legal_circle": "sgb2", "password": PASSWORD, "password_repeat": PASSWORD,
            **changes}


async def test_it_creates_the_first_admin_through_the_link_once(
        client: httpx.AsyncClient) -> None:
    token = await actions.issue_setup_token(SYSTEM_CLOCK)
    assert token
    page = await client.get("/setup", params={"token": token})
    assert page.status_code == 200 and 'name="password"' in page.text
    assert re.search(r'name="token" value="([^"]+)"', page.text).group(1) == token

    created = await client.post("/setup", data=form(token))
    assert created.status_code == 200, created.text
    assert "angelegt" in created.text
    assert SESSION_COOKIE in created.cookies  # signed in right away
    me = await client.get("/api/v1/auth/me")
    assert me.json()["user"]["role"] == "admin"

    client.cookies.clear()
    again = await client.post("/setup", data=form(token, email="intruder@example.org"))
    assert again.status_code == 410
    assert (await client.get("/setup", params={"token": token})).status_code == 410
    assert await service.count_users() == 1


async def test_it_invalidates_the_link_of_an_earlier_start(client: httpx.AsyncClient) -> None:
    earlier = await actions.issue_setup_token(SYSTEM_CLOCK)
    latest = await actions.issue_setup_token(SYSTEM_CLOCK)
    assert (await client.post("/setup", data=form(earlier))).status_code == 410
    assert (await client.post("/setup", data=form(latest))).status_code == 200


async def test_it_prints_no_link_once_someone_has_an_account(client: httpx.AsyncClient,
                                                             make_user: MakeUser) -> None:
    await make_user()
    assert await actions.issue_setup_token(SYSTEM_CLOCK) is None
    assert (await client.get("/setup", params={"token": "guess"})).status_code == 410


async def test_it_keeps_the_link_usable_after_a_form_mistake(client: httpx.AsyncClient) -> None:
    token = await actions.issue_setup_token(SYSTEM_CLOCK)
    mismatch = await client.post("/setup", data=form(token, password_repeat="something else"))
    assert mismatch.status_code == 400 and "stimmen nicht" in mismatch.text
    weak = await client.post("/setup", data=form(token, password="short", password_repeat="short"))
    assert weak.status_code == 400 and "Mindestens 12 Zeichen" in weak.text
    assert (await client.post("/setup", data=form(token))).status_code == 200


async def test_it_signs_in_through_the_minimal_login_form(client: httpx.AsyncClient,
                                                          make_user: MakeUser) -> None:
    alice = await make_user()
    wrong = await client.post("/login", data={"email": alice.email, "password": "nope"})
    assert wrong.status_code == 401 and "falsch" in wrong.text
    right = await client.post("/login", data={"email": alice.email, "password": alice.password})
    assert right.status_code == 303 and SESSION_COOKIE in right.cookies
    assert (await client.get("/api/v1/auth/me")).status_code == 200


def test_serve_prints_the_setup_link_while_nobody_has_an_account(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, BASE_URL="https://ip.example.org")
    cli._announce_first_run(settings)
    printed = capsys.readouterr().err
    link = re.search(r"https://ip\.example\.org/setup\?token=(\S+)", printed)
    assert link, printed
    stored = asyncio.run(setup_token_hashes(db))
    assert stored == [digest(link.group(1))]
    cli._announce_first_run(settings)  # a restart: a new link, the old one is gone
    assert asyncio.run(setup_token_hashes(db)) != stored


async def setup_token_hashes(db: str) -> list[str]:
    connection = await asyncpg.connect(db)
    try:
        return [row[0] for row in await connection.fetch("SELECT token_hash FROM setup_token")]
    finally:
        await connection.close()
