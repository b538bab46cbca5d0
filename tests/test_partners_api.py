"""/api/v1/partners: find, read, add and change partners over HTTP."""

from __future__ import annotations

import httpx
import pytest

from network.transactions import transaction

PARTNER = {
    "name": "Caritas Heinsberg – Migrationsdienst",
    "kind": "association",
    "street": "Kirchstraße 1", "postal_code": "52525", "city": "Heinsberg",
    "phone": "02452 1234-0",
    "referral_emails": ["migration@caritas-hs.example"],
    "contacts": [{"name": "Petra Lenzen", "role": "Beratung",
                  "email": "p.lenzen@caritas-hs.example"}],
    "languages": ["de", "ar"],
    "barrier_kinds": ["housing", "financial"],
    "opening_hours": "Mo–Do 9–12 Uhr",
}


async def add(client: httpx.AsyncClient, headers: dict, **changes) -> dict:
    response = await client.post("/api/v1/partners", headers=headers,
                                 json={**PARTNER, **changes})
    assert response.status_code == 201, response.text
    return response.json()


async def test_it_adds_reads_and_changes_a_partner(client, make_user):
    coordinator = await make_user()
    created = await add(client, coordinator.headers)
    assert created["contacts"][0]["name"] == "Petra Lenzen"
    assert created["barrier_kinds"] == ["housing", "financial"] and created["active"] is True
    path = f"/api/v1/partners/{created['id']}"
    assert (await client.get(path, headers=coordinator.headers)).json() == created
    changed = await client.patch(path, headers=coordinator.headers,
                                 json={"active": False, "phone": None})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["active"] is False and body["phone"] is None
    assert body["name"] == PARTNER["name"] and body["contacts"] == created["contacts"]


@pytest.mark.parametrize("changes, status, field", [
    ({"name": ""}, 422, "name"),
    ({"name": 7}, 400, "name"),
    ({"kind": "bakery"}, 400, "kind"),
    ({"postal_code": "5252"}, 422, "postal_code"),
    ({"phone": "ring ring"}, 422, "phone"),
    ({"referral_emails": ["nobody"]}, 422, "referral_emails"),
    ({"referral_emails": "a@b.example"}, 400, "referral_emails"),
    ({"contacts": [{"role": "no name"}]}, 400, "contacts[0].name"),
    ({"contacts": [{"name": "A", "email": "x"}]}, 422, "contacts[0].email"),
    ({"languages": ["arabic"]}, 422, "languages"),
    ({"barrier_kinds": ["luck"]}, 400, "barrier_kinds[0]"),
    ({"active": "yes"}, 400, "active"),
    ({"notes": "x" * 5001}, 422, "notes"),
    ({"notes": "a\u0000b"}, 422, "notes"),
])
async def test_it_refuses_bad_input_naming_the_field(client, make_user, changes, status,
                                                     field):
    admin = await make_user(role="admin")
    response = await client.post("/api/v1/partners", headers=admin.headers,
                                 json={**PARTNER, **changes})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["detail"].startswith(field)


async def test_it_refuses_a_second_partner_of_the_same_name_with_409(client, make_user):
    admin = await make_user(role="admin")
    await add(client, admin.headers)
    response = await client.post("/api/v1/partners", headers=admin.headers,
                                 json={**PARTNER, "name": PARTNER["name"].upper()})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "name"


async def test_it_answers_unknown_partners_and_fields_with_4xx(client, make_user):
    admin = await make_user(role="admin")
    assert (await client.get("/api/v1/partners/999", headers=admin.headers)).status_code == 404
    assert (await client.get(f"/api/v1/partners/{2**63}",
                             headers=admin.headers)).status_code == 400
    created = await add(client, admin.headers)
    response = await client.patch(f"/api/v1/partners/{created['id']}", headers=admin.headers,
                                  json={"kind": None})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "kind"


async def test_it_filters_and_pages_partners(client, make_user):
    staff = (await make_user()).headers
    await add(client, staff, name="Sprachschule A", kind="course_provider",
              barrier_kinds=["language"], languages=["de", "fa"])
    await add(client, staff, name="Sprachschule B", kind="course_provider",
              barrier_kinds=["language"], languages=["de"], active=False)
    await add(client, staff, name="Kleiderkammer", kind="clothing_store",
              barrier_kinds=["financial"], contacts=[{"name": "Jan Coenen"}])

    async def names(**params) -> list[str]:
        response = await client.get("/api/v1/partners", headers=staff, params=params)
        assert response.status_code == 200, response.text
        return [p["name"] for p in response.json()["items"]]

    assert await names(kind="course_provider") == ["Sprachschule A", "Sprachschule B"]
    assert await names(barrier_kind="financial") == ["Kleiderkammer"]
    assert await names(language="fa") == ["Sprachschule A"]
    assert await names(active="false") == ["Sprachschule B"]
    assert await names(text="coenen") == ["Kleiderkammer"]
    assert await names(text="kleider coenen") == ["Kleiderkammer"]
    assert await names(text="sprach coenen") == []
    page = (await client.get("/api/v1/partners", headers=staff,
                             params={"limit": 1, "offset": 1})).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [p["name"] for p in page["items"]] == ["Sprachschule A"]
    for params, field in [({"limit": 0}, "limit"), ({"limit": 201}, "limit"),
                          ({"offset": -1}, "offset"), ({"kind": "bakery"}, "kind"),
                          ({"language": "german"}, "language"), ({"active": "maybe"}, "active")]:
        response = await client.get("/api/v1/partners", headers=staff, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("role, status", [("viewer", 403), ("coordinator", 200),
                                          ("admin", 200)])
async def test_viewers_see_no_partners(client, make_user, role, status):
    user = await make_user(role=role)
    assert (await client.get("/api/v1/partners", headers=user.headers)).status_code == status
    response = await client.post("/api/v1/partners", headers=user.headers, json=PARTNER)
    assert response.status_code == (403 if role == "viewer" else 201)


async def test_nobody_signed_in_gets_401(client):
    assert (await client.get("/api/v1/partners")).status_code == 401
    assert (await client.post("/api/v1/partners", json=PARTNER)).status_code == 401
    assert (await client.get("/api/v1/partners/1")).status_code == 401


async def test_every_partner_write_is_in_the_audit_log(client, make_user):
    coordinator = await make_user()
    created = await add(client, coordinator.headers)
    await client.patch(f"/api/v1/partners/{created['id']}", headers=coordinator.headers,
                       json={"notes": "Neue Sprechzeiten"})
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT actor_id, action, entity_id, details::text FROM audit_log"
            " WHERE entity = 'partner' ORDER BY id")
    assert [(r["actor_id"], r["action"], r["entity_id"]) for r in rows] == [
        (coordinator.user.id, "partner.created", str(created["id"])),
        (coordinator.user.id, "partner.changed", str(created["id"]))]
    assert "Sprechzeiten" not in rows[1]["details"]
