"""Personal API tokens: shown once, stored hashed, listed, usable as Bearer, revocable."""

from __future__ import annotations

import httpx
import pytest

from network.accounts import actions
from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from tests.support.app import MadeUser, MakeUser
from tests.support.pages import signed_in


async def test_it_creates_a_token_that_works_as_bearer(client: httpx.AsyncClient,
                                                       make_user: MakeUser) -> None:
    alice = await make_user()
    created = await client.post("/api/v1/auth/tokens", json={"name": "report script"},
                                headers=alice.headers)
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("nwk_") and body["info"]["name"] == "report script"
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["via"] == "token"
    assert me.json()["csrf_token"] is None


async def test_it_lists_tokens_without_their_values(client: httpx.AsyncClient,
                                                    make_user: MakeUser) -> None:
    alice = await make_user()
    await make_user()  # bob's token must not show up in alice's list
    created = (await client.post("/api/v1/auth/tokens", json={"name": "second"},
                                 headers=alice.headers)).json()
    listed = await client.get("/api/v1/auth/tokens", params={"limit": 1}, headers=alice.headers)
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 2 and page["limit"] == 1 and page["offset"] == 0
    assert [item["name"] for item in page["items"]] == ["second"]
    assert created["token"] not in listed.text and "hash" not in listed.text


async def test_it_refuses_a_revoked_token(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    created = (await client.post("/api/v1/auth/tokens", json={"name": "old"},
                                 headers=alice.headers)).json()
    revoked = await client.delete(f"/api/v1/auth/tokens/{created['info']['id']}",
                                  headers=alice.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    me = await client.get("/api/v1/auth/me",
                          headers={"Authorization": f"Bearer {created['token']}"})
    assert me.status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 200


async def test_it_refuses_to_revoke_someone_elses_token(client: httpx.AsyncClient,
                                                        make_user: MakeUser) -> None:
    alice = await make_user()
    bob = await make_user()
    bobs = (await client.post("/api/v1/auth/tokens", json={"name": "bob's"},
                              headers=bob.headers)).json()
    response = await client.delete(f"/api/v1/auth/tokens/{bobs['info']['id']}",
                                   headers=alice.headers)
    assert response.status_code == 404
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {bobs['token']}"})
    assert me.status_code == 200


async def test_it_refuses_an_unknown_bearer_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nwk_nope"})
    assert response.status_code == 401


async def test_it_refuses_a_token_name_that_is_blank(client: httpx.AsyncClient,
                                                     make_user: MakeUser) -> None:
    alice = await make_user()
    response = await client.post("/api/v1/auth/tokens", json={"name": "  "},
                                 headers=alice.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


# --- a password change ends them, unless the user keeps them --------------------------------

NEW_PASSWORD = "a fresh and long passphrase"


async def bearer_status(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/v1/auth/me",
                             headers={"Authorization": f"Bearer {token}"})).status_code


async def password_change_audit(client: httpx.AsyncClient, admin: MadeUser) -> dict:
    entries = await client.get("/api/v1/audit", params={"action": "password.changed"},
                               headers=admin.headers)
    return entries.json()["items"][0]["details"]


async def test_a_password_change_revokes_the_users_api_tokens(client: httpx.AsyncClient,
                                                              make_user: MakeUser) -> None:
    alice, bob, admin = await make_user(), await make_user(), await make_user(role="admin")
    second = (await client.post("/api/v1/auth/tokens", json={"name": "script"},
                                headers=alice.headers)).json()["token"]
    changed = await client.post("/api/v1/auth/password", headers=alice.headers, json={
        "current_password": alice.password, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"sessions_ended": 0, "api_tokens_revoked": 2}
    assert await bearer_status(client, alice.token) == 401
    assert await bearer_status(client, second) == 401
    assert await bearer_status(client, bob.token) == 200  # only hers
    details = await password_change_audit(client, admin)
    assert details["api_credentials_revoked"] == 2 and details["api_credentials_kept"] is False


async def test_a_password_change_keeps_the_tokens_when_asked(client: httpx.AsyncClient,
                                                             make_user: MakeUser) -> None:
    alice, admin = await make_user(), await make_user(role="admin")
    changed = await client.post("/api/v1/auth/password", headers=alice.headers, json={
        "current_password": alice.password, "new_password": NEW_PASSWORD,
        "keep_api_tokens": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["api_tokens_revoked"] == 0
    assert await bearer_status(client, alice.token) == 200
    details = await password_change_audit(client, admin)
    assert details["api_credentials_revoked"] == 0 and details["api_credentials_kept"] is True


@pytest.mark.parametrize(("keep", "status", "notice"), [
    (False, 401, "API-Tokens widerrufen"), (True, 200, "API-Tokens gelten weiter")])
async def test_the_password_page_revokes_the_tokens_unless_the_box_is_ticked(
        client: httpx.AsyncClient, make_user: MakeUser, keep: bool, status: int,
        notice: str) -> None:
    alice, csrf = await signed_in(client, make_user)
    form = await client.get("/password")
    assert 'name="keep_api_tokens"' in form.text and "API-Tokens behalten" in form.text
    fields = {"csrf_token": csrf, "current_password": alice.password,
              "new_password": NEW_PASSWORD, "new_password_repeat": NEW_PASSWORD}
    if keep:
        fields["keep_api_tokens"] = "ja"
    changed = await client.post("/password", data=fields)
    assert changed.status_code == 303
    assert notice in (await client.get(changed.headers["location"])).text
    assert await bearer_status(client, alice.token) == status


async def test_a_password_reset_by_an_administrator_revokes_the_tokens(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice, admin = await make_user(), await make_user(role="admin")
    await actions.set_password(Actor.system("cli.set-password"), SYSTEM_CLOCK, alice.email,
                               NEW_PASSWORD)
    assert await bearer_status(client, alice.token) == 401
    details = await password_change_audit(client, admin)
    assert details["api_credentials_revoked"] == 1
