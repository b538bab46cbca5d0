"""The audit trail: sign-ins, failures, logouts, password and token changes and user changes
leave rows; the log refuses changes; admins page through it."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import httpx
import pytest

from network.accounts import audit
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.database import ENGINE
from tests.support.app import MakeUser, login_browser

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def actions(database_url: str) -> list[tuple]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT actor_id, action, entity, entity_id, client_address FROM audit_log ORDER BY id")
    finally:
        await connection.close()
    return [tuple(row) for row in rows]


async def test_it_records_the_account_events(client: httpx.AsyncClient, make_user: MakeUser,
                                             db: str) -> None:
    admin = await make_user(role="admin")
    alice = await make_user()
    await client.post("/api/v1/auth/login", json={"email": alice.email, "password": "wrong!"})
    csrf = await login_browser(client, alice.email, alice.password)
    token = (await client.post("/api/v1/auth/tokens", json={"name": "t"},
                               headers={"X-CSRF-Token": csrf})).json()
    await client.delete(f"/api/v1/auth/tokens/{token['info']['id']}",
                        headers={"X-CSRF-Token": csrf})
    await client.post("/api/v1/auth/password", headers={"X-CSRF-Token": csrf},
                      json={"current_password": alice.password,
                            "new_password": "another long passphrase"})
    await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    await client.patch(f"/api/v1/users/{alice.user.id}", json={"role": "viewer"},
                       headers=admin.headers)
    a, t = str(alice.user.id), str(token["info"]["id"])
    local = "127.0.0.1"
    assert (await actions(db))[2:] == [
        (None, "login.failed", "user", a, local),
        (alice.user.id, "login", "user", a, local),
        (alice.user.id, "api_token.created", "api_token", t, local),
        (alice.user.id, "api_token.revoked", "api_token", t, local),
        (alice.user.id, "password.changed", "user", a, local),
        (alice.user.id, "logout", "user", a, local),
        (admin.user.id, "user.changed", "user", a, local),
    ]


async def test_it_writes_inside_the_callers_transaction(pool: str) -> None:
    actor = CurrentUser(7, "a@example.org", "A", Role.COORDINATOR, LegalCircle.SGB2)
    with pytest.raises(RuntimeError):
        async with ENGINE.transaction():
            await audit.record(actor, "client.viewed", "client", 42, at=NOW)
            raise RuntimeError("the change failed, so did its audit entry")
    assert await actions(pool) == []
    async with ENGINE.transaction():
        await audit.record(actor, "client.viewed", "client", 42, {"fields": ["name"]}, at=NOW)
    await audit.record(None, "report.built", "report", "2026-10", at=NOW)
    assert await actions(pool) == [(7, "client.viewed", "client", "42", None),
                                   (None, "report.built", "report", "2026-10", None)]


async def test_it_refuses_details_that_look_like_secrets(pool: str) -> None:
    with pytest.raises(audit.AuditDetailsError):
        await audit.record(None, "x", "user", 1, {"new_password": "hunter2hunter2"}, at=NOW)
    with pytest.raises(audit.AuditDetailsError):
        await audit.record(None, "x", "user", 1, {"nested": [{"api_token": "nwk_x"}]}, at=NOW)
    assert await actions(pool) == []


async def test_it_refuses_to_change_or_delete_audit_rows(pool: str) -> None:
    await audit.record(None, "report.built", "report", "2026-10", at=NOW)
    connection = await asyncpg.connect(pool)
    try:
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await connection.execute("UPDATE audit_log SET action = 'nothing'")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await connection.execute("DELETE FROM audit_log")
    finally:
        await connection.close()
    assert len(await actions(pool)) == 1


async def test_it_lets_admins_page_and_filter_the_log(client: httpx.AsyncClient,
                                                      make_user: MakeUser) -> None:
    admin = await make_user(role="admin")
    alice = await make_user()
    for _ in range(3):
        await audit.record(alice.user, "client.viewed", "client", 42, at=NOW)
    await audit.record(alice.user, "client.viewed", "client", 43, at=NOW)
    response = await client.get("/api/v1/audit", headers=admin.headers,
                                params={"entity": "client", "entity_id": "42", "limit": 2})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 3 and page["limit"] == 2 and page["offset"] == 0
    assert [item["action"] for item in page["items"]] == ["client.viewed"] * 2
    ids = [item["id"] for item in page["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    by_actor = await client.get("/api/v1/audit", headers=admin.headers,
                                params={"actor_id": alice.user.id, "offset": 3})
    assert by_actor.json()["total"] == 4 and len(by_actor.json()["items"]) == 1
    later = await client.get("/api/v1/audit", headers=admin.headers,
                             params={"since": "2100-01-01T00:00:00Z"})
    assert later.json()["total"] == 0


async def test_it_shows_the_log_to_admins_only(client: httpx.AsyncClient,
                                               make_user: MakeUser) -> None:
    alice = await make_user()
    assert (await client.get("/api/v1/audit", headers=alice.headers)).status_code == 403
