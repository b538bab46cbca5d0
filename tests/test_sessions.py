"""Browser sessions: a fresh id at every sign-in, ended on the server by logout and by a
password change, expiring when idle, and valid on every instance of the service."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from network.accounts.sessions import SESSION_COOKIE
from network.app import create_app
from network.settings import Settings
from tests.support.app import MakeUser, login_browser, make_settings, serving
from tests.support.tcp_relay import TcpRelay


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> tuple[str, str]:
    """Sign in and return (session cookie value, CSRF token), leaving the client's jar empty
    so each request names its session explicitly."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    secret = response.cookies[SESSION_COOKIE]
    client.cookies.clear()
    return secret, response.json()["csrf_token"]


def cookie(secret: str, csrf: str | None = None) -> dict[str, str]:
    headers = {"Cookie": f"{SESSION_COOKIE}={secret}"}
    if csrf:
        headers["X-CSRF-Token"] = csrf
    return headers


async def me_status(client: httpx.AsyncClient, secret: str) -> int:
    return (await client.get("/api/v1/auth/me", headers=cookie(secret))).status_code


async def test_it_sets_a_hardened_session_cookie(client: httpx.AsyncClient,
                                                 make_user: MakeUser) -> None:
    alice = await make_user()
    response = await client.post("/api/v1/auth/login",
                                 json={"email": alice.email, "password": alice.password})
    set_cookie = response.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in set_cookie
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie and "path=/" in set_cookie
    assert "secure" not in set_cookie  # BASE_URL is http:// in tests
    assert response.json()["user"]["email"] == alice.email


async def test_it_marks_the_cookie_secure_behind_https(tmp_path: Path, db: str,
                                                       make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, BASE_URL="https://ip.example.org")
    async with serving(settings) as client:
        alice = await make_user()
        response = await client.post("/api/v1/auth/login",
                                     json={"email": alice.email, "password": alice.password})
    assert "secure" in response.headers["set-cookie"].lower()


async def test_it_gives_a_new_session_id_at_every_sign_in(client: httpx.AsyncClient,
                                                          make_user: MakeUser) -> None:
    alice = await make_user()
    planted = "attacker-chosen-session-id"
    client.cookies.set(SESSION_COOKIE, planted)
    first, _ = await sign_in(client, alice.email, alice.password)
    second, _ = await sign_in(client, alice.email, alice.password)
    assert len({planted, first, second}) == 3
    assert await me_status(client, planted) == 401
    assert await me_status(client, first) == 200 and await me_status(client, second) == 200


async def test_it_ends_the_browsers_previous_session_at_sign_in(client: httpx.AsyncClient,
                                                                make_user: MakeUser) -> None:
    alice = await make_user()
    bob = await make_user()
    await login_browser(client, alice.email, alice.password)
    alices = client.cookies[SESSION_COOKIE]
    await login_browser(client, bob.email, bob.password)  # same browser, alice's cookie sent
    assert client.cookies[SESSION_COOKIE] != alices
    assert await me_status(client, alices) == 401


async def test_it_ends_the_session_on_the_server_at_logout(client: httpx.AsyncClient,
                                                           make_user: MakeUser) -> None:
    alice = await make_user()
    secret, csrf = await sign_in(client, alice.email, alice.password)
    response = await client.post("/api/v1/auth/logout", headers=cookie(secret, csrf))
    assert response.status_code == 204
    assert 'max-age=0' in response.headers["set-cookie"].lower()
    # The old cookie value, replayed, no longer works anywhere.
    assert await me_status(client, secret) == 401


async def test_it_ends_the_other_sessions_when_the_password_changes(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    bob = await make_user()
    laptop, csrf = await sign_in(client, alice.email, alice.password)
    phone, _ = await sign_in(client, alice.email, alice.password)
    bobs, _ = await sign_in(client, bob.email, bob.password)
    response = await client.post(
        "/api/v1/auth/password", headers=cookie(laptop, csrf),
        json={"current_password": alice.password, "new_password": "a new and long passphrase"})
    assert response.status_code == 200, response.text
    assert response.json() == {"sessions_ended": 1, "api_tokens_revoked": 1}
    assert await me_status(client, laptop) == 200
    assert await me_status(client, phone) == 401
    assert await me_status(client, bobs) == 200
    old = await client.post("/api/v1/auth/login",
                            json={"email": alice.email, "password": alice.password})
    assert old.status_code == 401
    await sign_in(client, alice.email, "a new and long passphrase")


async def test_it_refuses_a_password_change_with_a_wrong_current_password(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    response = await client.post(
        "/api/v1/auth/password", headers=alice.headers,
        json={"current_password": "not the password", "new_password": "a new and long one!"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "current_password"


async def test_it_refuses_a_weak_new_password_naming_the_field(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    response = await client.post(
        "/api/v1/auth/password", headers=alice.headers,
        json={"current_password": alice.password, "new_password": "Password1234"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "new_password"
    assert "common" in response.json()["detail"]


async def test_it_expires_an_idle_session(client: httpx.AsyncClient, make_user: MakeUser,
                                          settings: Settings) -> None:
    alice = await make_user()
    secret, _ = await sign_in(client, alice.email, alice.password)
    idle = settings.accounts.session_idle_minutes + 1
    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute(
            "UPDATE user_session SET last_seen_at = now() - make_interval(mins => $1)", idle)
    finally:
        await connection.close()
    assert await me_status(client, secret) == 401


async def test_it_expires_a_session_at_its_absolute_limit(client: httpx.AsyncClient,
                                                          make_user: MakeUser,
                                                          settings: Settings) -> None:
    alice = await make_user()
    secret, _ = await sign_in(client, alice.email, alice.password)
    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute(
            "UPDATE user_session SET created_at = now() - interval '2 days',"
            " expires_at = now() - interval '1 second'")
    finally:
        await connection.close()
    assert await me_status(client, secret) == 401


async def test_it_accepts_a_session_on_another_instance_and_after_a_restart(
        client: httpx.AsyncClient, make_user: MakeUser, settings: Settings) -> None:
    alice = await make_user()
    secret, _ = await sign_in(client, alice.email, alice.password)
    # A second app, built afresh, knows nothing in memory of the first: only the database.
    other = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other),
                                 base_url=settings.base_url) as other_instance:
        assert await me_status(other_instance, secret) == 200


async def test_it_answers_503_not_401_while_credentials_cannot_be_checked(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    parts = urlsplit(db)
    relay = TcpRelay(db)
    port = await relay.start()
    relayed = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}", query=""))
    async with serving(make_settings(tmp_path, DATABASE_URL=relayed)) as client:
        alice = await make_user()
        await relay.cut()
        response = await client.get("/api/v1/auth/me", headers=alice.headers)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        await relay.start(port)
        assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 200
        await relay.cut()
