"""Personal API tokens: shown once, stored hashed, listed, usable as Bearer, revocable."""

from __future__ import annotations

import httpx

from tests.support.app import MakeUser


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
