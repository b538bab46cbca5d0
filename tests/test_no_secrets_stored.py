"""No raw password, session id, API token, setup token or CSRF token ends up in the database
or in the logs: after a tour through every accounts feature, both are searched for each."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from network.accounts import actions
from network.accounts.sessions import SESSION_COOKIE
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser
from tests.support.leaks import KeepEverything, everything_stored


@pytest.fixture
def captured_logs(client: httpx.AsyncClient) -> Iterator[KeepEverything]:
    root = logging.getLogger()  # after `client`: the app has configured logging by now
    handler, level = KeepEverything(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_it_keeps_no_raw_secret_in_the_database_or_the_logs(
        client: httpx.AsyncClient, captured_logs: KeepEverything, make_user: MakeUser,
        db: str) -> None:
    secrets: dict[str, str] = {}
    setup = await actions.issue_setup_token(SYSTEM_CLOCK)
    secrets |= {"setup token": setup, "admin password": "first admin passphrase"}
    created = await client.post("/setup", data={
        "token": setup, "email": "leitung@jobcenter.example", "display_name": "Leitung",
        "legal_circle": "sgb2", "password": secrets["admin password"],
        "password_repeat": secrets["admin password"]})
    assert created.status_code == 200
    secrets["setup session"] = created.cookies[SESSION_COOKIE]
    client.cookies.clear()

    login = await client.post("/api/v1/auth/login", json={
        "email": "leitung@jobcenter.example", "password": secrets["admin password"]})
    secrets |= {"session": login.cookies[SESSION_COOKIE], "csrf": login.json()["csrf_token"]}
    csrf = {"X-CSRF-Token": secrets["csrf"]}
    token = await client.post("/api/v1/auth/tokens", json={"name": "script"}, headers=csrf)
    secrets["api token"] = token.json()["token"]
    secrets["new user password"] = "coordinator passphrase"
    await client.post("/api/v1/users", headers=csrf, json={
        "email": "k@jobcenter.example", "display_name": "K", "role": "coordinator",
        "legal_circle": "sgb3", "password": secrets["new user password"]})
    # People sometimes type their password into the email field.
    secrets["password typed as email"] = "MyTypoPassphrase2026"
    await client.post("/api/v1/auth/login", json={
        "email": secrets["password typed as email"], "password": "whatever it was"})
    secrets["changed password"] = "the admin's second passphrase"
    changed = await client.post("/api/v1/auth/password", headers=csrf, json={
        "current_password": secrets["admin password"],
        "new_password": secrets["changed password"]})
    assert changed.status_code == 200
    made = await make_user()
    secrets |= {"fixture password": made.password, "fixture token": made.token}
    await client.get("/api/v1/auth/me", headers=made.headers)
    await client.post("/api/v1/auth/logout", headers=csrf)
    await client.post("/login", data={"email": made.email, "password": made.password})
    secrets["form session"] = client.cookies[SESSION_COOKIE]

    stored = await everything_stored(db)
    logged = "\n".join(captured_logs.texts)
    assert "login" in logged and "leitung@jobcenter.example" in stored  # the search can find
    found = {name: place for name, value in secrets.items()
             for place, text in (("database", stored), ("logs", logged))
             if value in text or value.encode().hex() in text}
    assert found == {}
