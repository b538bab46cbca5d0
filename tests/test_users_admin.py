"""Administrators list, create and change users; nobody else may."""

from __future__ import annotations

import httpx

from tests.conftest import MakeUser

NEW = {"email": "neu@jobcenter.example", "display_name": "Neu", "role": "coordinator",
       "legal_circle": "sgb3", "password": "a long enough passphrase"}


async def test_it_creates_and_lists_users_with_pagination(client: httpx.AsyncClient,
                                                         make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    created = await client.post("/api/v1/users", json=NEW, headers=admin.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["role"] == "coordinator" and body["active"] is True and "password" not in body
    page = (await client.get("/api/v1/users", params={"limit": 1, "offset": 1},
                             headers=admin.headers)).json()
    assert page["total"] == 2 and page["limit"] == 1 and page["offset"] == 1
    assert [user["email"] for user in page["items"]] == ["neu@jobcenter.example"]
    signed_in = await client.post("/api/v1/auth/login", json={
        "email": "NEU@jobcenter.example", "password": NEW["password"]})
    assert signed_in.status_code == 200


async def test_it_refuses_a_second_user_with_the_same_email_in_other_case(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    admin = await make_user(role="admin", email="leitung@jobcenter.example")
    same = {**NEW, "email": "Leitung@Jobcenter.example"}
    response = await client.post("/api/v1/users", json=same, headers=admin.headers)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("email:")


async def test_it_names_the_field_of_bad_input(client: httpx.AsyncClient,
                                              make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    for change, field in [({"email": "no-at-sign"}, "email"), ({"password": "short"}, "password"),
                          ({"role": "superuser"}, "role"), ({"display_name": " "}, "display_name")]:
        response = await client.post("/api/v1/users", json={**NEW, **change},
                                     headers=admin.headers)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["field"] == field


async def test_it_changes_role_and_deactivates_a_user(client: httpx.AsyncClient,
                                                      make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    alice = await make_user()
    changed = await client.patch(f"/api/v1/users/{alice.user.id}", json={"role": "viewer"},
                                 headers=admin.headers)
    assert changed.status_code == 200 and changed.json()["role"] == "viewer"
    me = await client.get("/api/v1/auth/me", headers=alice.headers)
    assert me.json()["user"]["role"] == "viewer"  # takes effect on the next request
    off = await client.patch(f"/api/v1/users/{alice.user.id}", json={"active": False},
                             headers=admin.headers)
    assert off.json()["active"] is False
    assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 401
    login = await client.post("/api/v1/auth/login",
                              json={"email": alice.email, "password": alice.password})
    assert login.status_code == 401


async def test_it_keeps_the_last_active_admin(client: httpx.AsyncClient,
                                              make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    for change in ({"role": "coordinator"}, {"active": False}):
        response = await client.patch(f"/api/v1/users/{admin.user.id}", json=change,
                                      headers=admin.headers)
        assert response.status_code == 409
    other = await make_user(role="admin")
    response = await client.patch(f"/api/v1/users/{admin.user.id}", json={"active": False},
                                  headers=other.headers)
    assert response.status_code == 200


async def test_it_answers_404_for_an_unknown_user(client: httpx.AsyncClient,
                                                 make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    response = await client.patch("/api/v1/users/999", json={"role": "viewer"},
                                  headers=admin.headers)
    assert response.status_code == 404


async def test_it_keeps_user_administration_from_coordinators(client: httpx.AsyncClient,
                                                              make_user: MakeUser) -> None:
    alice = await make_user()
    assert (await client.get("/api/v1/users", headers=alice.headers)).status_code == 403
    response = await client.post("/api/v1/users", json={**NEW, "role": "admin"},
                                 headers=alice.headers)
    assert response.status_code == 403
