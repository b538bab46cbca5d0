"""/api/v1/clients: open, read, change, find and close cases over HTTP, with the rules."""

from __future__ import annotations

import pytest

from tests.support.api import CLIENT, field_of, open_case


async def test_it_opens_reads_and_changes_a_case(client, make_user):
    coordinator = await make_user()
    created = await open_case(client, coordinator.headers, coordinator_id=coordinator.user.id,
                              case_number="ip-2026-0001")
    assert created["case_number"] == "IP-2026-0001" and created["status"] == "open"
    assert created["languages"] == CLIENT["languages"]
    path = f"/api/v1/clients/{created['id']}"
    assert (await client.get(path, headers=coordinator.headers)).json() == created
    changed = await client.patch(path, headers=coordinator.headers,
                                 json={"last_name": "Haddad-Schmitz", "email": None})
    assert changed.status_code == 200, changed.text
    assert changed.json()["last_name"] == "Haddad-Schmitz" and changed.json()["email"] is None
    assert changed.json()["first_name"] == "Amal"


async def test_clients_under_25_get_the_education_barriers(client, make_user):
    staff = (await make_user()).headers
    young = await open_case(client, staff, date_of_birth="2008-01-01")
    barriers = (await client.get(f"/api/v1/clients/{young['id']}/barriers",
                                 headers=staff)).json()["items"]
    assert {b["kind"] for b in barriers} == {"school", "vocational_training", "university"}
    chosen = await open_case(client, staff, date_of_birth="2008-01-01", barrier_kinds=["housing"])
    barriers = (await client.get(f"/api/v1/clients/{chosen['id']}/barriers",
                                 headers=staff)).json()["items"]
    assert [b["kind"] for b in barriers] == ["housing"]


async def test_it_refuses_to_enrol_without_prospects_or_a_reason(client, make_user):
    staff = (await make_user()).headers
    refused = await client.post("/api/v1/clients", headers=staff, json={
        **CLIENT, "country_of_origin": "TR", "case_kind": "enrolled"})
    assert refused.status_code == 422
    assert field_of(refused) == "enrolment_reason"
    assert "prospect" in refused.json()["detail"]
    first = await open_case(client, staff, country_of_origin="TR")  # a first consultation
    assert first["case_kind"] == "first_consultation"
    refused = await client.patch(f"/api/v1/clients/{first['id']}", headers=staff,
                                 json={"case_kind": "enrolled"})
    assert refused.status_code == 422 and field_of(refused) == "enrolment_reason"
    enrolled = await client.patch(f"/api/v1/clients/{first['id']}", headers=staff, json={
        "case_kind": "enrolled", "enrolment_reason": "Ausbildungsduldung"})
    assert enrolled.status_code == 200 and enrolled.json()["enrolled_at"] is not None
    syrian = await open_case(client, staff, case_kind="enrolled")
    assert syrian["case_kind"] == "enrolled"


