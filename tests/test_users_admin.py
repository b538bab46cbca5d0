"""Administrators list, create and change users; nobody else may."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from network.accounts import actions, service
from network.accounts.access import LegalCircle, Role
from network.accounts.tables import AppUser, AuditLog
from network.actors import Actor
from network.clock import FixedClock
from network.errors import Conflict, Malformed
from tests.support.app import MakeUser

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


async def test_account_actions_refuse_with_codes_and_stamp_the_clock(pool: str) -> None:
    at = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    cli = Actor.system("cli")
    new = service.NewUser("neu@jobcenter.example", "Neu", Role.ADMIN, LegalCircle.SGB2,
                          "a long enough passphrase")
    user = await actions.create_user(cli, at, new)
    row = await AppUser.select(AppUser.created_at, AppUser.password_changed_at).first()
    assert (row["created_at"], row["password_changed_at"]) == (at.now(), at.now())
    entry = await AuditLog.select().where(AuditLog.action == "user.created").first()
    assert (entry["actor_kind"], entry["job"], entry["at"]) == ("system", "cli", at.now())
    with pytest.raises(Conflict) as taken:
        await actions.create_user(cli, at, new)
    assert str(taken.value) == "email: a user with this email address already exists"
    assert taken.value.german == "Für diese E-Mail-Adresse gibt es schon ein Konto."
    with pytest.raises(Conflict) as last:
        await actions.change_user(cli, at, user.id, role=Role.VIEWER)
    assert last.value.code == "last_admin"
    with pytest.raises(Malformed) as weak:
        await actions.set_password(cli, at, new.email, "kurz")
    assert str(weak.value) == "password: must be at least 12 characters long"
    assert weak.value.german == "Mindestens 12 Zeichen."
