"""Cookie-authenticated writes must echo the session's CSRF token; bearer tokens need none."""

from __future__ import annotations

import json

import httpx

from tests.support.app import MakeUser, login_browser


async def test_it_refuses_a_cookie_write_without_the_csrf_token(client: httpx.AsyncClient,
                                                                make_user: MakeUser) -> None:
    alice = await make_user()
    await login_browser(client, alice.email, alice.password)
    response = await client.post("/api/v1/auth/tokens", json={"name": "forged"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    listed = await client.get("/api/v1/auth/tokens")
    assert [token["name"] for token in listed.json()["items"]] == ["tests"]


async def test_it_refuses_a_cookie_write_with_a_wrong_csrf_token(client: httpx.AsyncClient,
                                                                 make_user: MakeUser) -> None:
    alice = await make_user()
    bob = await make_user()
    bobs_token = await login_browser(client, bob.email, bob.password)
    await login_browser(client, alice.email, alice.password)  # replaces bob's cookie
    response = await client.post("/api/v1/auth/tokens", json={"name": "forged"},
                                 headers={"X-CSRF-Token": bobs_token})
    assert response.status_code == 403


async def test_it_refuses_logout_forged_from_another_site(client: httpx.AsyncClient,
                                                          make_user: MakeUser) -> None:
    alice = await make_user()
    await login_browser(client, alice.email, alice.password)
    assert (await client.post("/api/v1/auth/logout")).status_code == 403
    assert (await client.get("/api/v1/auth/me")).status_code == 200


async def test_it_accepts_a_cookie_write_with_the_csrf_token(client: httpx.AsyncClient,
                                                             make_user: MakeUser) -> None:
    alice = await make_user()
    csrf = await login_browser(client, alice.email, alice.password)
    response = await client.post("/api/v1/auth/tokens", json={"name": "laptop"},
                                 headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201
    me = await client.get("/api/v1/auth/me")
    assert me.json()["csrf_token"] == csrf  # the page can fetch it again after a reload


async def test_it_accepts_the_csrf_token_as_a_form_field(client: httpx.AsyncClient,
                                                         make_user: MakeUser) -> None:
    alice = await make_user()
    csrf = await login_browser(client, alice.email, alice.password)
    response = await client.post("/api/v1/auth/logout", data={"csrf_token": csrf})
    assert response.status_code == 204
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_it_needs_no_csrf_token_with_a_bearer_token(client: httpx.AsyncClient,
                                                          make_user: MakeUser) -> None:
    alice = await make_user()
    response = await client.post("/api/v1/auth/tokens", json={"name": "script"},
                                 headers=alice.headers)
    assert response.status_code == 201


async def test_it_refuses_a_sign_in_posted_from_another_site(client: httpx.AsyncClient,
                                                             make_user: MakeUser) -> None:
    alice = await make_user()
    credentials = {"email": alice.email, "password": alice.password}
    as_text = await client.post("/api/v1/auth/login", content=json.dumps(credentials),
                                headers={"Content-Type": "text/plain"})
    assert as_text.status_code == 415
    foreign = {"Origin": "https://evil.example"}
    assert (await client.post("/login", data=credentials, headers=foreign)).status_code == 403
    assert (await client.post("/api/v1/auth/login", json=credentials,
                              headers={"Sec-Fetch-Site": "cross-site"})).status_code == 403
    own = await client.post("/api/v1/auth/login", json=credentials,
                            headers={"Origin": "http://localhost:8000",
                                     "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200