async def test_it_closes_a_case_only_without_unfinished_barriers(client, make_user):
    staff = (await make_user()).headers
    case = await open_case(client, staff, barrier_kinds=["language", "housing"])
    close = f"/api/v1/clients/{case['id']}/close"
    refused = await client.post(close, headers=staff, json={"outcome": "employment"})
    assert refused.status_code == 422 and field_of(refused) == "barriers"
    assert "2 barrier(s) still open" in refused.json()["detail"]
    language, housing = (await client.get(f"/api/v1/clients/{case['id']}/barriers",
                                          headers=staff)).json()["items"]
    await client.post(f"/api/v1/barriers/{language['id']}/status", headers=staff,
                      json={"status": "resolved"})
    await client.post(f"/api/v1/barriers/{housing['id']}/status", headers=staff,
                      json={"status": "unresolvable", "unresolvable_reason": "Kein Wohnraum"})
    missing = await client.post(close, headers=staff, json={})
    assert missing.status_code == 400 and field_of(missing) == "outcome"
    closed = await client.post(close, headers=staff, json={"outcome": "employment"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "employment"
    again = await client.post(close, headers=staff, json={"outcome": "other"})
    assert again.status_code == 422 and field_of(again) == "status"


@pytest.mark.parametrize("changes, status, field", [
    ({"first_name": ""}, 422, "first_name"),                    # text: empty
    ({"first_name": "x" * 101}, 422, "first_name"),             # text: too long
    ({"first_name": 12}, 400, "first_name"),                    # text: a number
    ({"first_name": None}, 400, "first_name"),                  # text: required
    ({"notes": "a\u0000b"}, 422, "notes"),                      # text: NUL
    ({"date_of_birth": "17.05.1990"}, 400, "date_of_birth"),    # date: format
    ({"date_of_birth": "1850-01-01"}, 422, "date_of_birth"),    # date: range
    ({"date_of_birth": "2999-01-01"}, 422, "date_of_birth"),    # date: future
    ({"gender": "unknown"}, 400, "gender"),                     # enum
    ({"residence_status": 3}, 400, "residence_status"),         # enum: wrong type
    ({"country_of_origin": "Syria"}, 422, "country_of_origin"),  # pattern
    ({"coordinator_id": "seven"}, 400, "coordinator_id"),       # integer: a word
    ({"coordinator_id": 1.5}, 400, "coordinator_id"),           # integer: a fraction
    ({"coordinator_id": 0}, 422, "coordinator_id"),             # integer: range
    ({"coordinator_id": 2**63}, 422, "coordinator_id"),         # integer: beyond bigint
    ({"coordinator_id": 424242}, 422, "coordinator_id"),        # integer: no such user
    ({"case_number": "ip 1"}, 422, "case_number"),
    ({"phone": "call me"}, 422, "phone"),
    ({"email": "not-an-address"}, 422, "email"),
    ({"languages": "ar"}, 400, "languages"),                    # list: a string
    ({"languages": [{"language": "ar"}]}, 400, "languages[0].level"),  # nested: missing
    ({"languages": [{"language": "arabic", "level": "C2"}]}, 422, "languages[0].language"),
    ({"languages": [{"language": "ar", "level": "D1"}]}, 400, "languages[0].level"),
    ({"barrier_kinds": ["luck"]}, 400, "barrier_kinds[0]"),
])
async def test_it_refuses_bad_input_of_every_kind_naming_the_field(client, make_user, changes,
                                                                   status, field):
    staff = (await make_user()).headers
    response = await client.post("/api/v1/clients", headers=staff, json={**CLIENT, **changes})
    assert response.status_code == status, response.text
    assert field_of(response) == field


async def test_it_refuses_a_missing_field_and_a_body_that_is_no_object(client, make_user):
    staff = (await make_user()).headers
    body = {k: v for k, v in CLIENT.items() if k != "last_name"}
    response = await client.post("/api/v1/clients", headers=staff, json=body)
    assert response.status_code == 400 and field_of(response) == "last_name"
    response = await client.post("/api/v1/clients", headers=staff, json=[1, 2])
    assert response.status_code == 400
    response = await client.post("/api/v1/clients", content=b"{not json",
                                 headers={**staff, "Content-Type": "application/json"})
    assert response.status_code == 400


async def test_it_assigns_only_active_coordinators(client, make_user):
    staff = (await make_user()).headers
    viewer = await make_user(role="viewer")
    response = await client.post("/api/v1/clients", headers=staff,
                                 json={**CLIENT, "coordinator_id": viewer.user.id})
    assert response.status_code == 422 and field_of(response) == "coordinator_id"


async def test_it_filters_and_pages_cases(client, make_user):
    one, two = await make_user(), await make_user()
    other_circle = await make_user(legal_circle="sgb3")
    staff = one.headers
    a = await open_case(client, staff, coordinator_id=one.user.id, case_number="IP-1")
    b = await open_case(client, staff, coordinator_id=two.user.id,
                        case_kind="enrolled", last_name="Darwish", barrier_kinds=[])
    await open_case(client, other_circle.headers, legal_circle="sgb3", last_name="Darwish",
                    barrier_kinds=[])  # SGB III: never in an SGB II coordinator's list
    c = await open_case(client, staff, first_name="Omar", last_name="Khalil", barrier_kinds=[])
    await client.post(f"/api/v1/clients/{c['id']}/close", headers=staff,
                      json={"outcome": "moved_away"})

    async def ids(**params) -> list[int]:
        response = await client.get("/api/v1/clients", headers=staff, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids() == [c["id"], b["id"], a["id"]]  # newest first
    assert await ids(status="closed") == [c["id"]]
    assert await ids(coordinator_id=two.user.id) == [b["id"]]
    assert await ids(case_kind="enrolled") == [b["id"]]
    assert await ids(legal_circle="sgb2") == [c["id"], b["id"], a["id"]]
    assert await ids(legal_circle="sgb3") == []
    assert await ids(text="darwish") == [b["id"]]
    assert await ids(text="ip-1") == [a["id"]]
    assert await ids(text="omar khalil") == [c["id"]]
    page = (await client.get("/api/v1/clients", headers=staff,
                             params={"limit": 2, "offset": 2})).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 2, 1)
    for params, field in [({"status": "archived"}, "status"), ({"limit": 0}, "limit"),
                          ({"coordinator_id": 0}, "coordinator_id"),
                          ({"case_kind": "vip"}, "case_kind"),
                          ({"legal_circle": "sgb12"}, "legal_circle"),
                          ({"text": "x" * 201}, "text")]:
        response = await client.get("/api/v1/clients", headers=staff, params=params)
        assert response.status_code == 400, (params, response.text)
        assert field_of(response) == field


async def test_it_answers_unknown_cases_with_404(client, make_user):
    staff = (await make_user()).headers
    for path in ("", "/barriers", "/consents", "/potential-analysis"):
        response = await client.get(f"/api/v1/clients/999{path}", headers=staff)
        assert response.status_code == 404, (path, response.text)
    response = await client.post("/api/v1/clients/999/close", headers=staff,
                                 json={"outcome": "other"})
    assert response.status_code == 404


@pytest.mark.parametrize("role, status", [("viewer", 403), ("coordinator", 200),
                                          ("admin", 403)])
async def test_only_coordinators_see_client_data(client, make_user, role, status):
    staff = (await make_user()).headers
    case = await open_case(client, staff)
    user = await make_user(role=role)
    for path in ("/api/v1/clients", f"/api/v1/clients/{case['id']}",
                 f"/api/v1/clients/{case['id']}/barriers",
                 f"/api/v1/clients/{case['id']}/consents", "/api/v1/barriers"):
        response = await client.get(path, headers=user.headers)
        assert response.status_code == status, (path, response.text)
    response = await client.post("/api/v1/clients", headers=user.headers, json=CLIENT)
    assert response.status_code == (201 if role == "coordinator" else 403)


async def test_nobody_signed_in_gets_401(client):
    for path in ("/api/v1/clients", "/api/v1/clients/1", "/api/v1/clients/1/barriers",
                 "/api/v1/clients/1/consents", "/api/v1/clients/1/potential-analysis",
                 "/api/v1/barriers", "/api/v1/barriers/1"):
        assert (await client.get(path)).status_code == 401, path
    assert (await client.post("/api/v1/clients", json=CLIENT)).status_code == 401


async def test_a_coordinator_of_the_clients_circle_erases_it_on_request(client, make_user):
    coordinator, admin = await make_user(), await make_user(role="admin")
    other_circle = await make_user(legal_circle="sgb3")
    case = await open_case(client, coordinator.headers)
    erase = f"/api/v1/clients/{case['id']}/erase"
    assert (await client.post(erase, headers=admin.headers)).status_code == 403
    assert (await client.post(erase, headers=other_circle.headers)).status_code == 404
    erased = await client.post(erase, headers=coordinator.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["first_name"] is None and erased.json()["erased_at"] is not None
